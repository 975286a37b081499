// The fusion passes in order: elementwise chains, then matmul epilogues, then reduction prologues.
import type { Sig } from '../../primitives/types.js';
import { fuseElementwise } from './fuse-elementwise.js';
import { fuseEpilogues } from './fuse-epilogue.js';
import { fusePrologues } from './fuse-prologue.js';
import type { ExecStep } from './plan.js';

/**
 * Every fusion pass over `steps` (`kept` values are never fused away).
 *
 * ```ts
 * const steps = fuse(eliminateDeadCode(asSteps(graph.nodes), kept), graph.valueSigs, kept);
 * ```
 */
export function fuse(
  steps: readonly ExecStep[],
  sigs: readonly Sig[],
  kept: ReadonlySet<number>,
): ExecStep[] {
  return fusePrologues(fuseEpilogues(fuseElementwise(steps, sigs, kept), sigs, kept), sigs, kept);
}
