// Collects the extra losses of a forward pass (activity regularization) while the trainer asks for them.
import type { Tensor } from '@webdl/core';
import type { Regularizer } from '../regularizers.js';

const active: Tensor[][] = [];

/**
 * Runs fn and returns what it returned plus the activity losses layers added meanwhile. Outside
 * such a call layers add nothing, so predict and plain apply compute no penalties.
 *
 * ```ts
 * const [out, losses] = collectLosses(() => model.apply(x, { training: true }));
 * ```
 */
export function collectLosses<T>(fn: () => T): [T, Tensor[]] {
  const losses: Tensor[] = [];
  active.push(losses);
  try {
    return [fn(), losses];
  } finally {
    active.pop();
  }
}

/** Adds `regularizer(output)` for every output tensor to the losses being collected, if any are. */
export function addActivityLoss(regularizer: Regularizer | null, outputs: Tensor | Tensor[]): void {
  const sink = active.at(-1);
  if (!regularizer || !sink) return;
  for (const t of Array.isArray(outputs) ? outputs : [outputs]) sink.push(regularizer.apply(t));
}
