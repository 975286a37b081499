// Memory management functions: tidy scopes, keep, dispose and memory figures.
import { ENGINE, type MemoryInfo } from '../engine.js';
import type { Tensor } from '../tensor.js';

/**
 * Runs fn and disposes every tensor it created except those it returns (or `keep`s).
 *
 * ```ts
 * const y = tidy(() => x.mul(2).add(1)); // the intermediate x*2 is freed
 * ```
 */
export function tidy<T>(fn: () => T): T {
  return ENGINE.tidy(fn);
}

/**
 * Marks a tensor so that no enclosing tidy disposes it.
 *
 * ```ts
 * let w: Tensor | undefined;
 * tidy(() => { w = keep(tensor([1, 2]).square()); }); // w survives the tidy
 * ```
 */
export function keep<T extends Tensor>(t: T): T {
  t.isKept = true;
  return t;
}

/**
 * Disposes a tensor, or every tensor in an array or object.
 *
 * ```ts
 * const a = tensor([1]);
 * const b = tensor([2]);
 * dispose([a, b]); // memory().numTensors drops by 2
 * ```
 */
export function dispose(
  tensors: Tensor | readonly Tensor[] | Record<string, Tensor> | null | undefined,
): void {
  if (!tensors) return;
  if ('dispose' in tensors && typeof tensors.dispose === 'function') (tensors as Tensor).dispose();
  else for (const t of Object.values(tensors)) t.dispose();
}

/**
 * Live tensors, storage buffers and bytes, plus the backend's own figures.
 *
 * ```ts
 * const before = memory().numTensors;
 * tidy(() => tensor([1, 2]).square());
 * memory().numTensors === before; // true: nothing leaked
 * ```
 */
export function memory(): MemoryInfo {
  return ENGINE.memory();
}
