// Index helpers for the CPU kernels: broadcast strides and an odometer over an output shape.
import { stridesOf } from '../shape.js';

/** Strides of an input broadcast to an output shape (0 on broadcast axes). */
export function broadcastStrides(inShape: readonly number[], outShape: readonly number[]): number[] {
  const own = stridesOf(inShape);
  const lead = outShape.length - inShape.length;
  return outShape.map((_, i) => (i < lead || inShape[i - lead] === 1 ? 0 : own[i - lead]));
}

/**
 * Calls fn(outIndex, offsets) for every element of outShape in row-major order, where
 * offsets[k] is the flat index into input k given its strides.
 */
export function forEachIndex(
  outShape: readonly number[],
  strides: readonly number[][],
  fn: (i: number, offsets: number[]) => void,
): void {
  const rank = outShape.length;
  const n = outShape.reduce((a, d) => a * d, 1);
  if (n === 0) return;
  const counter = new Array<number>(rank).fill(0);
  const offsets = strides.map(() => 0);
  for (let i = 0; i < n; i++) {
    fn(i, offsets);
    for (let d = rank - 1; d >= 0; d--) {
      counter[d]++;
      for (let k = 0; k < strides.length; k++) offsets[k] += strides[k][d];
      if (counter[d] < outShape[d]) break;
      for (let k = 0; k < strides.length; k++) offsets[k] -= strides[k][d] * outShape[d];
      counter[d] = 0;
    }
  }
}
