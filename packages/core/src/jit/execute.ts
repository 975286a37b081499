// Replay of a planned graph on any backend: each step's kernel (a registry primitive, or a fused
// elementwise chain), in one backend batch; storage is released after the step the liveness plan
// names (reference counts per storage, since views share it).
import type { Backend, DataId, TensorInfo } from '../backend.js';
import { ENGINE } from '../engine.js';
import { primitive } from '../primitives/registry.js';
import type { PrimitiveAttrs, PrimitiveName, Sig } from '../primitives/types.js';
import { slotOf, type Graph, type PrimNode, type Ref } from './graph.js';
import { runEpilogue } from './passes/fuse-epilogue.js';
import { runEpilogueStores } from './passes/fuse-epilogue-stores.js';
import { runMulti } from './passes/fuse-multi.js';
import { runPrologue } from './passes/fuse-prologue.js';
import { runPrologueStores } from './passes/fuse-prologue-stores.js';
import { stepInputs, stepOutputs, type ExecStep } from './passes/plan.js';

/** What one replay needs besides the graph. */
export interface ReplayEnv {
  /** Storage of each external slot. */
  readonly externals: readonly DataId[];
  /** Storage of constant i (owned by the caller, never freed here). */
  readonly constant: (index: number) => DataId;
  /** Attrs of traced node k for this call (dynamic attrs such as a seed change per call). */
  readonly attrsOf: (k: number, node: PrimNode) => object;
  /** Values held for the caller after the run (released by `RunResult.release`). */
  readonly escapes: readonly number[];
  /** Wraps the kernel call of each step whose attrs may change per call (a backend recording it refreshes them). */
  readonly dynamicStep?: <T>(fn: () => T) => T;
}

/** Storage of every value computed, and the release of the caller's hold on the escapes. */
export interface RunResult {
  readonly dataOf: readonly DataId[];
  release(): void;
}

type AnyKernel = (b: Backend, xs: TensorInfo[], a: PrimitiveAttrs[PrimitiveName], o: Sig[]) => DataId[];

/**
 * Runs `steps` of `g` on `backend`. `freeAfter[k]` lists the values released after step k (from
 * passes/liveness.ts); null keeps everything (a shadow run materializing its prefix).
 */
export function replay(
  g: Graph,
  steps: readonly ExecStep[],
  freeAfter: readonly (readonly number[])[] | null,
  backend: Backend,
  env: ReplayEnv,
): RunResult {
  const dataOf = new Array<DataId>(g.valueSigs.length);
  const owned = new Set<DataId>(env.externals);
  const live = new Map<DataId, number>();
  const extra = new Map<number, number>();
  for (const v of env.escapes) extra.set(v, (extra.get(v) ?? 0) + 1);
  const drop = (d: DataId) => {
    const left = (live.get(d) ?? 0) - 1;
    if (left > 0) live.set(d, left);
    else {
      live.delete(d);
      if (!owned.has(d) && !ENGINE.holds(d)) backend.disposeData(d);
    }
  };
  const hold = (v: number, d: DataId) => {
    dataOf[v] = d;
    live.set(d, (live.get(d) ?? 0) + 1 + (extra.get(v) ?? 0));
  };
  const info = (r: Ref): TensorInfo => {
    const sig: Sig = r >= 0 ? g.valueSigs[r] : g.extSigs[slotOf(r)];
    return { dataId: r >= 0 ? dataOf[r] : env.externals[slotOf(r)], shape: sig.shape, dtype: sig.dtype };
  };
  const runStep = (s: ExecStep) => {
    if (s.op === 'fused') {
      const sig = g.valueSigs[s.output];
      hold(s.output, backend.elementwise(s.kernel, s.inputs.map(info), sig.shape, sig.dtype));
      return;
    }
    if (s.op === 'epilogue' && s.also)
      return runEpilogueStores(backend, s, info, g.valueSigs).forEach((d, i) => hold(stepOutputs(s)[i], d));
    if (s.op === 'epilogue') return hold(s.output, runEpilogue(backend, s, info, g.valueSigs));
    if (s.op === 'prologue' && s.also)
      return runPrologueStores(backend, s, info, g.valueSigs).forEach((d, i) => hold(stepOutputs(s)[i], d));
    if (s.op === 'prologue') return hold(s.output, runPrologue(backend, s, info, g.valueSigs));
    if (s.op === 'multi')
      return runMulti(backend, s, info, g.valueSigs).forEach((d, i) => hold(s.outputs[i], d));
    const node = s.node;
    if (node.op === 'const') {
      const d = env.constant(node.index);
      owned.add(d);
      hold(node.output, d);
      return;
    }
    const kernel = primitive(node.prim).kernel as AnyKernel;
    const outs = node.outputs.map((v) => g.valueSigs[v]);
    const attrs = env.attrsOf(s.at, node) as PrimitiveAttrs[PrimitiveName];
    const call = () => kernel(backend, stepInputs(s).map(info), attrs, outs);
    const ids =
      env.dynamicStep && (primitive(node.prim).dynamic?.length ?? 0) > 0 ? env.dynamicStep(call) : call();
    node.outputs.forEach((v, i) => hold(v, ids[i]));
  };
  const all = () =>
    steps.forEach((s, k) => {
      runStep(s);
      if (freeAfter) for (const v of freeAfter[k]) drop(dataOf[v]);
    });
  if (backend.batch) backend.batch(all);
  else all();
  return {
    dataOf,
    release: () => {
      for (const v of env.escapes) if (dataOf[v] !== undefined) drop(dataOf[v]);
    },
  };
}
