// Public leak-report functions: profileMemory (what a function leaves alive, and where it was made)
// and the switch of the garbage-collection safety net.
import { ENGINE } from '../engine.js';
import type { LeakedTensor } from '../leaks.js';

/**
 * What `profileMemory` found.
 *
 * ```ts
 * const profile: MemoryProfile<Tensor> = await profileMemory(() => tidy(() => tensor([1, 2]).square()));
 * profile.leaked.length; // 0: the result is returned, not leaked
 * ```
 */
export interface MemoryProfile<T> {
  /** fn's return value. */
  result: T;
  /** Tensors fn created that are still alive (returned ones included), each with its creation site. */
  leaked: LeakedTensor[];
  /** The live-tensor count before and after fn. */
  numTensorsBefore: number;
  numTensorsAfter: number;
  /** One line per leaked tensor: `dtype [shape] made by op at site`. */
  report: string;
}

/**
 * Runs fn (sync or async) and lists the tensors it created that are still alive afterwards, with the
 * op that made each and the first call site outside webdl.
 *
 * ```ts
 * const { leaked, report } = await profileMemory(() => { tensor([1, 2]).square(); });
 * console.log(report); // float32 [2] made by upload at file.ts:3:28 ...
 * ```
 */
export async function profileMemory<T>(fn: () => T | Promise<T>): Promise<MemoryProfile<T>> {
  const numTensorsBefore = ENGINE.numTensors;
  const set = ENGINE.leaks.begin();
  let result: T;
  let leaked: LeakedTensor[];
  try {
    result = await fn();
  } finally {
    leaked = ENGINE.leaks.end(set);
  }
  const report = leaked
    .map((t) => `${t.dtype} [${t.shape.join(',')}] made by ${t.op} at ${t.site}`)
    .join('\n');
  return { result, leaked, numTensorsBefore, numTensorsAfter: ENGINE.numTensors, report };
}

/**
 * Turns the garbage-collection safety net on (the default) or off. When on, a tensor that becomes
 * unreachable without `dispose()` has its storage freed once the garbage collector finalizes it
 * (counted in `memory().collectedByGc`), so a forgotten dispose costs time, not the device's memory.
 * Off saves the small registration cost per tensor; it applies to tensors created afterwards.
 *
 * ```ts
 * setGcSafetyNet(false);
 * ```
 */
export function setGcSafetyNet(enabled: boolean): void {
  ENGINE.leaks.gcSafetyNet = enabled;
}
