// Elementwise fusion: chains (trees) of float32/bool elementwise primitives with a float32 result,
// broadcasts included, become
// one kernel built from the expressions the registry carries. An intermediate is fused away only
// when its readers are all in the group and nothing keeps it; a group reads at most `maxInputs`
// distinct tensors (WebGPU binds each as a storage buffer).
import type { ElementwiseKernel } from '../../backend.js';
import { primitive } from '../../primitives/registry.js';
import type { PrimitiveAttrs, PrimitiveName, Sig } from '../../primitives/types.js';
import type { PrimNode, Ref } from '../graph.js';
import { stepInputs, stepOutputs, type ExecStep, type FusedStep } from './plan.js';

interface Group {
  /** Indices (into the step list) of the member nodes, in order. */
  members: number[];
  /** Distinct inputs read from outside the group. */
  inputs: Ref[];
}

/** The registry kernel of a fusible node, or null. */
function fusibleKernel(s: ExecStep, sigs: readonly Sig[]): ElementwiseKernel | null {
  if (s.op !== 'node' || s.node.op !== 'prim') return null;
  const n = s.node;
  const def = primitive(n.prim);
  if (def.kind !== 'elementwise' || !def.expr || n.outputs.length !== 1) return null;
  // Computed in f32: bool intermediates are 0/1 there; int32 ones would lose their exactness.
  if (sigs[n.outputs[0]].dtype === 'int32') return null;
  return (def.expr as (a: PrimitiveAttrs[PrimitiveName]) => ElementwiseKernel)(
    n.attrs as PrimitiveAttrs[PrimitiveName],
  );
}

/** One step of a fused chain: a kernel, its arguments (inputs below the arity, then earlier steps), its dtype. */
export type ChainStep = NonNullable<ElementwiseKernel['steps']>[number];

/**
 * The kernel computing `list` over `arity` inputs, its value the last step's: float64 with float32
 * rounding per step on the CPU side, one expression per step in WGSL.
 *
 * ```ts
 * const k = chainKernel([{ kernel: exp, args: [0], outDtype: 'float32' }, { kernel: neg, args: [1], outDtype: 'float32' }], 1);
 * ```
 */
export function chainKernel(list: readonly ChainStep[], arity: number): ElementwiseKernel {
  const key = `fused(${list.map((s) => `${s.kernel.key}(${s.args.join(',')})`).join(';')})`;
  return {
    key,
    arity,
    handlesNaN: true,
    steps: list,
    cpu: (...a: number[]) => {
      const vals = [...a];
      for (const s of list) vals.push(Math.fround(s.kernel.cpu(...s.args.map((i) => vals[i]))));
      return vals[vals.length - 1];
    },
    wgsl: (args, t) => {
      const exprs = [...args];
      for (const s of list)
        exprs.push(
          `(${s.kernel.wgsl(
            s.args.map((i) => exprs[i]),
            t,
          )})`,
        );
      return exprs[exprs.length - 1];
    },
  };
}

/** One kernel computing the group's steps. */
function fusedKernel(
  group: Group,
  steps: readonly ExecStep[],
  kernels: Map<number, ElementwiseKernel>,
  sigs: readonly Sig[],
): ElementwiseKernel {
  const slot = new Map<Ref, number>(group.inputs.map((r, i) => [r, i]));
  const list = group.members.map((k, j) => {
    const node = (steps[k] as { node: PrimNode }).node;
    const args = node.inputs.map((r) => slot.get(r) as number);
    slot.set(node.outputs[0], group.inputs.length + j);
    return { kernel: kernels.get(k) as ElementwiseKernel, args, outDtype: sigs[node.outputs[0]].dtype };
  });
  return chainKernel(list, group.inputs.length);
}

/**
 * Replaces groups of two or more fusible nodes by fused steps (placed where the group's last node
 * was). `uses` counts readers per value; `kept` values are never fused away.
 *
 * ```ts
 * const steps = fuseElementwise(asSteps(graph.nodes), graph.valueSigs, useCounts(graph), kept);
 * ```
 */
export function fuseElementwise(
  steps: readonly ExecStep[],
  sigs: readonly Sig[],
  kept: ReadonlySet<number>,
  maxInputs = 7,
): ExecStep[] {
  const readers = new Map<number, Set<number>>();
  steps.forEach((s, k) => {
    for (const r of stepInputs(s)) if (r >= 0) (readers.get(r) ?? readers.set(r, new Set()).get(r))?.add(k);
  });
  const kernels = new Map<number, ElementwiseKernel>();
  const groupOf = new Map<number, Group>();
  const roots = new Map<number, Group>();
  steps.forEach((s, k) => {
    const kernel = fusibleKernel(s, sigs);
    if (!kernel) return;
    kernels.set(k, kernel);
    const node = (s as { node: PrimNode }).node;
    const group: Group = { members: [], inputs: [] };
    for (const r of node.inputs) {
      const producer = r >= 0 ? groupOf.get(r) : undefined;
      const root = producer?.members[producer.members.length - 1];
      if (producer && root !== undefined && group.members.includes(root)) continue;
      if (producer && root !== undefined && readers.get(r)?.size === 1 && !kept.has(r)) {
        const merged = [...group.inputs, ...producer.inputs.filter((x) => !group.inputs.includes(x))];
        const rest = node.inputs.filter((x) => x !== r && !merged.includes(x)).length;
        if (merged.length + rest <= maxInputs) {
          group.members.push(...producer.members);
          group.inputs = merged;
          roots.delete(root);
          continue;
        }
      }
      if (!group.inputs.includes(r)) group.inputs.push(r);
    }
    group.members.sort((a, b) => a - b);
    group.members.push(k);
    groupOf.set(node.outputs[0], group);
    roots.set(k, group);
  });
  // A group writes float32 (a bool result stays a kernel of its own, its members unfused).
  for (const [k, g] of roots) {
    if (g.members.length < 2 || sigs[outputOf(steps[k])].dtype !== 'float32') roots.delete(k);
  }
  const replaced = new Set<number>();
  for (const g of roots.values()) for (const m of g.members) replaced.add(m);
  const out: ExecStep[] = [];
  steps.forEach((s, k) => {
    const g = roots.get(k);
    if (g) {
      const fused: FusedStep = {
        op: 'fused',
        kernel: fusedKernel(g, steps, kernels, sigs),
        inputs: g.inputs,
        output: outputOf(s),
        fused: g.members.map((m) => (steps[m] as { at: number }).at),
      };
      out.push(fused);
    } else if (!replaced.has(k)) out.push(s);
  });
  return out;
}

function outputOf(s: ExecStep): number {
  return stepOutputs(s)[0];
}
