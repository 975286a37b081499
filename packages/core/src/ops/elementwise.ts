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
/**
 * a + b, broadcasting. `add(x, 1)`
 * ```ts
 * add(tensor([1, 2]), 10); // [11, 12]
 * ```
 */
export const add = binary('add');
/**
 * a - b, broadcasting.
 * ```ts
 * sub(tensor([[5, 5]]), tensor([[1], [2]])); // [[4, 4], [3, 3]]: broadcast
 * ```
 */
export const sub = binary('sub');
/**
 * a * b, broadcasting.
 * ```ts
 * mul(tensor([1, 2, 3]), 2); // [2, 4, 6]
 * ```
 */
export const mul = binary('mul');
/**
 * a / b (float), broadcasting.
 * ```ts
 * div(tensor([1, 2]), 4); // [0.25, 0.5]
 * ```
 */
export const div = binary('div');
/**
 * a ** b (float), broadcasting.
 * ```ts
 * pow(tensor([2, 3]), 2); // [4, 9]
 * ```
 */
export const pow = binary('pow');
/**
 * Elementwise max of a and b.
 * ```ts
 * maximum(tensor([1, 5]), 3); // [3, 5]
 * ```
 */
export const maximum = binary('maximum');
/**
 * Elementwise min of a and b.
 * ```ts
 * minimum(tensor([1, 5]), 3); // [1, 3]
 * ```
 */
export const minimum = binary('minimum');
/**
 * a == b as bool.
 * ```ts
 * equal(tensor([1, 2]), tensor([1, 3])); // [true, false]
 * ```
 */
export const equal = binary('equal');
/**
 * a != b as bool.
 * ```ts
 * notEqual(tensor([1, 2]), 2); // [true, false]
 * ```
 */
export const notEqual = binary('notEqual');
/**
 * a > b as bool.
 * ```ts
 * greater(tensor([1, 3]), 2); // [false, true]
 * ```
 */
export const greater = binary('greater');
/**
 * a >= b as bool.
 * ```ts
 * greaterEqual(tensor([1, 2]), 2); // [false, true]
 * ```
 */
export const greaterEqual = binary('greaterEqual');
/**
 * a < b as bool.
 * ```ts
 * less(tensor([1, 3]), 2); // [true, false]
 * ```
 */
export const less = binary('less');
/**
 * a <= b as bool.
 * ```ts
 * lessEqual(tensor([2, 3]), 2); // [true, false]
 * ```
 */
export const lessEqual = binary('lessEqual');
/**
 * a && b (bool).
 * ```ts
 * logicalAnd(tensor([true, true]), tensor([true, false])); // [true, false]
 * ```
 */
export const logicalAnd = binary('logicalAnd');
/**
 * a || b (bool).
 * ```ts
 * logicalOr(tensor([false, true]), tensor([false, false])); // [false, true]
 * ```
 */
export const logicalOr = binary('logicalOr');

/**
 * -x
 * ```ts
 * neg(tensor([1, -2])); // [-1, 2]
 * ```
 */
export const neg = unary('neg');
/**
 * |x|
 * ```ts
 * abs(tensor([-1, 2])); // [1, 2]
 * ```
 */
export const abs = unary('abs');
/**
 * -1, 0 or 1
 * ```ts
 * sign(tensor([-3, 0, 2])); // [-1, 0, 1]
 * ```
 */
export const sign = unary('sign');
/**
 * e^x
 * ```ts
 * exp(tensor([0, 1])); // [1, 2.718...]
 * ```
 */
export const exp = unary('exp');
/**
 * natural log
 * ```ts
 * log(tensor([1, Math.E])); // [0, 1]
 * ```
 */
export const log = unary('log');
/**
 * log(1 + x)
 * ```ts
 * log1p(tensor([0, 1e-8])); // [0, 1e-8], exact for small x
 * ```
 */
export const log1p = unary('log1p');
/**
 * √x
 * ```ts
 * sqrt(tensor([4, 9])); // [2, 3]
 * ```
 */
export const sqrt = unary('sqrt');
/**
 * 1/√x
 * ```ts
 * rsqrt(tensor([4, 16])); // [0.5, 0.25]
 * ```
 */
export const rsqrt = unary('rsqrt');
/**
 * x²
 * ```ts
 * square(tensor([-2, 3])); // [4, 9]
 * ```
 */
export const square = unary('square');
/**
 * 1/x
 * ```ts
 * reciprocal(tensor([2, 4])); // [0.5, 0.25]
 * ```
 */
export const reciprocal = unary('reciprocal');
/**
 * sine
 * ```ts
 * sin(tensor([0, Math.PI / 2])); // [0, 1]
 * ```
 */
export const sin = unary('sin');
/**
 * cosine
 * ```ts
 * cos(tensor([0, Math.PI])); // [1, -1]
 * ```
 */
export const cos = unary('cos');
/**
 * hyperbolic tangent
 * ```ts
 * tanh(tensor([0, 100])); // [0, 1]
 * ```
 */
export const tanh = unary('tanh');
/**
 * 1/(1+e^-x)
 * ```ts
 * sigmoid(tensor([0])); // [0.5]
 * ```
 */
export const sigmoid = unary('sigmoid');
/**
 * max(x, 0)
 * ```ts
 * relu(tensor([-1, 2])); // [0, 2]
 * ```
 */
export const relu = unary('relu');
/**
 * min(max(x, 0), 6)
 * ```ts
 * relu6(tensor([-1, 3, 9])); // [0, 3, 6]
 * ```
 */
export const relu6 = unary('relu6');
/**
 * SELU with Keras's constants
 * ```ts
 * selu(tensor([-1, 1])); // [-1.111..., 1.0507...]
 * ```
 */
export const selu = unary('selu');
/**
 * log(1 + e^x), stable
 * ```ts
 * softplus(tensor([0])); // [log 2]
 * ```
 */
export const softplus = unary('softplus');
/**
 * x/(1+|x|)
 * ```ts
 * softsign(tensor([1, -3])); // [0.5, -0.75]
 * ```
 */
export const softsign = unary('softsign');
/**
 * x·sigmoid(x) (swish)
 * ```ts
 * silu(tensor([0, 1])); // [0, 0.731...]
 * ```
 */
export const silu = unary('silu');
/**
 * Gauss error function
 * ```ts
 * erf(tensor([0, 1])); // [0, 0.8427...]
 * ```
 */
export const erf = unary('erf');
/**
 * round down
 * ```ts
 * floor(tensor([1.5, -1.5])); // [1, -2]
 * ```
 */
export const floor = unary('floor');
/**
 * round up
 * ```ts
 * ceil(tensor([1.5, -1.5])); // [2, -1]
 * ```
 */
export const ceil = unary('ceil');
/**
 * round half to even, as TensorFlow
 * ```ts
 * round(tensor([0.5, 1.5, 2.5])); // [0, 2, 2]
 * ```
 */
export const round = unary('round');
/**
 * !x (bool)
 * ```ts
 * logicalNot(tensor([true, false])); // [false, true]
 * ```
 */
export const logicalNot = unary('logicalNot');

/**
 * x if x > 0 else alpha·x. `leakyRelu(x, 0.2)`
 * ```ts
 * leakyRelu(tensor([-1, 2]), 0.2); // [-0.2, 2]
 * ```
 */
export function leakyRelu(x: Operand, alpha = 0.2): T {
  return runElementwise('leakyRelu', 'float', [x], { alpha });
}

/**
 * x if x > 0 else alpha·(e^x - 1).
 * ```ts
 * elu(tensor([-1, 2])); // [e^-1 - 1, 2]
 * ```
 */
export function elu(x: Operand, alpha = 1): T {
  return runElementwise('elu', 'float', [x], { alpha });
}

/**
 * GELU; exact (erf) by default as Keras, tanh approximation when `approximate`.
 * ```ts
 * gelu(tensor([-1, 0, 1])); // ≈ [-0.159, 0, 0.841]
 * ```
 */
export function gelu(x: Operand, approximate = false): T {
  return runElementwise(approximate ? 'geluTanh' : 'gelu', 'float', [x], {});
}

/**
 * Clamps x to [min, max].
 * ```ts
 * clipByValue(tensor([-2, 0.5, 3]), 0, 1); // [0, 0.5, 1]
 * ```
 */
export function clipByValue(x: Operand, min: number, max: number): T {
  if (!(min <= max)) throw new Error(`clipByValue: min (${min}) must be <= max (${max})`);
  return runElementwise('clipByValue', 'same', [x], { min, max });
}

const DTYPES: readonly DType[] = ['float32', 'int32', 'bool'];

/**
 * Converts to another dtype (float→int truncates, non-zero→true). `cast(x, 'int32')`
 * ```ts
 * cast(tensor([1.7, -1.7]), 'int32'); // [1, -1]
 * ```
 */
export function cast(x: T, dtype: DType): T {
  if (!DTYPES.includes(dtype)) throw new Error(`cast: unknown dtype '${dtype}'`);
  return runPrimitive('cast', [x], { dtype })[0];
}

/**
 * Picks a where cond is true, else b; all three broadcast. `where(x.greater(0), x, 0)`
 * ```ts
 * where(tensor([-1, 2]).greater(0), tensor([-1, 2]), 0); // [0, 2]
 * ```
 */
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
