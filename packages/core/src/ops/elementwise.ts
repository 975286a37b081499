// Elementwise primitives: one table entry per op (dtype rule, float64 reference, WGSL expression,
// gradient written with tensor ops), plus the machinery that runs them with NumPy broadcasting.
import type { ElementwiseKernel } from '../backend.js';
import { ENGINE } from '../engine.js';
import { broadcastShapes, fmtShape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import type { DType } from '../types.js';
import { sumToShape, toTensor, type Operand } from './operand.js';
import { INF_W, NAN_W, UNARY, infW, nanW, type UnaryDef } from './unary-defs.js';

type T = Tensor;
type Grad2 = (dy: T, a: T, b: T, y: T) => [T | null, T | null];

/** How an op picks its output dtype: float math, same as the (promoted) inputs, bool result, or bool logic. */
export type DtypeRule = 'float' | 'same' | 'bool' | 'logical';

interface BinaryDef {
  dtype: DtypeRule;
  cpu: (a: number, b: number) => number;
  wgsl: (a: string, b: string, t: 'f32' | 'i32') => string;
  grad?: Grad2;
  /** See ElementwiseKernel.handlesNaN. */
  handlesNaN?: true;
}

/** Comparisons are false with a NaN operand, except != which is true (bit tests: WGSL may assume no NaN). */
const cmp = (op: string) => (a: string, b: string, t: string) => {
  if (t !== 'f32') return `select(${t}(0), ${t}(1), ${a} ${op} ${b})`;
  // Non-short-circuit | and & (&& and || compile to control flow, slow to compile on SwiftShader).
  const nan = `${nanW(a)} | ${nanW(b)}`;
  return op === '!='
    ? `select(0.0, 1.0, (${a} != ${b}) | ${nan})`
    : `select(0.0, 1.0, (${a} ${op} ${b}) & !(${nan}))`;
};

/**
 * IEEE 754 pow (as C and NumPy): pow(x, ±0) = 1 and pow(1, y) = 1 even for NaN, pow(-1, ±inf) = 1;
 * otherwise NaN in, NaN out; ±0 and ±inf bases and ±inf exponents by their limits; a negative base
 * takes the exponent's parity (the sign bit decides, so pow(-0, -1) = -inf); a finite negative base
 * with a finite non-integer exponent is NaN. WGSL pow (exp2(b·log2(a))) covers only a > 0.
 */
function powWgsl(a: string, b: string): string {
  // Non-short-circuit & and | keep the expression branch-free (&& and || compile to control flow).
  const and = (...c: string[]) => c.map((x) => `(${x})`).join(' & ');
  const or = (...c: string[]) => c.map((x) => `(${x})`).join(' | ');
  const ax = `abs(${a})`;
  const m0 = `pow(${ax}, ${b})`;
  const m1 = `select(${m0}, select(0.0, ${INF_W}, ${b} < 0.0), ${a} == 0.0)`;
  const m2 = `select(${m1}, select(0.0, ${INF_W}, ${b} > 0.0), ${infW(a)})`;
  const m3 = `select(${m2}, select(select(0.0, ${INF_W}, (${ax} > 1.0) == (${b} > 0.0)), 1.0, ${ax} == 1.0), ${infW(b)})`;
  const odd = and(`!${infW(b)}`, `round(${b}) == ${b}`, `fract(${b} * 0.5) != 0.0`);
  const neg = `(bitcast<u32>(${a}) & 0x80000000u) != 0u`;
  const signed = `${m3} * select(1.0, -1.0, ${and(neg, odd)})`;
  const bad = or(and(`${a} < 0.0`, `!${infW(a)}`, `!${infW(b)}`, `round(${b}) != ${b}`), nanW(a), nanW(b));
  const one = or(`${a} == 1.0`, `${b} == 0.0`, and(`${a} == -1.0`, infW(b)));
  return `select(select(${signed}, ${NAN_W}, ${bad}), 1.0, ${one})`;
}

const BINARY = {
  add: { dtype: 'same', cpu: (a, b) => a + b, wgsl: (a, b) => `${a} + ${b}`, grad: (dy) => [dy, dy] },
  sub: { dtype: 'same', cpu: (a, b) => a - b, wgsl: (a, b) => `${a} - ${b}`, grad: (dy) => [dy, dy.neg()] },
  mul: {
    dtype: 'same',
    cpu: (a, b) => a * b,
    wgsl: (a, b) => `${a} * ${b}`,
    grad: (dy, a, b) => [dy.mul(b), dy.mul(a)],
  },
  div: {
    dtype: 'float',
    cpu: (a, b) => a / b,
    wgsl: (a, b) => `${a} / ${b}`,
    grad: (dy, a, b) => [dy.div(b), dy.mul(a).div(b.square()).neg()],
  },
  pow: {
    dtype: 'float',
    // IEEE 754 (and C, NumPy, TF): pow(1, y) = 1 even for NaN y, pow(-1, ±inf) = 1; Math.pow gives NaN.
    cpu: (a, b) => (a === 1 || (a === -1 && Math.abs(b) === Infinity) ? 1 : Math.pow(a, b)),
    wgsl: powWgsl,
    handlesNaN: true,
    // Safe operands where a = 0: b·a^(b-1) takes exponent 1 where b is 0 too (the term is 0 there,
    // not 0·∞ = NaN), and log gets base 1 where a <= 0 (unselected, but its gradient would be 0/0),
    // so first and higher derivatives stay finite at a = 0.
    grad: (dy, a, b, y) => {
      const pos = a.greater(0);
      const safeB = where(b.equal(0).logicalAnd(a.equal(0)), 1, b);
      return [dy.mul(b).mul(a.pow(safeB.sub(1))), dy.mul(y).mul(where(pos, where(pos, a, 1).log(), 0))];
    },
  },
  maximum: {
    dtype: 'same',
    cpu: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.max(a, b)),
    wgsl: (a, b) => `max(${a}, ${b})`,
    grad: (dy, a, b) => [dy.mul(a.greaterEqual(b).cast('float32')), dy.mul(a.less(b).cast('float32'))],
  },
  minimum: {
    dtype: 'same',
    cpu: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.min(a, b)),
    wgsl: (a, b) => `min(${a}, ${b})`,
    grad: (dy, a, b) => [dy.mul(a.lessEqual(b).cast('float32')), dy.mul(a.greater(b).cast('float32'))],
  },
  equal: { dtype: 'bool', cpu: (a, b) => Number(a === b), wgsl: cmp('==') },
  notEqual: { dtype: 'bool', cpu: (a, b) => Number(a !== b), wgsl: cmp('!=') },
  greater: { dtype: 'bool', cpu: (a, b) => Number(a > b), wgsl: cmp('>') },
  greaterEqual: { dtype: 'bool', cpu: (a, b) => Number(a >= b), wgsl: cmp('>=') },
  less: { dtype: 'bool', cpu: (a, b) => Number(a < b), wgsl: cmp('<') },
  lessEqual: { dtype: 'bool', cpu: (a, b) => Number(a <= b), wgsl: cmp('<=') },
  logicalAnd: {
    dtype: 'logical',
    cpu: (a, b) => Number(a !== 0 && b !== 0),
    wgsl: (a, b, t) => `select(${t}(0), ${t}(1), ${a} != ${t}(0) && ${b} != ${t}(0))`,
  },
  logicalOr: {
    dtype: 'logical',
    cpu: (a, b) => Number(a !== 0 || b !== 0),
    wgsl: (a, b, t) => `select(${t}(0), ${t}(1), ${a} != ${t}(0) || ${b} != ${t}(0))`,
  },
} satisfies Record<string, BinaryDef>;

/** Names of the binary elementwise primitives. */
export type BinaryName = keyof typeof BINARY;
/** Names of the unary elementwise primitives. */
export type UnaryName = keyof typeof UNARY;

const kernelCache = new Map<string, ElementwiseKernel>();
function kernelOf(
  key: string,
  arity: 1 | 2 | 3,
  cpu: ElementwiseKernel['cpu'],
  wgsl: ElementwiseKernel['wgsl'],
  handlesNaN = false,
): ElementwiseKernel {
  let k = kernelCache.get(key);
  if (!k) kernelCache.set(key, (k = { key, arity, cpu, wgsl, handlesNaN }));
  return k;
}

function outDtypeOf(rule: DtypeRule, input: DType): DType {
  if (rule === 'float') return 'float32';
  if (rule === 'bool' || rule === 'logical') return 'bool';
  return input === 'bool' ? 'int32' : input;
}

function inputDtypeOf(rule: DtypeRule, dtypes: DType[]): DType {
  if (rule === 'float') return 'float32';
  if (rule === 'logical') return 'bool';
  if (dtypes.includes('float32')) return 'float32';
  if (dtypes.includes('int32')) return 'int32';
  return rule === 'same' ? 'int32' : 'bool';
}

/** Runs an elementwise kernel over broadcast inputs of one (promoted) dtype; grads are summed back to input shapes. */
function runElementwise(
  name: string,
  kernel: ElementwiseKernel,
  rule: DtypeRule,
  operands: Operand[],
  grad?: (dy: T, xs: T[], y: T) => (T | null)[],
): T {
  const temps: T[] = [];
  // Temporaries (number operands, casts) are freed even when the shapes do not broadcast.
  try {
    return runOnTensors(name, kernel, rule, operands, temps, grad);
  } finally {
    for (const t of temps) t.dispose();
  }
}

function runOnTensors(
  name: string,
  kernel: ElementwiseKernel,
  rule: DtypeRule,
  operands: Operand[],
  temps: T[],
  grad?: (dy: T, xs: T[], y: T) => (T | null)[],
): T {
  const like = operands.find((o): o is T => typeof o === 'object' && o !== null && 'dataId' in o);
  for (const o of operands) {
    if (typeof o !== 'number' && typeof o !== 'boolean' && (typeof o !== 'object' || o === null))
      throw new Error(
        `${name}: operands must be tensors, numbers, booleans or arrays, got ${typeof o} ${JSON.stringify(o)}`,
      );
  }
  // Logic ops take bool tensors (as TF.js); plain numbers and booleans are converted.
  if (rule === 'logical') {
    for (const o of operands) {
      if (typeof o === 'object' && o !== null && 'dataId' in o && (o as T).dtype !== 'bool')
        throw new Error(`${name}: expects bool tensors, got ${(o as T).dtype} ${fmtShape((o as T).shape)}`);
    }
  }
  let xs = operands.map((o) => {
    const [t, temp] = toTensor(o, like);
    if (temp) temps.push(t);
    return t;
  });
  const dtype = inputDtypeOf(
    rule,
    xs.map((x) => x.dtype),
  );
  xs = xs.map((x) => {
    if (x.dtype === dtype) return x;
    const c = cast(x, dtype);
    temps.push(c);
    return c;
  });
  let outShape = xs[0].shape as number[];
  for (const x of xs.slice(1)) outShape = broadcastShapes(name, outShape, x.shape);
  const outDtype = outDtypeOf(rule, dtype);
  const isDiff = outDtype === 'float32' && grad !== undefined;
  return ENGINE.run(
    name,
    xs,
    (b, infos) => [
      { dataId: b.elementwise(kernel, infos, outShape, outDtype), shape: outShape, dtype: outDtype },
    ],
    isDiff
      ? ([dy], s) =>
          grad(dy, s.inputs, s.outputs[0]).map((g, i) =>
            g && s.needs[i] ? sumToShape(g, s.inputs[i].shape) : null,
          )
      : undefined,
  )[0];
}

function binary(name: BinaryName) {
  const def: BinaryDef = BINARY[name];
  const kernel = kernelOf(
    name,
    2,
    def.cpu as ElementwiseKernel['cpu'],
    ([a, b], t) => def.wgsl(a, b, t),
    def.handlesNaN,
  );
  const grad = def.grad;
  return (a: Operand, b: Operand): T =>
    runElementwise(name, kernel, def.dtype, [a, b], grad ? (dy, [x, z], y) => grad(dy, x, z, y) : undefined);
}

/** Runs a unary op defined by a table entry (or a parameterized one built by an op function). */
export function runUnary(name: string, key: string, def: UnaryDef, x: Operand): T {
  const kernel = kernelOf(key, 1, def.cpu as ElementwiseKernel['cpu'], ([a], t) => def.wgsl(a, t));
  const grad = def.grad;
  return runElementwise(name, kernel, def.dtype, [x], grad ? (dy, [xi], y) => [grad(dy, xi, y)] : undefined);
}

function unary(name: UnaryName) {
  return (x: Operand): T => runUnary(name, name, UNARY[name], x);
}

// Binary ops: `add(a, b)` broadcasts a and b (NumPy rules); numbers are accepted.
/** a + b, broadcasting. `add(x, 1)` */
export const add = binary('add');
/** a - b, broadcasting. */
export const sub = binary('sub');
/** a * b, broadcasting. */
export const mul = binary('mul');
/** a / b (float), broadcasting. */
export const div = binary('div');
/** a ** b (float), broadcasting. */
export const pow = binary('pow');
/** Elementwise max of a and b. */
export const maximum = binary('maximum');
/** Elementwise min of a and b. */
export const minimum = binary('minimum');
/** a == b as bool. */
export const equal = binary('equal');
/** a != b as bool. */
export const notEqual = binary('notEqual');
/** a > b as bool. */
export const greater = binary('greater');
/** a >= b as bool. */
export const greaterEqual = binary('greaterEqual');
/** a < b as bool. */
export const less = binary('less');
/** a <= b as bool. */
export const lessEqual = binary('lessEqual');
/** a && b (bool). */
export const logicalAnd = binary('logicalAnd');
/** a || b (bool). */
export const logicalOr = binary('logicalOr');

/** -x */ export const neg = unary('neg');
/** |x| */ export const abs = unary('abs');
/** -1, 0 or 1 */ export const sign = unary('sign');
/** e^x */ export const exp = unary('exp');
/** natural log */ export const log = unary('log');
/** log(1 + x) */ export const log1p = unary('log1p');
/** √x */ export const sqrt = unary('sqrt');
/** 1/√x */ export const rsqrt = unary('rsqrt');
/** x² */ export const square = unary('square');
/** 1/x */ export const reciprocal = unary('reciprocal');
/** sine */ export const sin = unary('sin');
/** cosine */ export const cos = unary('cos');
/** hyperbolic tangent */ export const tanh = unary('tanh');
/** 1/(1+e^-x) */ export const sigmoid = unary('sigmoid');
/** max(x, 0) */ export const relu = unary('relu');
/** min(max(x, 0), 6) */ export const relu6 = unary('relu6');
/** SELU with Keras's constants */ export const selu = unary('selu');
/** log(1 + e^x), stable */ export const softplus = unary('softplus');
/** x/(1+|x|) */ export const softsign = unary('softsign');
/** x·sigmoid(x) (swish) */ export const silu = unary('silu');
/** Gauss error function */ export const erf = unary('erf');
/** round down */ export const floor = unary('floor');
/** round up */ export const ceil = unary('ceil');
/** round half to even, as TensorFlow */ export const round = unary('round');
/** !x (bool) */ export const logicalNot = unary('logicalNot');

/** x if x > 0 else alpha·x. `leakyRelu(x, 0.2)` */
export function leakyRelu(x: Operand, alpha = 0.2): T {
  return runUnary(
    'leakyRelu',
    `leakyRelu:${alpha}`,
    {
      dtype: 'float',
      cpu: (v) => (v > 0 ? v : alpha * v),
      wgsl: (v) => `select(${alpha} * ${v}, ${v}, ${v} > 0.0)`,
      grad: (dy, xi) => where(xi.greater(0), dy, dy.mul(alpha)),
    },
    x,
  );
}

/** x if x > 0 else alpha·(e^x - 1). */
export function elu(x: Operand, alpha = 1): T {
  return runUnary(
    'elu',
    `elu:${alpha}`,
    {
      dtype: 'float',
      cpu: (v) => (v > 0 ? v : alpha * Math.expm1(v)),
      wgsl: (v) => `select(${alpha} * (exp(${v}) - 1.0), ${v}, ${v} > 0.0)`,
      grad: (dy, xi, y) => where(xi.greater(0), dy, dy.mul(y.add(alpha))),
    },
    x,
  );
}

/** GELU; exact (erf) by default as Keras, tanh approximation when `approximate`. */
export function gelu(x: Operand, approximate = false): T {
  return approximate
    ? runUnary('gelu', 'geluTanh', UNARY_GELU_TANH, x)
    : runUnary('gelu', 'gelu', UNARY_GELU, x);
}
const UNARY_GELU = UNARY.gelu;
const UNARY_GELU_TANH = UNARY.geluTanh;

/** Clamps x to [min, max]. */
export function clipByValue(x: Operand, min: number, max: number): T {
  if (!(min <= max)) throw new Error(`clipByValue: min (${min}) must be <= max (${max})`);
  return runUnary(
    'clipByValue',
    `clip:${min}:${max}`,
    {
      dtype: 'same',
      cpu: (v) => (Number.isNaN(v) ? v : Math.min(Math.max(v, min), max)),
      wgsl: (v, t) => `clamp(${v}, ${t}(${min}), ${t}(${max}))`,
      grad: (dy, xi) => dy.mul(xi.greaterEqual(min).logicalAnd(xi.lessEqual(max)).cast('float32')),
    },
    x,
  );
}

const castDefs: Record<DType, ElementwiseKernel> = {
  float32: kernelOf(
    'cast:float32',
    1,
    (v) => v,
    ([v]) => v,
    true,
  ),
  int32: kernelOf('cast:int32', 1, Math.trunc, ([v], t) => (t === 'f32' ? `trunc(${v})` : v)),
  bool: kernelOf(
    'cast:bool',
    1,
    (v) => Number(v !== 0),
    // NaN is non-zero, so true (tested on the bits: WGSL may assume no NaN).
    ([v], t) => `select(${t}(0), ${t}(1), (${v} != ${t}(0))${t === 'f32' ? ` | ${nanW(v)}` : ''})`,
  ),
};

/** Converts to another dtype (float→int truncates, non-zero→true). `cast(x, 'int32')` */
export function cast(x: T, dtype: DType): T {
  if (!(dtype in castDefs)) throw new Error(`cast: unknown dtype '${dtype}'`);
  const diff = x.dtype === 'float32' && dtype === 'float32';
  return ENGINE.run(
    'cast',
    [x],
    (b, [xi]) => [
      {
        dataId: xi.dtype === dtype ? xi.dataId : b.elementwise(castDefs[dtype], [xi], xi.shape, dtype),
        shape: xi.shape,
        dtype,
      },
    ],
    diff ? ([dy]) => [dy] : undefined,
  )[0];
}

const whereKernel = kernelOf(
  'where',
  3,
  (c, a, b) => (c !== 0 ? a : b),
  ([c, a, b], t) => `select(${b}, ${a}, ${c} != ${t}(0))`,
  true,
);

/** Picks a where cond is true, else b; all three broadcast. `where(x.greater(0), x, 0)` */
export function where(cond: T, a: Operand, b: Operand): T {
  if (cond.dtype !== 'bool')
    throw new Error(`where: condition must be bool, got ${cond.dtype} ${fmtShape(cond.shape)}`);
  const like =
    typeof a === 'object' && 'dataId' in a
      ? (a as T)
      : typeof b === 'object' && 'dataId' in b
        ? (b as T)
        : undefined;
  const [ta, tempA] = toTensor(a, like);
  const [tb, tempB] = toTensor(b, like);
  // Picking between two bool tensors gives bool; otherwise the promoted numeric dtype.
  const dtype =
    ta.dtype === 'bool' && tb.dtype === 'bool' ? 'bool' : inputDtypeOf('same', [ta.dtype, tb.dtype]);
  const ca = ta.dtype === dtype ? ta : cast(ta, dtype);
  const cb = tb.dtype === dtype ? tb : cast(tb, dtype);
  const c = dtype === 'bool' ? cond : cast(cond, dtype);
  try {
    return whereRun(c, ca, cb, dtype);
  } finally {
    // Temporaries are freed even when the shapes do not broadcast.
    for (const [t, temp] of [
      [ta, tempA],
      [tb, tempB],
    ] as const)
      if (temp) t.dispose();
    if (ca !== ta) ca.dispose();
    if (cb !== tb) cb.dispose();
    if (c !== cond) c.dispose();
  }
}

function whereRun(c: T, ca: T, cb: T, dtype: DType): T {
  const outShape = broadcastShapes('where', broadcastShapes('where', c.shape, ca.shape), cb.shape);
  return ENGINE.run(
    'where',
    [c, ca, cb],
    (bk, infos) => [{ dataId: bk.elementwise(whereKernel, infos, outShape, dtype), shape: outShape, dtype }],
    dtype === 'float32'
      ? ([dy], s) => {
          const mask = s.inputs[0].cast('bool');
          return [
            null,
            s.needs[1] ? sumToShape(where(mask, dy, 0), s.inputs[1].shape) : null,
            s.needs[2] ? sumToShape(where(mask, 0, dy), s.inputs[2].shape) : null,
          ];
        }
      : undefined,
  )[0];
}
