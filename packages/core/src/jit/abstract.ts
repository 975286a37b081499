// An abstract trace (jit's `abstractTrace`): the first call builds the graph while fn runs without
// computing, as a shadow run does against a graph that grows with every primitive and constant;
// the call then runs the compiled graph.
import type { Backend, DataId } from '../backend.js';
import { ENGINE } from '../engine.js';
import type { Tensor } from '../tensor.js';
import type { DType, TypedArray } from '../types.js';
import type { PrimitiveName, Sig } from '../primitives/types.js';
import { nodeKey, Placeholder, type Graph, type GraphNode } from './graph.js';
import { ShadowRecorder } from './shadow.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Builds a graph without computing; `graphOf` gives it once fn returned (unless it fell back to a trace). */
export class AbstractTraceRecorder extends ShadowRecorder {
  private readonly nodes: GraphNode[];
  private readonly valueSigs: Sig[];
  private readonly constValues: TypedArray[];
  private readonly holders: Placeholder[];
  private readonly deadFlags: boolean[];

  constructor(backend: Backend) {
    const nodes: GraphNode[] = [];
    const valueSigs: Sig[] = [];
    const constValues: TypedArray[] = [];
    const holders: Placeholder[] = [];
    const deadFlags: boolean[] = [];
    const graph: Mutable<Graph> = {
      nodes,
      valueSigs,
      extSigs: [],
      constValues,
      outputs: [],
      writes: [],
      escapes: [],
    };
    super({ graph, steps: [], freeAfter: [], placeholders: holders, dead: deadFlags }, backend);
    // The graph's external slots are this recorder's (diverge replays the prefix through them).
    graph.extSigs = this.extSigs;
    this.nodes = nodes;
    this.valueSigs = valueSigs;
    this.constValues = constValues;
    this.holders = holders;
    this.deadFlags = deadFlags;
  }

  private newValue(sig: Sig): number {
    const v = this.valueSigs.push({ shape: sig.shape, dtype: sig.dtype }) - 1;
    const p = new Placeholder(v);
    ENGINE.virtual.add(p);
    this.holders.push(p);
    this.deadFlags.push(false);
    return v;
  }

  override run(
    name: string,
    attrs: object,
    inputs: Tensor[],
    outs: readonly Sig[],
    kernel: () => DataId[],
  ): DataId[] {
    if (this.fallen) return this.fallen.run(name, attrs, inputs, outs, kernel);
    const prim = name as PrimitiveName;
    const refs = inputs.map((t) => this.ref(t));
    const outputs = outs.map((s) => this.newValue(s));
    this.nodes.push({ op: 'prim', prim, attrs, key: nodeKey(prim, attrs), inputs: refs, outputs });
    return super.run(name, attrs, inputs, outs, kernel);
  }

  override upload(values: TypedArray, shape: readonly number[], dtype: DType, backend: Backend): DataId {
    if (this.fallen) return this.fallen.upload(values, shape, dtype, backend);
    const output = this.newValue({ shape, dtype });
    const index = this.constValues.push(values.slice()) - 1;
    this.nodes.push({ op: 'const', index, output, shape: [...shape], dtype });
    return super.upload(values, shape, dtype, backend);
  }

  /** The graph of the call that returned `outputs`. */
  graphOf(outputs: readonly Tensor[]): Graph {
    return this.graphWith(this.nodes, this.valueSigs, this.constValues, outputs, this.aliveValues());
  }
}
