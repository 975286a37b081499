// The table of op cases run on WebGPU and on the CPU reference: each names its inputs, the op, and its tolerance.
import * as core from '@webdl/core';
import type { Tensor } from '@webdl/core';
import { ACC, EXACT, F32, TRANS, type Tol } from './compare.js';

/** An input: shape, dtype and the range its seeded values are drawn from (ints are floored; bools are v > 0). */
export interface InputSpec {
  shape: number[];
  dtype?: 'float32' | 'int32' | 'bool';
  lo?: number;
  hi?: number;
  /** Fixed values instead of random ones. */
  values?: number[];
}

/** One op case. */
export interface OpCase {
  name: string;
  inputs: InputSpec[];
  run: (xs: Tensor[]) => Tensor | Tensor[];
  tol: Tol;
}

const f = (...shape: number[]): InputSpec => ({ shape });
const pos = (...shape: number[]): InputSpec => ({ shape, lo: 0.1, hi: 4 });
const int = (...shape: number[]): InputSpec => ({ shape, dtype: 'int32', lo: -20, hi: 20 });
const bool = (...shape: number[]): InputSpec => ({ shape, dtype: 'bool' });

type Unary = (x: Tensor) => Tensor;
const unary = (
  name: string,
  fn: Unary,
  tol: Tol,
  spec: InputSpec = { shape: [3, 17], lo: -3, hi: 3 },
): OpCase => ({
  name,
  inputs: [spec],
  run: ([x]) => fn(x),
  tol,
});

const UNARY_CASES: OpCase[] = [
  unary('neg', core.neg, EXACT),
  unary('abs', core.abs, EXACT),
  unary('sign', core.sign, EXACT),
  unary('exp', core.exp, TRANS),
  unary('log', core.log, TRANS, pos(3, 17)),
  unary('log1p', core.log1p, TRANS, { shape: [3, 17], lo: -0.5, hi: 3 }),
  unary('sqrt', core.sqrt, F32, pos(3, 17)),
  unary('rsqrt', core.rsqrt, TRANS, pos(3, 17)),
  unary('square', core.square, F32),
  unary('reciprocal', core.reciprocal, F32, pos(3, 17)),
  // WGSL only promises sin/cos to 2^-11 absolute on [-π, π]; SwiftShader's approximation uses that room.
  unary('sin', core.sin, { atol: 2e-7, rtol: 0 }, { shape: [3, 17], lo: -3.14, hi: 3.14 }),
  unary('cos', core.cos, { atol: 2e-7, rtol: 0 }, { shape: [3, 17], lo: -3.14, hi: 3.14 }),
  unary('tanh', core.tanh, TRANS, { shape: [3, 17], lo: -20, hi: 20 }),
  unary('sigmoid', core.sigmoid, TRANS, { shape: [3, 17], lo: -20, hi: 20 }),
  unary('relu', core.relu, EXACT),
  unary('relu6', core.relu6, EXACT, { shape: [3, 17], lo: -3, hi: 9 }),
  unary('selu', core.selu, TRANS),
  unary('softplus', core.softplus, TRANS, { shape: [3, 17], lo: -20, hi: 20 }),
  unary('softsign', core.softsign, F32),
  unary('silu', core.silu, TRANS),
  unary('erf', core.erf, { atol: 3e-7, rtol: 1e-6 }),
  unary('gelu', (x) => core.gelu(x), { atol: 1e-6, rtol: 1e-6 }),
  unary('gelu approximate', (x) => core.gelu(x, true), TRANS),
  unary('leakyRelu', (x) => core.leakyRelu(x, 0.1), F32),
  unary('elu', (x) => core.elu(x), TRANS),
  unary('clipByValue', (x) => core.clipByValue(x, -0.5, 1.25), EXACT),
  unary('floor', core.floor, EXACT),
  unary('ceil', core.ceil, EXACT),
  unary('round (half to even)', core.round, EXACT, {
    shape: [8],
    values: [0.5, 1.5, 2.5, -0.5, -1.5, 0.49, 2.51, -3.7],
  }),
  unary('neg int32', core.neg, EXACT, int(4, 5)),
  unary('abs int32', core.abs, EXACT, int(4, 5)),
  unary('square int32', core.square, EXACT, int(4, 5)),
  unary('logicalNot', core.logicalNot, EXACT, bool(4, 5)),
  unary('cast float->int32 (truncates)', (x) => core.cast(x, 'int32'), EXACT, {
    shape: [4, 5],
    lo: -9,
    hi: 9,
  }),
  unary('cast float->bool', (x) => core.cast(x, 'bool'), EXACT, {
    shape: [6],
    values: [0, 1, -2, 0.5, 0, -0],
  }),
  unary('cast int32->float', (x) => core.cast(x, 'float32'), EXACT, int(4, 5)),
  unary('cast bool->float', (x) => core.cast(x, 'float32'), EXACT, bool(4, 5)),
  unary('cast bool->int32', (x) => core.cast(x, 'int32'), EXACT, bool(4, 5)),
];

type Binary = (a: Tensor, b: Tensor) => Tensor;
const binary = (name: string, fn: Binary, tol: Tol, a: InputSpec, b: InputSpec): OpCase => ({
  name,
  inputs: [a, b],
  run: ([x, y]) => fn(x, y),
  tol,
});

const BINARY_CASES: OpCase[] = [
  binary('add same shape', core.add, F32, f(5, 7), f(5, 7)),
  binary('add broadcast [4,1,5]+[3,1]', core.add, F32, f(4, 1, 5), f(3, 1)),
  binary('add scalar tensor', core.add, F32, f(2, 3, 4), f()),
  binary('sub broadcast row', core.sub, F32, f(6, 9), f(9)),
  binary('mul broadcast [2,1,3,1]*[1,4,1,5]', core.mul, F32, f(2, 1, 3, 1), f(1, 4, 1, 5)),
  binary('div', core.div, F32, f(4, 6), pos(4, 6)),
  binary('pow positive base', core.pow, TRANS, pos(4, 6), f(4, 6)),
  binary('pow negative base, integer exponents', core.pow, TRANS, f(6), {
    shape: [6],
    values: [2, 3, -1, 0, 4, 1],
  }),
  binary('maximum', core.maximum, EXACT, f(4, 6), f(6)),
  binary('minimum', core.minimum, EXACT, f(4, 6), f(4, 1)),
  binary('equal', core.equal, EXACT, int(5, 5), int(5)),
  binary('notEqual', core.notEqual, EXACT, int(5, 5), int(5, 1)),
  binary('greater', core.greater, EXACT, f(5, 5), f(5)),
  binary('greaterEqual', core.greaterEqual, EXACT, int(5, 5), int(5)),
  binary('less', core.less, EXACT, f(5, 5), f(1, 5)),
  binary('lessEqual', core.lessEqual, EXACT, f(3, 5), f(3, 5)),
  binary('logicalAnd', core.logicalAnd, EXACT, bool(4, 5), bool(5)),
  binary('logicalOr', core.logicalOr, EXACT, bool(4, 5), bool(4, 1)),
  binary('add int32 broadcast', core.add, EXACT, int(3, 4, 5), int(4, 1)),
  binary('mul int32', core.mul, EXACT, int(3, 4), int(3, 4)),
  binary('add int32 + float32 promotes', core.add, F32, int(3, 4), f(4)),
  binary('add with a size-0 dim', core.add, EXACT, f(0, 3), f(3)),
  {
    name: 'where broadcast',
    inputs: [bool(3, 1, 5), f(4, 5), f(3, 4, 1)],
    run: ([c, a, b]) => core.where(c, a, b),
    tol: EXACT,
  },
  {
    name: 'chain sigmoid(relu(x*a+b))*c',
    inputs: [f(1000), f(), f(), f()],
    run: ([x, a, b, c]) => core.sigmoid(core.relu(x.mul(a).add(b))).mul(c),
    tol: TRANS,
  },
];

type Reduce = (x: Tensor, axis?: number | number[], keepDims?: boolean) => Tensor;
const REDUCERS: [string, Reduce, Tol][] = [
  ['sum', core.sum, ACC],
  ['mean', core.mean, ACC],
  ['max', core.max, EXACT],
  ['min', core.min, EXACT],
  ['prod', core.prod, ACC],
  ['argMax', core.argMax as Reduce, EXACT],
  ['argMin', core.argMin as Reduce, EXACT],
  ['logSumExp', core.logSumExp, TRANS],
];

const REDUCE_CASES: OpCase[] = [];
for (const [name, fn, tol] of REDUCERS) {
  const arg = name.startsWith('arg');
  const axes: (number | number[] | undefined)[] = arg ? [0, 1, 2, -1] : [undefined, 0, 1, 2, [0, 2], -1];
  for (const axis of axes) {
    REDUCE_CASES.push({
      name: `${name} [5,7,40] axis ${JSON.stringify(axis)}`,
      inputs: [{ shape: [5, 7, 40], lo: name === 'prod' ? 0.9 : -2, hi: name === 'prod' ? 1.1 : 2 }],
      run: ([x]) => fn(x, axis),
      tol,
    });
  }
  REDUCE_CASES.push({ name: `${name} keepDims`, inputs: [f(4, 6)], run: ([x]) => fn(x, 1, true), tol });
}
REDUCE_CASES.push(
  {
    name: 'sum over 150000 elements',
    inputs: [f(150_000)],
    run: ([x]) => core.sum(x),
    tol: { atol: 1e-3, rtol: 1e-4 },
  },
  { name: 'mean over [3, 50000] axis 1', inputs: [f(3, 50_000)], run: ([x]) => core.mean(x, 1), tol: ACC },
  { name: 'max over 120000 elements', inputs: [f(120_000)], run: ([x]) => core.max(x), tol: EXACT },
  {
    name: 'argMax over [2, 60000] axis 1',
    inputs: [f(2, 60_000)],
    run: ([x]) => core.argMax(x, 1),
    tol: EXACT,
  },
  { name: 'sum int32', inputs: [int(6, 50)], run: ([x]) => core.sum(x, 1), tol: EXACT },
  { name: 'max int32', inputs: [int(6, 50)], run: ([x]) => core.max(x, 0), tol: EXACT },
  {
    name: 'argMax ties pick the first',
    inputs: [{ shape: [2, 40], values: new Array<number>(80).fill(1) }],
    run: ([x]) => core.argMax(x, 1),
    tol: EXACT,
  },
  {
    name: 'softmax',
    inputs: [{ shape: [6, 33], lo: -30, hi: 30 }],
    run: ([x]) => core.softmax(x),
    tol: TRANS,
  },
  {
    name: 'logSoftmax',
    inputs: [{ shape: [6, 33], lo: -30, hi: 30 }],
    run: ([x]) => core.logSoftmax(x),
    tol: { atol: 1e-5, rtol: 1e-5 },
  },
  {
    name: 'moments',
    inputs: [f(4, 10, 3)],
    run: ([x]) => {
      const m = core.moments(x, [0, 1]);
      return [m.mean, m.variance];
    },
    tol: ACC,
  },
);

/** Every op case, grouped by family. */
export const OP_CASES: Record<string, OpCase[]> = {
  unary: UNARY_CASES,
  binary: BINARY_CASES,
  reduce: REDUCE_CASES,
};
