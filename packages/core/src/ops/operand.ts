// Operand handling shared by ops: numbers become tensors, broadcast gradients fold back to shapes.
import { Tensor } from '../tensor.js';
import type { DType, TensorLike } from '../types.js';
import { tensor } from './creation.js';
import { sum } from './reduce.js';
import { reshape } from './shape-ops.js';

/**
 * A tensor, or a value accepted where a tensor is (number, boolean, nested arrays, typed array).
 *
 * ```ts
 * const scale = (x: Tensor, by: Operand) => x.mul(by);
 * scale(tensor([1, 2]), 3); // [3, 6]
 * ```
 */
export type Operand = Tensor | TensorLike;

/**
 * Converts an operand to a tensor. A number takes the dtype of `like` when that is float32, or
 * int32 for integers next to an int32 tensor; otherwise float32. Returns whether it is a temporary.
 */
export function toTensor(x: Operand, like?: Tensor): [Tensor, boolean] {
  if (x instanceof Tensor) return [x, false];
  let dtype: DType | undefined;
  if (typeof x === 'number' && like) {
    if (like.dtype === 'int32' && Number.isInteger(x)) dtype = 'int32';
    else dtype = 'float32';
  } else if (typeof x === 'boolean' && like?.dtype === 'bool') dtype = 'bool';
  return [tensor(x, undefined, dtype), true];
}

/** Sums a broadcast gradient back to the shape of the operand it flows to. */
export function sumToShape(g: Tensor, shape: readonly number[]): Tensor {
  if (g.shape.length === shape.length && g.shape.every((d, i) => d === shape[i])) return g;
  const lead = g.rank - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < g.rank; i++) {
    if (i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1)) axes.push(i);
  }
  const s = axes.length > 0 ? sum(g, axes, true) : g;
  return reshape(s, shape);
}
