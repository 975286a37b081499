// Elementwise ops (math, activations, comparison, logic) against float64 closed forms
// forms, over 0-d, size-1, empty, odd and broadcast shapes; tolerances stated per op.
import { describe, it } from 'vitest';
import * as dl from '@webdl/core';
import type { Tensor } from '@webdl/core';
import {
  EXACT,
  creates,
  cycle,
  expectTensor,
  make,
  refElementwise,
  refErf,
  sizeOfShape,
  tol,
  type Tol,
} from './helpers.js';

const GENERAL = [-3.5, -2, -1, -0.5, -0.25, 0, 0.3, 0.5, 1, 1.5, 2.5, 7];
const POSITIVE = [0.01, 0.25, 0.5, 1, 2, 3.5, 10, 1000];
const NONZERO = [-4, -1.5, -0.25, 0.2, 1, 3, 100];
const TRIG = [-3, -1, -0.5, 0, 0.3, 1, 2.5, 3];
const UNARY_SHAPES = [[], [1], [0], [7], [3, 5], [2, 0, 3], [2, 3, 4]];

const SELU_SCALE = 1.0507009873554805;
const SELU_ALPHA = 1.6732632423543772;
const sig = (x: number) => 1 / (1 + Math.exp(-x));
const halfEven = (x: number) => {
  const r = Math.floor(x + 0.5);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
};

interface UnaryCase {
  name: string;
  op: (x: Tensor) => Tensor;
  ref: (x: number) => number;
  domain: readonly number[];
  /** Why not exact: GPUs' transcendentals are a few ULP off (WGSL §"Floating Point Accuracy"). */
  tol: Tol;
}

// One line per op: a new elementwise op gets its coverage by adding one line here.
const UNARY: UnaryCase[] = [
  { name: 'neg', op: dl.neg, ref: (x) => -x, domain: GENERAL, tol: EXACT },
  { name: 'abs', op: dl.abs, ref: Math.abs, domain: GENERAL, tol: EXACT },
  { name: 'sign', op: dl.sign, ref: Math.sign, domain: GENERAL, tol: EXACT },
  { name: 'exp', op: dl.exp, ref: Math.exp, domain: GENERAL, tol: tol(1e-6, 4e-6) },
  { name: 'log', op: dl.log, ref: Math.log, domain: POSITIVE, tol: tol(1e-6, 2e-6) },
  {
    name: 'log1p',
    op: dl.log1p,
    ref: Math.log1p,
    domain: [-0.9, -0.5, -1e-3, 1e-6, 0, 0.3, 1, 10],
    tol: tol(1e-7, 1e-4),
  },
  { name: 'sqrt', op: dl.sqrt, ref: Math.sqrt, domain: POSITIVE, tol: tol(0, 1e-6) },
  { name: 'rsqrt', op: dl.rsqrt, ref: (x) => 1 / Math.sqrt(x), domain: POSITIVE, tol: tol(0, 2e-6) },
  { name: 'square', op: dl.square, ref: (x) => x * x, domain: GENERAL, tol: EXACT },
  { name: 'reciprocal', op: dl.reciprocal, ref: (x) => 1 / x, domain: NONZERO, tol: tol(0, 1e-6) },
  // WGSL only promises 2^-11 absolute error for sin/cos on [-π, π].
  { name: 'sin', op: dl.sin, ref: Math.sin, domain: TRIG, tol: tol(2e-7, 0) },
  { name: 'cos', op: dl.cos, ref: Math.cos, domain: TRIG, tol: tol(2e-7, 0) },
  { name: 'tanh', op: dl.tanh, ref: Math.tanh, domain: GENERAL, tol: tol(2e-6, 1e-5) },
  { name: 'sigmoid', op: dl.sigmoid, ref: sig, domain: [...GENERAL, -40, 40], tol: tol(1e-6, 1e-5) },
  { name: 'relu', op: dl.relu, ref: (x) => Math.max(x, 0), domain: GENERAL, tol: EXACT },
  { name: 'relu6', op: dl.relu6, ref: (x) => Math.min(Math.max(x, 0), 6), domain: GENERAL, tol: EXACT },
  {
    name: 'leakyRelu',
    op: (x) => dl.leakyRelu(x),
    ref: (x) => (x > 0 ? x : 0.2 * x),
    domain: GENERAL,
    tol: tol(0, 1e-6),
  },
  {
    name: 'leakyRelu(0.1)',
    op: (x) => x.leakyRelu(0.1),
    ref: (x) => (x > 0 ? x : 0.1 * x),
    domain: GENERAL,
    tol: tol(0, 1e-6),
  },
  {
    name: 'elu',
    op: (x) => dl.elu(x),
    ref: (x) => (x > 0 ? x : Math.exp(x) - 1),
    domain: GENERAL,
    tol: tol(1e-6, 1e-6),
  },
  {
    name: 'elu(0.5)',
    op: (x) => x.elu(0.5),
    ref: (x) => (x > 0 ? x : 0.5 * (Math.exp(x) - 1)),
    domain: GENERAL,
    tol: tol(1e-6, 1e-6),
  },
  {
    name: 'selu',
    op: dl.selu,
    ref: (x) => SELU_SCALE * (x > 0 ? x : SELU_ALPHA * (Math.exp(x) - 1)),
    domain: GENERAL,
    tol: tol(1e-6, 1e-6),
  },
  {
    name: 'gelu',
    op: (x) => dl.gelu(x),
    ref: (x) => 0.5 * x * (1 + refErf(x / Math.SQRT2)),
    domain: GENERAL,
    tol: tol(2e-6, 1e-6),
  },
  {
    name: 'gelu(approximate)',
    op: (x) => x.gelu(true),
    ref: (x) => 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3))),
    domain: GENERAL,
    tol: tol(2e-6, 1e-5),
  },
  {
    name: 'softplus',
    op: dl.softplus,
    ref: (x) => Math.log(1 + Math.exp(x)),
    domain: [...GENERAL, -20, 20],
    tol: tol(1e-6, 1e-5),
  },
  {
    name: 'softsign',
    op: dl.softsign,
    ref: (x) => x / (1 + Math.abs(x)),
    domain: GENERAL,
    tol: tol(0, 1e-6),
  },
  { name: 'silu', op: dl.silu, ref: (x) => x * sig(x), domain: GENERAL, tol: tol(1e-6, 1e-5) },
  { name: 'erf', op: (x) => x.erf(), ref: refErf, domain: [...GENERAL, 4, -5], tol: tol(1e-6, 0) },
  { name: 'floor', op: dl.floor, ref: Math.floor, domain: GENERAL, tol: EXACT },
  { name: 'ceil', op: dl.ceil, ref: Math.ceil, domain: GENERAL, tol: EXACT },
  {
    name: 'round (half to even)',
    op: dl.round,
    ref: halfEven,
    domain: [...GENERAL, -2.5, 0.5, 3.5, -1.5],
    tol: EXACT,
  },
  {
    name: 'clipByValue',
    op: (x) => dl.clipByValue(x, -1, 2),
    ref: (x) => Math.min(Math.max(x, -1), 2),
    domain: GENERAL,
    tol: EXACT,
  },
];

interface BinaryCase {
  name: string;
  op: (a: Tensor, b: Tensor) => Tensor;
  ref: (a: number, b: number) => number;
  a: readonly number[];
  b: readonly number[];
  dtype?: dl.DType;
  out: dl.DType;
  tol: Tol;
}

const CMP_A = [-1, 0, 1, 2, 2.5, 2];
const CMP_B = [0, 1, 2, 3, 2.5];
const BOOL = [1, 0, 0, 1, 1];
const BOOL2 = [1, 1, 0, 0];
const BINARY: BinaryCase[] = [
  { name: 'add', op: dl.add, ref: (a, b) => a + b, a: GENERAL, b: NONZERO, out: 'float32', tol: EXACT },
  { name: 'sub', op: dl.sub, ref: (a, b) => a - b, a: GENERAL, b: NONZERO, out: 'float32', tol: EXACT },
  { name: 'mul', op: dl.mul, ref: (a, b) => a * b, a: GENERAL, b: NONZERO, out: 'float32', tol: EXACT },
  {
    name: 'div',
    op: dl.div,
    ref: (a, b) => a / b,
    a: GENERAL,
    b: NONZERO,
    out: 'float32',
    tol: tol(0, 1e-6),
  },
  // Negative bases with integer exponents are defined; with fractional ones they are NaN.
  {
    name: 'pow',
    op: dl.pow,
    ref: Math.pow,
    a: [-2, -1.5, -0.5, 0, 0.5, 1, 2, 3],
    b: [2, -1, 0, 0.5, 1, 3, -2],
    out: 'float32',
    tol: tol(1e-6, 1e-5),
  },
  { name: 'maximum', op: dl.maximum, ref: Math.max, a: GENERAL, b: NONZERO, out: 'float32', tol: EXACT },
  { name: 'minimum', op: dl.minimum, ref: Math.min, a: GENERAL, b: NONZERO, out: 'float32', tol: EXACT },
  {
    name: 'equal',
    op: dl.equal,
    ref: (a, b) => Number(a === b),
    a: CMP_A,
    b: CMP_B,
    out: 'bool',
    tol: EXACT,
  },
  {
    name: 'notEqual',
    op: dl.notEqual,
    ref: (a, b) => Number(a !== b),
    a: CMP_A,
    b: CMP_B,
    out: 'bool',
    tol: EXACT,
  },
  {
    name: 'greater',
    op: dl.greater,
    ref: (a, b) => Number(a > b),
    a: CMP_A,
    b: CMP_B,
    out: 'bool',
    tol: EXACT,
  },
  {
    name: 'greaterEqual',
    op: dl.greaterEqual,
    ref: (a, b) => Number(a >= b),
    a: CMP_A,
    b: CMP_B,
    out: 'bool',
    tol: EXACT,
  },
  { name: 'less', op: dl.less, ref: (a, b) => Number(a < b), a: CMP_A, b: CMP_B, out: 'bool', tol: EXACT },
  {
    name: 'lessEqual',
    op: dl.lessEqual,
    ref: (a, b) => Number(a <= b),
    a: CMP_A,
    b: CMP_B,
    out: 'bool',
    tol: EXACT,
  },
  {
    name: 'logicalAnd',
    op: dl.logicalAnd,
    ref: (a, b) => Number(a && b),
    a: BOOL,
    b: BOOL2,
    dtype: 'bool',
    out: 'bool',
    tol: EXACT,
  },
  {
    name: 'logicalOr',
    op: dl.logicalOr,
    ref: (a, b) => Number(a || b),
    a: BOOL,
    b: BOOL2,
    dtype: 'bool',
    out: 'bool',
    tol: EXACT,
  },
  {
    name: 'add int32',
    op: dl.add,
    ref: (a, b) => a + b,
    a: [-3, 0, 5, 7],
    b: [2, -9, 4],
    dtype: 'int32',
    out: 'int32',
    tol: EXACT,
  },
  {
    name: 'mul int32',
    op: dl.mul,
    ref: (a, b) => a * b,
    a: [-3, 0, 5, 7],
    b: [2, -9, 4],
    dtype: 'int32',
    out: 'int32',
    tol: EXACT,
  },
  {
    name: 'div int32 → float32',
    op: dl.div,
    ref: (a, b) => a / b,
    a: [-3, 0, 5, 7],
    b: [2, -9, 4],
    dtype: 'int32',
    out: 'float32',
    tol: tol(0, 1e-6),
  },
];

// Pairs covering broadcasting both ways, 0-d, size-1, empty and odd shapes.
const BROADCAST_PAIRS: [number[], number[]][] = [
  [[], []],
  [[5], []],
  [[], [5]],
  [[1], [7]],
  [[2, 3], [3]],
  [[3], [2, 3]],
  [
    [2, 1],
    [1, 3],
  ],
  [
    [4, 1, 5],
    [3, 1],
  ],
  [
    [3, 1],
    [4, 1, 5],
  ],
  [
    [0, 3],
    [1, 3],
  ],
  [
    [2, 0],
    [2, 1],
  ],
  [[1], [0]],
  [
    [5, 7],
    [5, 7],
  ],
];

/** Registers the elementwise part of the op suite. */
export function describeElementwise(): void {
  describe('unary elementwise ops (every shape: 0-d, [1], [0], [7], [3,5], [2,0,3], [2,3,4])', () => {
    it.each(UNARY.map((c) => [c.name, c] as const))('%s', async (_n, c) => {
      for (const shape of UNARY_SHAPES) {
        const values = cycle(c.domain, sizeOfShape(shape), shape.length);
        const x = make(shape, values);
        const y = creates(1, () => c.op(x));
        await expectTensor(
          y,
          shape,
          values.map((v) => c.ref(Math.fround(v))),
          c.tol,
          'float32',
        );
        x.dispose();
        y.dispose();
      }
    });

    it('neg, abs, sign, square, relu keep int32; logicalNot works on bool', async () => {
      const x = make([5], [-3, -1, 0, 2, 7], 'int32');
      await expectTensor(x.neg(), [5], [3, 1, 0, -2, -7], EXACT, 'int32');
      await expectTensor(x.abs(), [5], [3, 1, 0, 2, 7], EXACT, 'int32');
      await expectTensor(x.sign(), [5], [-1, -1, 0, 1, 1], EXACT, 'int32');
      await expectTensor(x.square(), [5], [9, 1, 0, 4, 49], EXACT, 'int32');
      await expectTensor(x.relu(), [5], [0, 0, 0, 2, 7], EXACT, 'int32');
      await expectTensor(dl.logicalNot(make([3], [1, 0, 1], 'bool')), [3], [0, 1, 0], EXACT, 'bool');
      await expectTensor(dl.logicalNot(dl.scalar(false)), [], [1], EXACT, 'bool');
    });
  });

  describe('binary elementwise ops over broadcast shape pairs', () => {
    it.each(BINARY.map((c) => [c.name, c] as const))('%s', async (_n, c) => {
      for (const [sa, sb] of BROADCAST_PAIRS) {
        const va = cycle(c.a, sizeOfShape(sa), 1);
        const vb = cycle(c.b, sizeOfShape(sb), 2);
        const a = make(sa, va, c.dtype);
        const b = make(sb, vb, c.dtype);
        const want = refElementwise(
          [
            { shape: sa, values: va.map(Math.fround) },
            { shape: sb, values: vb.map(Math.fround) },
          ],
          c.ref,
        );
        const y = creates(1, () => c.op(a, b));
        await expectTensor(y, want.shape, want.values, c.tol, c.out);
        dl.dispose([a, b, y]);
      }
    });

    it('promotes dtypes as NumPy: int32 with an integer stays int32, with a float becomes float32', async () => {
      const i = make([3], [1, 2, 3], 'int32');
      await expectTensor(i.add(2), [3], [3, 4, 5], EXACT, 'int32');
      await expectTensor(i.add(0.5), [3], [1.5, 2.5, 3.5], EXACT, 'float32');
      await expectTensor(dl.add(i, make([3], [0.25, 0.5, 1])), [3], [1.25, 2.5, 4], EXACT, 'float32');
      await expectTensor(
        dl.mul(make([2], [1, 1], 'bool'), make([2], [1, 0], 'bool')),
        [2],
        [1, 0],
        EXACT,
        'int32',
      );
      await expectTensor(dl.sub(10, make([2], [1, 2])), [2], [9, 8], EXACT, 'float32');
      await expectTensor(dl.add(1, 2), [], [3], EXACT, 'float32');
      await expectTensor(dl.maximum(make([2], [1, 5]), [[3], [4]]), [2, 2], [3, 5, 4, 5], EXACT, 'float32');
    });

    it('chains as methods: x.add(1).mul(2).sub(x).div(2)', async () => {
      const x = make([3], [1, 2, 3]);
      await expectTensor(x.add(1).mul(2).sub(x).div(2), [3], [1.5, 2, 2.5]);
      await expectTensor(x.pow(2).sqrt().greater(1.5).logicalOr(x.less(1.5)), [3], [1, 1, 1], EXACT, 'bool');
    });
  });
}
