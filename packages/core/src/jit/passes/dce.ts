// Dead-code elimination: drops steps none of whose outputs is read later or kept (result, Variable
// writes, tensors alive after the call). Primitives have no side effects, so this is safe.
import { stepInputs, stepOutputs, type ExecStep } from './plan.js';

/**
 * The steps that contribute to `kept` values.
 *
 * ```ts
 * const live = eliminateDeadCode(steps, new Set(graph.outputs));
 * ```
 */
export function eliminateDeadCode(steps: readonly ExecStep[], kept: ReadonlySet<number>): ExecStep[] {
  const needed = new Set(kept);
  const out: ExecStep[] = [];
  for (let k = steps.length - 1; k >= 0; k--) {
    const s = steps[k];
    if (!stepOutputs(s).some((v) => needed.has(v))) continue;
    out.push(s);
    for (const r of stepInputs(s)) if (r >= 0) needed.add(r);
  }
  return out.reverse();
}
