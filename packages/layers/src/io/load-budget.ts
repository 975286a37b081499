// A bound on the weights a model built from a file may create: a hostile config claiming huge shapes
// is refused before it allocates (and initializes) gigabytes that the file could never fill.
import type { Variable } from '@webdl/core';

/** Weights a layer may create beyond the file's bytes (state some layers keep but never save). */
const SLACK = 1 << 20;

interface Budget {
  where: string;
  bytes: number;
  left: number;
  made: Variable[];
}
let active: Budget | null = null;

/**
 * Runs `build` (which deserializes and builds a model) allowing its layers to create at most `bytes`
 * of weights (+1 MiB); past that `addWeight` throws naming the file and the weight, and every weight
 * created so far is disposed.
 *
 * ```ts
 * const model = withWeightBudget('model.keras', weightsBytes.length, () => modelFromKerasConfig(config, where));
 * ```
 */
export function withWeightBudget<T>(where: string, bytes: number, build: () => T): T {
  const outer = active;
  const budget: Budget = { where, bytes, left: bytes + SLACK, made: [] };
  active = budget;
  try {
    return build();
  } catch (e) {
    for (const v of budget.made) if (!v.isDisposed) v.dispose();
    throw e;
  } finally {
    active = outer;
  }
}

/** Charges a weight about to be created against the active budget (no-op outside a load). */
export function chargeWeight(name: string, shape: readonly number[]): void {
  if (!active) return;
  const n = shape.reduce((a, b) => a * b, 1) * 4;
  active.left -= n;
  if (active.left < 0)
    throw new Error(
      `${active.where}: the config asks for weight '${name}' of shape [${shape.join(',')}] (${n} bytes), more than the file's ${active.bytes} bytes of weights could hold`,
    );
}

/** Records a weight created under the active budget (disposed if the build fails). */
export function madeWeight(v: Variable): void {
  active?.made.push(v);
}
