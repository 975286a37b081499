// Index range checks that work on every backend: at once where values are on the host (CPU), else as a
// device-side assert that the next readback throws (WebGPU), so a bad index never silently reads 0.
import type { Tensor } from '../tensor.js';

/**
 * Throws `${op}: index 7 out of range [0, 5)` if an int32 index lies outside [lo, hi): immediately on
 * backends with synchronous reads, else at the next readback or `ready()` (a device-side assert).
 *
 * ```ts
 * checkIndexRange('sparseCategoricalCrossentropy', labels, 0, 10);
 * ```
 */
export function checkIndexRange(op: string, indices: Tensor, lo: number, hi: number): void {
  indices.assertAlive(op);
  if (indices.dtype !== 'int32') throw new Error(`${op}: indices must be int32, got ${indices.dtype}`);
  const backend = indices.backend;
  if (backend.readSync) {
    const values = backend.readSync(indices.dataId, indices.dtype, indices.size);
    for (const v of values)
      if (v < lo || v >= hi) throw new Error(`${op}: index ${v} out of range [${lo}, ${hi})`);
    return;
  }
  backend.checkIndices?.(op, indices, lo, hi);
}
