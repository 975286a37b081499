// Epilogues that store several values: an elementwise or multi-output step reading a float32 matmul's
// result (or a matmul epilogue's) of its own shape, possibly through reshapes, runs in the matmul's
// store even when that result is read elsewhere too (then it is stored as well) or when the reader
// stores several values (Adam's m, u and weight updates on their gradient's matmul; relu next to
// the x @ w + b its gradient reads). Backends without `matmulEpilogueStores` run the matmul, then
// one elementwise kernel per stored value.
import type { Backend, DataId, ElementwiseKernel, TensorInfo } from '../../backend.js';
import { primitive } from '../../primitives/registry.js';
import type { PrimitiveAttrs, Sig } from '../../primitives/types.js';
import { shapesEqual } from '../../shape.js';
import type { PrimNode, Ref } from '../graph.js';
import { chainKernel, type ChainStep } from './fuse-elementwise.js';
import { as3, elementwiseOf } from './fuse-epilogue.js';
import { DEFAULT_BUDGET, overBudget, type BindingBudget } from './fuse-multi.js';
import { stepInputs, stepLinks, stepOutputs, type EpilogueStep, type ExecStep } from './plan.js';

/**
 * Readers join only products of at most LARGE_PRODUCT elements: on SwiftShader a chain storing
 * values in the store of a large product costs about what its own kernel does, the quad kernel's
 * lanes loading its inputs one float at a time where the elementwise kernel loads vec4s (GPU time,
 * medians of 15 interleaved rounds, host scalars read as parameters: Adam's update in the store of
 * the 784 x 128 gradient 28.7 and 31.4 ms, the gradient then a multi-output Adam kernel 26.7 and
 * 31.0 ms; earlier, with its scalars bound as storage, 33.7 vs 25.8 ms; on a 128 x 128 gradient
 * 2.23 vs 2.62 ms, relu stored next to a 128 x 128 x @ w + b 20.6 vs 22.6 ms).
 */
const LARGE_PRODUCT = 1 << 16;
const sizeOf = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** A chain over `inputs` storing `outputs[i]` as chain value `stores[i]` (the last one is the chain's value). */
export interface Chain {
  kernel: ElementwiseKernel;
  inputs: readonly Ref[];
  outputs: readonly number[];
  stores: readonly number[];
}

/** A kernel's chain steps (a single primitive is one step). */
export const stepsOf = (k: ElementwiseKernel): readonly ChainStep[] =>
  k.steps ?? [{ kernel: k, args: Array.from({ length: k.arity }, (_, i) => i), outDtype: 'float32' }];

/** A step as a chain: an elementwise step (one value) or a multi-output one. */
export function chainOf(s: ExecStep): Chain | null {
  if (s.op === 'multi') return s;
  const ew = elementwiseOf(s);
  if (!ew) return null;
  return { ...ew, outputs: stepOutputs(s), stores: [ew.kernel.arity + stepsOf(ew.kernel).length - 1] };
}

/** A shape without its leading 1s. */
const unit = (shape: readonly number[]) =>
  shape.slice(shape.findIndex((d) => d !== 1) < 0 ? shape.length : shape.findIndex((d) => d !== 1));

/**
 * Merges each elementwise or multi-output step into the float32 matmul (plain, or an epilogue
 * without stores) producing one of its inputs, when that input has the reader's shape (or reaches
 * it through reshapes read by nothing else, the reader's other inputs then whole or scalars), every
 * other reader of it runs later, the product has at most 2^16 elements, and out, a, b, the extra
 * inputs and the stored values bind at most `budget.max` buffers. The merged step runs where the
 * reader was.
 *
 * ```ts
 * steps = fuseEpilogueStores(fuseMultiOutput(steps, sigs, kept), sigs, kept, { max: 10 });
 * ```
 */
export function fuseEpilogueStores(
  steps: readonly ExecStep[],
  sigs: readonly Sig[],
  kept: ReadonlySet<number>,
  budget: BindingBudget = DEFAULT_BUDGET,
): ExecStep[] {
  const { readers, producer } = stepLinks(steps);
  const reshapeOf = (k: number) => {
    const s = steps[k];
    return s.op === 'node' && s.node.op === 'prim' && s.node.prim === 'reshape' ? s.node : null;
  };
  const merged = new Map<number, EpilogueStep>();
  const moved = new Map<number, number[]>();
  const removed = new Set<number>();
  steps.forEach((s, r) => {
    const chain = chainOf(s);
    if (!chain || chain.outputs.some((v) => sigs[v].dtype !== 'float32')) return;
    const shape = sigs[chain.outputs[0]].shape;
    for (const input of new Set(chain.inputs)) {
      if (input < 0) continue;
      // Back to the matmul's result through reshapes read by nothing else (dropped) and identities
      // (a Variable's assign, a shared reshape: moved after the merged step, their result being v's
      // storage, then stored).
      const views: number[] = [];
      const through: number[] = [];
      const path: number[] = [];
      let v = input;
      for (let k = producer.get(v); k !== undefined; k = producer.get(v)) {
        const n = reshapeOf(k);
        // A reshape read by more, or above a moved identity, moves too (it is an identity as well).
        if (n && through.length === 0 && !kept.has(v) && readers.get(v)?.length === 1) views.push(k);
        else if (identity(steps[k]) && stepInputs(steps[k])[0] >= 0) through.push(k);
        else break;
        path.push(k);
        v = stepInputs(steps[k])[0];
      }
      const p = producer.get(v);
      if (p === undefined || removed.has(p) || merged.has(p)) continue;
      const P = steps[p];
      const node = P.op === 'node' ? P.node : P.op === 'epilogue' && !P.also ? P.node : null;
      if (!node || node.op !== 'prim' || node.prim !== 'matmul' || sigs[v].dtype !== 'float32') continue;
      // The reader's inputs broadcast to the product's shape as to its own: they differ by leading 1s at most.
      const outShape = sigs[v].shape;
      if (outShape.length < shape.length || !shapesEqual(unit(outShape), unit(shape))) continue;
      if (sizeOf(outShape) > LARGE_PRODUCT) continue;
      const onPath = new Set([r, ...path]);
      const others = (readers.get(v) ?? []).filter((k) => !onPath.has(k));
      // Identities reading v early move after the merged step too; what reads them must run later.
      const early = others.filter((k) => k < r);
      const later = (k: number) =>
        stepOutputs(steps[k]).every((o) => (readers.get(o) ?? []).every((j) => j > r || onPath.has(j)));
      if (!early.every((k) => identity(steps[k]) && later(k)) || !through.every(later)) continue;
      const aliased = through.some((k) =>
        stepOutputs(steps[k]).some((o) => kept.has(o) || (readers.get(o) ?? []).some((j) => !onPath.has(j))),
      );
      const from = P.op === 'epilogue' ? P : null;
      const step = epilogueStep(node, from, v, input, chain, others.length > 0 || kept.has(v) || aliased);
      if (!step || overBudget(budget, step.inputs, 3 + (step.also?.outputs.length ?? 0))) continue;
      step.fused.push(
        ...(P.op === 'node' ? [P.at] : []),
        ...views.map((k) => (steps[k] as { at: number }).at),
      );
      step.fused.push(...(s.op === 'node' ? [s.at] : s.fused));
      step.fused.sort((a, b) => a - b);
      merged.set(r, step);
      moved.set(
        r,
        [...early, ...through].sort((a, b) => a - b),
      );
      for (const k of [...early, ...through]) removed.add(k);
      removed.add(p);
      for (const k of views) removed.add(k);
      return;
    }
  });
  return steps.flatMap((s, k) => {
    const m = merged.get(k);
    if (m) return [m, ...(moved.get(k) ?? []).map((i) => steps[i])];
    return removed.has(k) ? [] : [s];
  });
}

/** Whether a step is an identity primitive (assign, reshape): no kernel, its result is its input. */
export function identity(s: ExecStep): boolean {
  return s.op === 'node' && s.node.op === 'prim' && primitive(s.node.prim).kind === 'identity';
}

/** The epilogue of `node` computing `from`'s chain (if any), then `chain` reading its result as `input`. */
function epilogueStep(
  node: PrimNode,
  from: EpilogueStep | null,
  v: number,
  input: Ref,
  chain: Chain,
  storeV: boolean,
): (EpilogueStep & { fused: number[] }) | null {
  const extras = [...new Set([...(from?.inputs ?? []), ...chain.inputs.filter((x) => x !== input)])];
  const slot = (x: Ref) => 1 + extras.indexOf(x);
  const list: ChainStep[] = [];
  const arity = 1 + extras.length;
  if (from) {
    const a = from.kernel.arity;
    for (const st of stepsOf(from.kernel))
      list.push({
        ...st,
        args: st.args.map((i) => (i === 0 ? 0 : i < a ? slot(from.inputs[i - 1]) : arity + i - a)),
      });
  }
  const vSlot = from ? arity + list.length - 1 : 0;
  const base = arity + list.length;
  const a = chain.kernel.arity;
  const args = chain.inputs.map((x) => (x === input ? vSlot : slot(x)));
  for (const st of stepsOf(chain.kernel))
    list.push({ ...st, args: st.args.map((i) => (i < a ? args[i] : base + i - a)) });
  const at = chain.stores.map((i) => (i < a ? args[i] : base + i - a));
  const last = at.length - 1;
  if (at[last] !== arity + list.length - 1) return null;
  const outputs = [...chain.outputs.slice(0, last), ...(storeV ? [v] : [])];
  const stores = [...at.slice(0, last), ...(storeV ? [vSlot] : [])];
  return {
    op: 'epilogue',
    node,
    kernel: chainKernel(list, arity),
    inputs: extras,
    output: chain.outputs[last],
    fused: [...(from ? from.fused : [])],
    also: { outputs, stores },
  };
}

/**
 * Runs an epilogue step that stores several values: one kernel where the backend has
 * `matmulEpilogueStores`, else the matmul, then one elementwise kernel per value (the chain up to
 * it). The result first, then `also.outputs` in order.
 */
export function runEpilogueStores(
  backend: Backend,
  s: EpilogueStep,
  info: (r: Ref) => TensorInfo,
  sigs: readonly Sig[],
): DataId[] {
  const shape = sigs[s.node.outputs[0]].shape;
  const stores = s.also?.stores ?? [];
  const extras = s.inputs.map(info);
  const [a, b] = s.node.inputs.map(info);
  const { transposeA, transposeB } = s.node.attrs as PrimitiveAttrs['matmul'];
  if (backend.matmulEpilogueStores) {
    const epilogue = { kernel: s.kernel, inputs: extras, outShape: shape, stores };
    return backend.matmulEpilogueStores(as3(a), as3(b), transposeA, transposeB, epilogue);
  }
  const product = backend.matmul(as3(a), as3(b), transposeA, transposeB);
  const y: TensorInfo = { dataId: product, shape, dtype: 'float32' };
  const { arity, steps = [] } = s.kernel;
  // Chain value 0 is the product itself; the others are chain steps.
  const out = [arity + steps.length - 1, ...stores].map((i) =>
    i === 0
      ? product
      : backend.elementwise(
          chainKernel(steps.slice(0, i - arity + 1), arity),
          [y, ...extras],
          shape,
          'float32',
        ),
  );
  if (!stores.includes(0)) backend.disposeData(product);
  return out;
}
