// The fusion passes in order: elementwise chains, matmul epilogues, reduction prologues, then
// multi-output groups of what is left elementwise, and reduction prologues and matmul epilogues
// storing several values.
import type { Sig } from '../../primitives/types.js';
import { fuseElementwise } from './fuse-elementwise.js';
import { fuseEpilogues } from './fuse-epilogue.js';
import { fuseEpilogueStores } from './fuse-epilogue-stores.js';
import { DEFAULT_STORAGE_BINDINGS, fuseMultiOutput } from './fuse-multi.js';
import { fusePrologues } from './fuse-prologue.js';
import { fusePrologueStores } from './fuse-prologue-stores.js';
import type { Ref } from '../graph.js';
import type { ExecStep } from './plan.js';

const sizeOf = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/**
 * Every fusion pass over `steps` (`kept` values are never fused away; a kernel binds at most
 * `maxBindings` storage buffers, default 8, besides up to `paramScalars` float32 scalar constants
 * it reads from its parameters).
 *
 * ```ts
 * const steps = fuse(eliminateDeadCode(asSteps(graph.nodes), kept), graph.valueSigs, kept);
 * ```
 */
export function fuse(
  steps: readonly ExecStep[],
  sigs: readonly Sig[],
  kept: ReadonlySet<number>,
  maxBindings = DEFAULT_STORAGE_BINDINGS,
  paramScalars = 0,
): ExecStep[] {
  const refs = new Set<Ref>();
  for (const s of steps)
    if (s.op === 'node' && s.node.op === 'const' && s.node.dtype === 'float32' && sizeOf(s.node.shape) === 1)
      refs.add(s.node.output);
  const budget = { max: maxBindings, scalars: { refs, max: paramScalars } };
  const single = fusePrologues(fuseEpilogues(fuseElementwise(steps, sigs, kept), sigs, kept), sigs, kept);
  const multi = fuseMultiOutput(single, sigs, kept, budget);
  const reductions = fusePrologueStores(multi, sigs, kept, budget);
  return fuseEpilogueStores(reductions, sigs, kept, budget);
}
