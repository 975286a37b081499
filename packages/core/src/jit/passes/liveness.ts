// Buffer planning by liveness: after which step each value's storage is released, so a replay
// frees every intermediate as soon as its last reader has run (the pool then reuses it).
import { stepInputs, stepOutputs, type ExecStep } from './plan.js';

/**
 * `freeAfter[k]`: values whose last reader is step k (or that step k produces and nobody reads),
 * excluding `kept` ones, which the caller holds past the replay.
 *
 * ```ts
 * const freeAfter = planLiveness(steps, new Set(graph.outputs));
 * ```
 */
export function planLiveness(steps: readonly ExecStep[], kept: ReadonlySet<number>): number[][] {
  const last = new Map<number, number>();
  steps.forEach((s, k) => {
    for (const v of stepOutputs(s)) last.set(v, k);
    for (const r of stepInputs(s)) if (r >= 0) last.set(r, k);
  });
  const freeAfter: number[][] = steps.map(() => []);
  for (const [v, k] of last) if (!kept.has(v)) freeAfter[k].push(v);
  return freeAfter;
}
