// The fusion passes in order: elementwise chains, matmul epilogues, reduction prologues, then
// multi-output groups of what is left elementwise, and reduction prologues and matmul epilogues
// storing several values.
import type { Sig } from '../../primitives/types.js';
import { fuseElementwise } from './fuse-elementwise.js';
import { fuseEpilogues } from './fuse-epilogue.js';
import { fuseEpilogueStores } from './fuse-epilogue-stores.js';
import { fuseMultiOutput } from './fuse-multi.js';
import { fusePrologues } from './fuse-prologue.js';
import { fusePrologueStores } from './fuse-prologue-stores.js';
import type { ExecStep } from './plan.js';

/**
 * Every fusion pass over `steps` (`kept` values are never fused away; a kernel binds at most
 * `maxBindings` storage buffers, default 8).
 *
 * ```ts
 * const steps = fuse(eliminateDeadCode(asSteps(graph.nodes), kept), graph.valueSigs, kept);
 * ```
 */
export function fuse(
  steps: readonly ExecStep[],
  sigs: readonly Sig[],
  kept: ReadonlySet<number>,
  maxBindings?: number,
): ExecStep[] {
  const single = fusePrologues(fuseEpilogues(fuseElementwise(steps, sigs, kept), sigs, kept), sigs, kept);
  const multi = fuseMultiOutput(single, sigs, kept, maxBindings);
  const reductions = fusePrologueStores(multi, sigs, kept, maxBindings);
  return fuseEpilogueStores(reductions, sigs, kept, maxBindings);
}
