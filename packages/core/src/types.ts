// Basic types shared by every part of core: dtypes, shapes and typed arrays.

/**
 * Element type of a tensor.
 *
 * ```ts
 * const dtype: DType = 'int32';
 * zeros([2], dtype);
 * ```
 */
export type DType = 'float32' | 'int32' | 'bool';

/**
 * Typed array holding a tensor's values: Float32Array, Int32Array or Uint8Array (bool).
 *
 * ```ts
 * const values: TypedArray = await tensor([1, 2]).data(); // Float32Array
 * ```
 */
export type TypedArray = Float32Array | Int32Array | Uint8Array;

/**
 * Nested JS arrays of numbers, as returned by `array()`.
 *
 * ```ts
 * const rows: NestedArray = await tensor([[1, 2], [3, 4]]).array(); // [[1, 2], [3, 4]]
 * ```
 */
export type NestedArray = number | NestedArray[];

/**
 * Values accepted by `tensor()`.
 *
 * ```ts
 * const values: TensorLike = [[1, 2], [3, 4]];
 * tensor(values); // shape [2, 2]
 * ```
 */
export type TensorLike = number | boolean | TypedArray | readonly number[] | readonly boolean[] | NestedInput;
type NestedInput = readonly (number | boolean | NestedInput)[];

const DTYPES: readonly string[] = ['float32', 'int32', 'bool'];

/** Throws naming the op unless dtype is one webdl supports ('float32', 'int32', 'bool'). */
export function assertDType(op: string, dtype: unknown): asserts dtype is DType {
  if (!DTYPES.includes(dtype as string))
    throw new Error(`${op}: unsupported dtype '${String(dtype)}' (supported: float32, int32, bool)`);
}

/** Bytes taken by one element of a dtype. */
export function bytesPerElement(dtype: DType): number {
  return dtype === 'bool' ? 1 : 4;
}

/** Allocates a typed array for a dtype. */
export function makeTypedArray(dtype: DType, size: number): TypedArray {
  if (dtype === 'float32') return new Float32Array(size);
  if (dtype === 'int32') return new Int32Array(size);
  return new Uint8Array(size);
}

/** Whether gradients can flow through values of this dtype. */
export function isFloat(dtype: DType): boolean {
  return dtype === 'float32';
}
