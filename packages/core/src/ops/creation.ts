// Tensor creation: from values, constant fills, ranges, one-hot, seeded random numbers, variables.
import { ENGINE } from '../engine.js';
import { equal, where } from './elementwise.js';
import { expandDims } from './shape-ops.js';
import { tidy } from './memory.js';
import { checkIndexRange } from './index-check.js';
import { assertShape, fmtShape, sizeOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import { Variable } from '../variable.js';
import { runPrimitive } from '../primitives/registry.js';
import { assertDType, makeTypedArray, type DType, type TensorLike, type TypedArray } from '../types.js';

function inferShape(values: TensorLike): number[] {
  const shape: number[] = [];
  let v: unknown = values;
  while (Array.isArray(v)) {
    shape.push(v.length);
    v = v[0];
  }
  return shape;
}

function flattenInto(
  op: string,
  values: unknown,
  shape: readonly number[],
  dim: number,
  out: number[],
): void {
  if (dim === shape.length) {
    if (Array.isArray(values))
      throw new Error(`${op}: ragged nested array (expected a number at depth ${dim})`);
    if (typeof values !== 'number' && typeof values !== 'boolean')
      throw new Error(
        `${op}: values must be numbers or booleans, got ${typeof values} ${JSON.stringify(values)}`,
      );
    out.push(typeof values === 'boolean' ? Number(values) : values);
    return;
  }
  if (!Array.isArray(values) || values.length !== shape[dim]) {
    throw new Error(
      `${op}: ragged nested array: expected ${shape[dim]} elements at depth ${dim}, shape ${fmtShape(shape)}`,
    );
  }
  for (const v of values) flattenInto(op, v, shape, dim + 1, out);
}

function dtypeOfArray(values: TypedArray): DType {
  if (values instanceof Float32Array) return 'float32';
  if (values instanceof Int32Array) return 'int32';
  return 'bool';
}

/**
 * Creates a tensor from a number, nested arrays or a typed array.
 *
 * ```ts
 * tensor([[1, 2], [3, 4]]);            // float32 [2,2]
 * tensor([1, 2, 3, 4], [2, 2], 'int32');
 * ```
 */
export function tensor(values: TensorLike, shape?: readonly number[], dtype?: DType): Tensor {
  let flat: ArrayLike<number>;
  let inferred: number[];
  let inferredDtype: DType = 'float32';
  if (ArrayBuffer.isView(values)) {
    flat = values as TypedArray;
    inferred = [flat.length];
    inferredDtype = dtypeOfArray(values as TypedArray);
  } else if (typeof values === 'number' || typeof values === 'boolean') {
    flat = [Number(values)];
    inferred = [];
    if (typeof values === 'boolean') inferredDtype = 'bool';
  } else if (!Array.isArray(values)) {
    throw new Error(
      `tensor: values must be a number, boolean, array or typed array, got ${typeof values} ${String(values)}`,
    );
  } else {
    inferred = inferShape(values);
    const out: number[] = [];
    flattenInto('tensor', values, inferred, 0, out);
    flat = out;
    if (typeof findFirst(values) === 'boolean') inferredDtype = 'bool';
  }
  const finalShape = shape ? [...shape] : inferred;
  assertShape('tensor', finalShape);
  const n = sizeOf(finalShape);
  const dt = dtype ?? inferredDtype;
  assertDType('tensor', dt);
  if (flat.length !== n && !(flat.length === 1 && shape)) {
    throw new Error(
      `tensor: ${flat.length} values do not fill shape ${fmtShape(finalShape)} (${n} elements)`,
    );
  }
  const data = makeTypedArray(dt, n);
  if (flat.length === n) {
    if (dt === 'bool') for (let i = 0; i < n; i++) data[i] = flat[i] ? 1 : 0;
    else data.set(flat as ArrayLike<number>);
  } else data.fill(dt === 'bool' ? Number(flat[0] !== 0) : flat[0]);
  return ENGINE.upload(data, finalShape, dt);
}

function findFirst(v: unknown): unknown {
  while (Array.isArray(v)) v = v[0];
  return v;
}

/**
 * A 0-d tensor. `scalar(3)`
 *
 * ```ts
 * scalar(3); // a 0-d tensor
 * ```
 */
export function scalar(value: number | boolean, dtype?: DType): Tensor {
  return tensor(value, [], dtype);
}

/**
 * A tensor filled with one value. `fill([2, 3], 7)`
 *
 * ```ts
 * fill([2, 3], 7); // [[7, 7, 7], [7, 7, 7]]
 * ```
 */
export function fill(shape: readonly number[], value: number, dtype: DType = 'float32'): Tensor {
  return filled('fill', shape, value, dtype);
}

/** fill under the name of the function the user called (zeros, ones, zerosLike, ...). */
function filled(op: string, shape: readonly number[], value: number, dtype: DType): Tensor {
  assertShape(op, shape);
  assertDType(op, dtype);
  const data = makeTypedArray(dtype, sizeOf(shape));
  data.fill(dtype === 'bool' ? Number(value !== 0) : value);
  return ENGINE.upload(data, shape, dtype);
}

/**
 * All zeros. `zeros([2, 3])`
 *
 * ```ts
 * zeros([2, 3]); // float32 [[0, 0, 0], [0, 0, 0]]
 * ```
 */
export function zeros(shape: readonly number[], dtype: DType = 'float32'): Tensor {
  return filled('zeros', shape, 0, dtype);
}

/**
 * All ones. `ones([2, 3])`
 *
 * ```ts
 * ones([3], 'int32'); // [1, 1, 1]
 * ```
 */
export function ones(shape: readonly number[], dtype: DType = 'float32'): Tensor {
  return filled('ones', shape, 1, dtype);
}

/**
 * Zeros with the shape and dtype of t.
 *
 * ```ts
 * zerosLike(tensor([[1, 2]])); // [[0, 0]]
 * ```
 */
export function zerosLike(t: Tensor): Tensor {
  t.assertAlive('zerosLike');
  return filled('zerosLike', t.shape, 0, t.dtype);
}

/**
 * Ones with the shape and dtype of t.
 *
 * ```ts
 * onesLike(tensor([[1, 2]])); // [[1, 1]]
 * ```
 */
export function onesLike(t: Tensor): Tensor {
  t.assertAlive('onesLike');
  return filled('onesLike', t.shape, 1, t.dtype);
}

/**
 * Identity matrix n x n. `eye(3)`
 *
 * ```ts
 * eye(2); // [[1, 0], [0, 1]]
 * ```
 */
export function eye(n: number, dtype: DType = 'float32'): Tensor {
  assertShape('eye', [n]);
  assertDType('eye', dtype);
  const data = makeTypedArray(dtype, n * n);
  for (let i = 0; i < n; i++) data[i * n + i] = 1;
  return ENGINE.upload(data, [n, n], dtype);
}

/**
 * Values start, start+step, ... below stop. `range(0, 5)` gives [0,1,2,3,4].
 *
 * ```ts
 * range(0, 10, 3); // [0, 3, 6, 9]
 * ```
 */
export function range(start: number, stop: number, step = 1, dtype: DType = 'float32'): Tensor {
  if (step === 0) throw new Error('range: step must not be 0');
  if (![start, stop, step].every(Number.isFinite))
    throw new Error(`range: start, stop and step must be finite, got ${start}, ${stop}, ${step}`);
  assertDType('range', dtype);
  const n = Math.max(0, Math.ceil((stop - start) / step));
  const data = makeTypedArray(dtype, n);
  for (let i = 0; i < n; i++) data[i] = start + i * step;
  return ENGINE.upload(data, [n], dtype);
}

/**
 * n evenly spaced values from a to b inclusive. `linspace(0, 1, 5)`
 *
 * ```ts
 * linspace(0, 1, 5); // [0, 0.25, 0.5, 0.75, 1]
 * ```
 */
export function linspace(a: number, b: number, n: number): Tensor {
  if (!Number.isInteger(n) || n < 0) throw new Error(`linspace: n must be a non-negative integer, got ${n}`);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = n === 1 ? a : a + ((b - a) * i) / (n - 1);
  return ENGINE.upload(data, [n], 'float32');
}

/**
 * One-hot encoding: int32 indices of shape S give float32 S + [depth]. `oneHot(tensor([0, 2], [2], 'int32'), 3)`
 *
 * ```ts
 * oneHot(tensor([0, 2], [2], 'int32'), 3); // [[1, 0, 0], [0, 0, 1]]
 * ```
 */
export function oneHot(
  indices: Tensor | readonly number[],
  depth: number,
  onValue = 1,
  offValue = 0,
): Tensor {
  if (!Number.isInteger(depth) || depth < 1)
    throw new Error(`oneHot: depth must be a positive integer, got ${depth}`);
  return tidy(() => {
    const idx = indices instanceof Tensor ? indices : tensor(indices as number[], undefined, 'int32');
    if (idx.dtype !== 'int32') throw new Error(`oneHot: indices must be int32, got ${idx.dtype}`);
    checkIndexRange('oneHot', idx, 0, depth);
    return where(equal(expandDims(idx, -1), range(0, depth, 1, 'int32')), onValue, offValue);
  });
}

let unseededCounter = (Math.random() * 2 ** 31) >>> 0;
function nextSeed(seed: number | undefined): number {
  if (seed !== undefined) {
    if (!Number.isFinite(seed)) throw new Error(`random: seed must be a finite number, got ${seed}`);
    return seed >>> 0;
  }
  unseededCounter = (unseededCounter + 0x9e3779b9) >>> 0;
  return unseededCounter;
}

/**
 * Normal random values; the same seed gives the same values on every backend.
 *
 * ```ts
 * randomNormal([2, 3], { mean: 0, stddev: 1, seed: 42 }); // the same values for seed 42 on every backend
 * ```
 */
export function randomNormal(
  shape: readonly number[],
  options: { mean?: number; stddev?: number; seed?: number } = {},
): Tensor {
  assertShape('randomNormal', shape);
  const { mean = 0, stddev = 1 } = options;
  if (!(stddev >= 0)) throw new Error(`randomNormal: stddev must be >= 0, got ${stddev}`);
  const seed = nextSeed(options.seed);
  return runPrimitive('randomNormal', [], { shape: [...shape], mean, stddev, seed })[0];
}

/**
 * Uniform random values in [minval, maxval); the same seed gives the same values on every backend.
 *
 * ```ts
 * randomUniform([4], { minval: -1, maxval: 1, seed: 7 });
 * ```
 */
export function randomUniform(
  shape: readonly number[],
  options: { minval?: number; maxval?: number; seed?: number } = {},
): Tensor {
  assertShape('randomUniform', shape);
  const { minval = 0, maxval = 1 } = options;
  if (!(maxval >= minval)) throw new Error(`randomUniform: maxval (${maxval}) must be >= minval (${minval})`);
  const seed = nextSeed(options.seed);
  return runPrimitive('randomUniform', [], { shape: [...shape], minval, maxval, seed })[0];
}

let variableCounter = 0;

/**
 * A mutable, by default trainable, tensor.
 *
 * ```ts
 * const w = variable(randomNormal([3, 1]), { name: 'w' });
 * w.assignSub(ones([3, 1]).mul(0.1));
 * ```
 */
export function variable(
  initial: Tensor | TensorLike,
  options: { trainable?: boolean; name?: string; dtype?: DType } = {},
): Variable {
  const t = initial instanceof Tensor ? initial : tensor(initial, undefined, options.dtype);
  const v = new Variable(t, options.trainable ?? true, options.name ?? `variable_${variableCounter++}`);
  if (!(initial instanceof Tensor)) t.dispose();
  return v;
}
