// Unfused replay of a graph on any backend: each node's kernel from the registry, storage freed
// as soon as its last reader has run (reference counts per storage: views share it).
import type { Backend, DataId, TensorInfo } from '../backend.js';
import { ENGINE } from '../engine.js';
import { primitive } from '../primitives/registry.js';
import type { PrimitiveAttrs, PrimitiveName, Sig } from '../primitives/types.js';
import { slotOf, type Graph, type PrimNode, type Ref } from './graph.js';

/** What one replay needs besides the graph. */
export interface ReplayEnv {
  /** Storage of each external slot. */
  readonly externals: readonly DataId[];
  /** Storage of constant i (owned by the caller, never freed here). */
  readonly constant: (index: number) => DataId;
  /** Attrs of node k for this call (dynamic attrs such as a seed change per call). */
  readonly attrsOf: (k: number, node: PrimNode) => object;
  /** Values held for the caller after the run (released by `RunResult.release`). */
  readonly escapes: readonly number[];
  /** Run only nodes [0, upto) and free nothing (a shadow run that diverged materializes its prefix). */
  readonly prefix?: number;
}

/** Storage of every value computed, and the release of the caller's hold on the escapes. */
export interface RunResult {
  readonly dataOf: readonly DataId[];
  release(): void;
}

/** Replays `g` on `backend`; `uses` are the per-value reader counts (graph.ts useCounts). */
export function replay(g: Graph, uses: readonly number[], backend: Backend, env: ReplayEnv): RunResult {
  const dataOf = new Array<DataId>(g.valueSigs.length);
  const keepAll = env.prefix !== undefined;
  const upto = env.prefix ?? g.nodes.length;
  const extra = new Array<number>(g.valueSigs.length).fill(0);
  for (const v of env.escapes) extra[v]++;
  const owned = new Set<DataId>(env.externals);
  const live = new Map<DataId, number>();
  const drop = (d: DataId, n: number) => {
    const left = (live.get(d) ?? 0) - n;
    if (left > 0) {
      live.set(d, left);
      return;
    }
    live.delete(d);
    if (!keepAll && !owned.has(d) && !ENGINE.holds(d)) backend.disposeData(d);
  };
  const hold = (v: number, d: DataId) => {
    dataOf[v] = d;
    const n = uses[v] + extra[v];
    if (n > 0) live.set(d, (live.get(d) ?? 0) + n);
    else if (!live.has(d)) drop(d, 0);
  };
  const info = (r: Ref): TensorInfo => {
    const sig: Sig = r >= 0 ? g.valueSigs[r] : g.extSigs[slotOf(r)];
    return { dataId: r >= 0 ? dataOf[r] : env.externals[slotOf(r)], shape: sig.shape, dtype: sig.dtype };
  };
  for (let k = 0; k < upto; k++) {
    const node = g.nodes[k];
    if (node.op === 'const') {
      // A constant nothing reads is not uploaded (a prefix run keeps everything: tensors may hold it).
      if (!keepAll && uses[node.output] + extra[node.output] === 0) continue;
      const d = env.constant(node.index);
      owned.add(d);
      hold(node.output, d);
      continue;
    }
    const def = primitive(node.prim as PrimitiveName) as {
      kernel: (b: Backend, xs: TensorInfo[], a: PrimitiveAttrs[PrimitiveName], o: Sig[]) => DataId[];
    };
    const outs = node.outputs.map((v) => g.valueSigs[v]);
    const ids = def.kernel(
      backend,
      node.inputs.map(info),
      env.attrsOf(k, node) as PrimitiveAttrs[PrimitiveName],
      outs,
    );
    node.outputs.forEach((v, i) => hold(v, ids[i]));
    for (const r of node.inputs) if (r >= 0) drop(dataOf[r], 1);
  }
  return {
    dataOf,
    release: () => {
      for (const v of env.escapes) if (dataOf[v] !== undefined) drop(dataOf[v], 1);
    },
  };
}
