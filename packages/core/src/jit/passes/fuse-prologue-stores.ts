// Prologues that store several values: a float32 sum/prod/max/min (or a prologue step) reading an
// elementwise or multi-output step of the reduced shape computes that step as it reads, even when
// the step's values are read elsewhere too: they are stored by the reduction kernel (softmax's
// exp(x - max) next to its sum; a gradient chain next to the row sum that needs it). Backends
// without `reducePrologueStores` run one elementwise kernel per stored value, then the prologue.
import type { Backend, DataId, ReduceOp, TensorInfo } from '../../backend.js';
import type { ReduceAttrs, Sig } from '../../primitives/types.js';
import { sizeOf, shapesEqual } from '../../shape.js';
import type { PrimNode, Ref } from '../graph.js';
import { chainKernel, type ChainStep } from './fuse-elementwise.js';
import { chainOf, identity, stepsOf, type Chain } from './fuse-epilogue-stores.js';
import { DEFAULT_BUDGET, overBudget, type BindingBudget } from './fuse-multi.js';
import { runPrologue } from './fuse-prologue.js';
import { stepLinks, stepOutputs, type ExecStep, type PrologueStep } from './plan.js';

const FUSIBLE = new Set(['sum', 'prod', 'max', 'min']);

/**
 * Merges into each float32 reduction (plain, or a prologue step without stores) the elementwise or
 * multi-output step producing what it reads, of the reduced shape, when every other reader of
 * that step's values runs later (identities reading them move after it) and the output, inputs
 * and stored values bind at most `budget.max` buffers. The merged step runs where the reduction was.
 *
 * ```ts
 * steps = fusePrologueStores(fuseMultiOutput(steps, sigs, kept), sigs, kept, { max: 10 });
 * ```
 */
export function fusePrologueStores(
  steps: readonly ExecStep[],
  sigs: readonly Sig[],
  kept: ReadonlySet<number>,
  budget: BindingBudget = DEFAULT_BUDGET,
): ExecStep[] {
  const { readers, producer } = stepLinks(steps);
  const merged = new Map<number, PrologueStep>();
  const moved = new Map<number, number[]>();
  const removed = new Set<number>();
  steps.forEach((s, r) => {
    const node = reductionOf(s, sigs);
    if (!node) return;
    const shape = sigs[node.inputs[0]].shape;
    const reads = s.op === 'prologue' ? s : null;
    for (const x of new Set(reads ? reads.inputs : node.inputs)) {
      const p = x >= 0 ? producer.get(x) : undefined;
      if (p === undefined || removed.has(p) || merged.has(p)) continue;
      const chain = chainOf(steps[p]);
      if (
        !chain ||
        chain.outputs.some((v) => sigs[v].dtype !== 'float32' || !shapesEqual(sigs[v].shape, shape))
      )
        continue;
      // A plain reduction reads the chain's value: its last.
      if (!reads && chain.outputs[chain.outputs.length - 1] !== x) continue;
      const early: number[] = [];
      const later = (k: number) =>
        stepOutputs(steps[k]).every((o) => (readers.get(o) ?? []).every((j) => j > r));
      const stored = chain.outputs.filter((o) => {
        const others = (readers.get(o) ?? []).filter((k) => k !== r);
        early.push(...others.filter((k) => k < r));
        return others.length > 0 || kept.has(o);
      });
      if (!early.every((k) => identity(steps[k]) && later(k))) continue;
      const step = prologueStep(s, node, reads, chain, stored);
      if (overBudget(budget, step.inputs, 1 + stored.length)) continue;
      const from = steps[p];
      step.fused.push(...(from.op === 'node' ? [from.at] : (from as { fused: readonly number[] }).fused));
      step.fused.sort((a, b) => a - b);
      merged.set(r, step);
      moved.set(
        r,
        [...new Set(early)].sort((a, b) => a - b),
      );
      for (const k of early) removed.add(k);
      removed.add(p);
      return;
    }
  });
  return steps.flatMap((s, k) => {
    const m = merged.get(k);
    if (m) return [m, ...(moved.get(k) ?? []).map((i) => steps[i])];
    return removed.has(k) ? [] : [s];
  });
}

/** The reduction node of a fusible plain reduction or prologue step without stores, else null. */
function reductionOf(s: ExecStep, sigs: readonly Sig[]): PrimNode | null {
  const node = s.op === 'node' ? s.node : s.op === 'prologue' && !s.also ? s.node : null;
  if (!node || node.op !== 'prim' || !FUSIBLE.has(node.prim)) return null;
  if (node.inputs[0] < 0 || sigs[node.outputs[0]].dtype !== 'float32') return null;
  return node;
}

/** The prologue of `node` computing `chain`, then what `reads` (a prologue step, if any) computes from it. */
function prologueStep(
  s: ExecStep,
  node: PrimNode,
  reads: PrologueStep | null,
  chain: Chain,
  stored: readonly number[],
): PrologueStep & { fused: number[] } {
  const slotOfOutput = (o: number) => chain.stores[chain.outputs.indexOf(o)];
  const fused = [...(reads ? reads.fused : s.op === 'node' ? [s.at] : [])];
  const also = (slot: (o: number) => number) =>
    stored.length > 0 ? { outputs: stored, stores: stored.map(slot) } : undefined;
  if (!reads) {
    // One primitive becomes a one-step chain (stores name chain steps).
    const kernel = chain.kernel.steps ? chain.kernel : chainKernel(stepsOf(chain.kernel), chain.kernel.arity);
    return {
      op: 'prologue',
      node,
      kernel,
      inputs: chain.inputs,
      output: node.outputs[0],
      fused,
      also: also(slotOfOutput),
    };
  }
  const own = reads.inputs.filter((x) => !chain.outputs.includes(x));
  const extras = [...new Set([...chain.inputs, ...own])];
  const arity = extras.length;
  const list: ChainStep[] = [];
  const a0 = chain.kernel.arity;
  const args0 = chain.inputs.map((x) => extras.indexOf(x));
  for (const st of stepsOf(chain.kernel))
    list.push({ ...st, args: st.args.map((i) => (i < a0 ? args0[i] : arity + i - a0)) });
  // The chain's values now sit at arity + (their old index - its arity).
  const moved = (i: number) => arity + i - a0;
  const base = arity + list.length;
  const a1 = reads.kernel.arity;
  const args1 = reads.inputs.map((x) =>
    chain.outputs.includes(x) ? moved(slotOfOutput(x)) : extras.indexOf(x),
  );
  for (const st of stepsOf(reads.kernel))
    list.push({ ...st, args: st.args.map((i) => (i < a1 ? args1[i] : base + i - a1)) });
  return {
    op: 'prologue',
    node,
    kernel: chainKernel(list, arity),
    inputs: extras,
    output: reads.output,
    fused,
    also: also((o) => moved(slotOfOutput(o))),
  };
}

/**
 * Runs a prologue step that stores several values: one kernel where the backend has
 * `reducePrologueStores`, else one elementwise kernel per stored value (the chain up to it) and the
 * prologue. The reduction first, then `also.outputs` in order.
 */
export function runPrologueStores(
  backend: Backend,
  s: PrologueStep,
  info: (r: Ref) => TensorInfo,
  sigs: readonly Sig[],
): DataId[] {
  const op = (s.node as { prim: ReduceOp }).prim;
  const { inner } = s.node.attrs as ReduceAttrs;
  const shape = sigs[s.node.inputs[0]].shape;
  const stores = s.also?.stores ?? [];
  const inputs = s.inputs.map(info);
  if (backend.reducePrologueStores) {
    const n = sizeOf(shape.slice(shape.length - inner));
    const prologue = { kernel: s.kernel, inputs, shape, stores };
    return backend.reducePrologueStores(op, prologue, sizeOf(shape.slice(0, shape.length - inner)), n);
  }
  const { arity, steps = [] } = s.kernel;
  const values = stores.map((i) =>
    backend.elementwise(chainKernel(steps.slice(0, i - arity + 1), arity), inputs, shape, 'float32'),
  );
  return [runPrologue(backend, { ...s, also: undefined }, info, sigs), ...values];
}
