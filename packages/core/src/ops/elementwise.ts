// Elementwise ops: operands become tensors of one promoted dtype, then the registry's primitive
// runs with NumPy broadcasting (see primitives/binary.ts and primitives/unary.ts for the math).
import { broadcastShapes, fmtShape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import type { DType } from '../types.js';
import { toTensor, type Operand } from './operand.js';
import { runPrimitive } from '../primitives/registry.js';
import type { BinaryName } from '../primitives/binary.js';
import type { PrimitiveAttrs } from '../primitives/types.js';
import type { DtypeRule, UnaryName } from '../primitives/unary.js';
import { BINARY } from '../primitives/binary.js';
import { UNARY } from '../primitives/unary.js';

type T = Tensor;

export type { BinaryName, UnaryName, DtypeRule };

function inputDtypeOf(rule: DtypeRule, dtypes: DType[]): DType {
  if (rule === 'float') return 'float32';
  if (rule === 'logical') return 'bool';
  if (dtypes.includes('float32')) return 'float32';
  if (dtypes.includes('int32')) return 'int32';
  return rule === 'same' ? 'int32' : 'bool';
}

type ElementwiseName = BinaryName | UnaryName | 'leakyRelu' | 'elu' | 'clipByValue';

/** Runs an elementwise primitive over operands converted and promoted to one dtype. */
function runElementwise<P extends ElementwiseName>(
  name: P,
  rule: DtypeRule,
  operands: Operand[],
  attrs: PrimitiveAttrs[P],
): T {
  const temps: T[] = [];
  // Temporaries (number operands, casts) are freed even when the shapes do not broadcast.
  try {
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
    let shape = xs[0].shape;
    for (const x of xs.slice(1)) shape = broadcastShapes(name, shape, x.shape);
    return runPrimitive(name, xs, attrs)[0];
  } finally {
    for (const t of temps) t.dispose();
  }
}

// The tables are read when an op runs, not when this module loads, so import order never matters.
function binary(name: BinaryName) {
  return (a: Operand, b: Operand): T => runElementwise(name, BINARY[name].dtype, [a, b], {});
}

function unary(name: UnaryName) {
  return (x: Operand): T => runElementwise(name, UNARY[name].dtype, [x], {});
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
  return runElementwise('leakyRelu', 'float', [x], { alpha });
}

/** x if x > 0 else alpha·(e^x - 1). */
export function elu(x: Operand, alpha = 1): T {
  return runElementwise('elu', 'float', [x], { alpha });
}

/** GELU; exact (erf) by default as Keras, tanh approximation when `approximate`. */
export function gelu(x: Operand, approximate = false): T {
  return runElementwise(approximate ? 'geluTanh' : 'gelu', 'float', [x], {});
}

/** Clamps x to [min, max]. */
export function clipByValue(x: Operand, min: number, max: number): T {
  if (!(min <= max)) throw new Error(`clipByValue: min (${min}) must be <= max (${max})`);
  return runElementwise('clipByValue', 'same', [x], { min, max });
}

const DTYPES: readonly DType[] = ['float32', 'int32', 'bool'];

/** Converts to another dtype (float→int truncates, non-zero→true). `cast(x, 'int32')` */
export function cast(x: T, dtype: DType): T {
  if (!DTYPES.includes(dtype)) throw new Error(`cast: unknown dtype '${dtype}'`);
  return runPrimitive('cast', [x], { dtype })[0];
}

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
    broadcastShapes('where', broadcastShapes('where', c.shape, ca.shape), cb.shape);
    return runPrimitive('where', [c, ca, cb], {})[0];
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
