// A shadow run: the function's JavaScript runs again without computing. Each primitive is checked
// against the graph and answered with stand-in storage; host constants, dynamic attrs (seeds),
// external tensors and Variable writes of this call are collected for the replay. If the function
// does something else, the run materializes what it did so far and continues as a new trace.
import type { Backend, DataId } from '../backend.js';
import { ENGINE, type Recorder } from '../engine.js';
import { shapesEqual } from '../shape.js';
import type { Tensor } from '../tensor.js';
import type { DType, TypedArray } from '../types.js';
import { primitive } from '../primitives/registry.js';
import type { PrimitiveName, Sig } from '../primitives/types.js';
import { replay } from './execute.js';
import {
  constDtype,
  sameAttrs,
  placeholderOf,
  type Graph,
  type Placeholder,
  type PrimNode,
  type Ref,
} from './graph.js';
import { RefMap, TraceRecorder } from './trace.js';
import { asSteps, type ExecStep } from './passes/plan.js';

/** A graph ready to replay: its reader counts and stand-ins. */
export interface Prepared {
  readonly graph: Graph;
  /** The steps a replay runs (after dead-code elimination and fusion) and its liveness plan. */
  readonly steps: readonly ExecStep[];
  readonly freeAfter: readonly (readonly number[])[];
  readonly placeholders: readonly Placeholder[];
  /** Values nothing reads and no tensor keeps (constants that only initialized a Variable). */
  readonly dead: readonly boolean[];
}

const sameValues = (a: TypedArray, b: TypedArray) => {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && !(a[i] !== a[i] && b[i] !== b[i])) return false;
  return true;
};

/** Records one shadow run of a prepared graph. */
export class ShadowRecorder extends RefMap implements Recorder {
  private k = 0;
  private pending: readonly number[] = [];
  /** Attrs of nodes with dynamic attrs, this call. */
  readonly dyn = new Map<number, object>();
  /** Constants whose host values differ from the graph's, this call. */
  readonly constNow = new Map<number, TypedArray>();
  private readonly adopted: Tensor[] = [];
  /** Variables written in this run, with their real storage (they hold stand-ins meanwhile). */
  private readonly overlay = new Map<Tensor, DataId>();
  /** The trace this run continues as, once it diverged. */
  fallen: TraceRecorder | null = null;

  constructor(
    readonly prep: Prepared,
    private readonly backend: Backend,
  ) {
    super();
  }

  protected storage(value: number): DataId {
    return this.prep.placeholders[value];
  }

  /** A tensor holding a stand-in of this run but made outside an op (a Variable of a traced value) is that value. */
  override ref(t: Tensor): Ref {
    const p = placeholderOf(t);
    if (p && this.prep.placeholders[p.value] === p && !this.byId.has(t.id) && !this.writes.has(t.id))
      return p.value;
    return super.ref(t);
  }

  /**
   * Steps over constants nothing reads (a Variable's initial value: the first call creates an
   * optimizer's slots, later calls do not).
   */
  private skipDead(): void {
    const { graph, dead } = this.prep;
    for (let n = graph.nodes[this.k]; n?.op === 'const' && dead[n.output]; n = graph.nodes[this.k]) this.k++;
  }

  run(name: string, attrs: object, inputs: Tensor[], outs: readonly Sig[], kernel: () => DataId[]): DataId[] {
    if (this.fallen) return this.fallen.run(name, attrs, inputs, outs, kernel);
    this.skipDead();
    const node = this.prep.graph.nodes[this.k];
    const refs = inputs.map((t) => this.ref(t));
    const prim = name as PrimitiveName;
    if (
      node?.op !== 'prim' ||
      node.prim !== prim ||
      node.inputs.length !== refs.length ||
      node.inputs.some((r, i) => r !== refs[i]) ||
      !sameAttrs(node.attrs, attrs, primitive(prim).dynamic as readonly string[] | undefined)
    ) {
      return this.diverge().run(name, attrs, inputs, outs, kernel);
    }
    if (primitive(prim).dynamic) this.dyn.set(this.k, attrs);
    this.k++;
    this.pending = node.outputs;
    return node.outputs.map((v) => this.prep.placeholders[v]);
  }

  produced(outputs: Tensor[]): void {
    if (this.fallen) return this.fallen.produced(outputs);
    outputs.forEach((t, i) => this.byId.set(t.id, this.pending[i]));
  }

  upload(values: TypedArray, shape: readonly number[], dtype: DType, backend: Backend): DataId {
    if (this.fallen) return this.fallen.upload(values, shape, dtype, backend);
    const node0 = this.prep.graph.nodes[this.k];
    // A dead constant matches a new upload of the same kind; only an unmatched one is stepped over.
    if (!(node0?.op === 'const' && node0.dtype === dtype && shapesEqual(node0.shape, shape))) this.skipDead();
    const node = this.prep.graph.nodes[this.k];
    if (node?.op !== 'const' || node.dtype !== dtype || !shapesEqual(node.shape, shape)) {
      const trace = this.diverge();
      trace.provideNext(this.provider);
      this.provider = null;
      return trace.upload(values, shape, dtype, backend);
    }
    if (!sameValues(values, this.prep.graph.constValues[node.index]))
      this.constNow.set(node.index, values.slice());
    this.noteConstant(node.index);
    this.k++;
    this.pending = [node.output];
    return this.prep.placeholders[node.output];
  }

  write(variable: Tensor, value: Tensor): boolean {
    if (this.fallen) return this.fallen.write(variable, value);
    const ref = this.ref(value);
    this.writes.delete(variable.id);
    this.writes.set(variable.id, { variable, ref });
    if (!this.overlay.has(variable)) this.overlay.set(variable, variable.dataId);
    variable.swapData(value.dataId);
    return true;
  }

  adopt(t: Tensor): void {
    if (this.fallen) this.fallen.adopt(t);
    else if (placeholderOf(t)) this.adopted.push(t);
  }

  /** Whether `t` was made in this run (an op's output or constant, not a tensor from outside). */
  madeHere(t: Tensor): boolean {
    return this.adopted.includes(t);
  }

  /** Gives Variables their real storage back (after a failed run, or before the real writes). */
  restore(): void {
    for (const [v, real] of this.overlay) v.swapData(real);
  }

  /** Attrs of node k in this call. */
  attrsOf(k: number, node: PrimNode): object {
    return this.dyn.get(k) ?? node.attrs;
  }

  /** Whether the whole run matched the graph: every node, the result, the writes and what stays alive. */
  matched(outputs: readonly Tensor[]): boolean {
    const g = this.prep.graph;
    this.skipDead();
    if (this.k !== g.nodes.length) return false;
    const refs = outputs.map((t) => this.ref(t));
    if (refs.length !== g.outputs.length || refs.some((r, i) => r !== g.outputs[i])) return false;
    const writes = [...this.writes.values()];
    if (writes.length !== g.writes.length) return false;
    if (writes.some((w, i) => w.variable.id !== g.writes[i].variableId || w.ref !== g.writes[i].ref))
      return false;
    const alive = this.aliveValues();
    return alive.length === g.escapes.length && alive.every((v, i) => v === g.escapes[i]);
  }

  protected aliveValues(): number[] {
    const set = new Set<number>();
    for (const t of this.adopted) {
      const p = t.isDisposed ? undefined : placeholderOf(t);
      if (p) set.add(p.value);
    }
    return [...set].sort((a, b) => a - b);
  }

  /**
   * Gives every live stand-in tensor, and each written Variable, its real storage (Variables in
   * `inPlace` keep theirs: the replay wrote the new value into it).
   */
  bind(dataOf: readonly DataId[], inPlace: ReadonlySet<Tensor> = new Set()): void {
    for (const t of this.adopted) {
      const p = t.isDisposed ? undefined : placeholderOf(t);
      if (p) t.moveTo(this.backend, dataOf[p.value]);
    }
    this.restore();
    for (const { variable, ref } of this.writes.values()) {
      if (!inPlace.has(variable)) variable.moveTo(this.backend, ref >= 0 ? dataOf[ref] : this.storageOf(ref));
    }
  }

  /** A written Variable's own storage (it holds a stand-in during the run). */
  realStorage(variable: Tensor): DataId {
    return this.overlay.get(variable) ?? variable.dataId;
  }

  /** Values some tensor keeps after the call: live stand-ins and the result's. */
  heldValues(outputs: readonly Tensor[]): number[] {
    const out = this.aliveValues();
    for (const t of outputs) {
      const r = this.ref(t);
      if (r >= 0) out.push(r);
    }
    return out;
  }

  /** Escapes for the replay: live values, the result's and the written ones. */
  escapes(outputs: readonly Tensor[]): number[] {
    const out = this.heldValues(outputs);
    for (const w of this.writes.values()) if (w.ref >= 0) out.push(w.ref);
    return out;
  }

  /** Computes what the run did so far for real and continues it as a trace. */
  diverge(): TraceRecorder {
    const g = this.prep.graph;
    const upto = this.k;
    const nodes = g.nodes
      .slice(0, upto)
      .map((n, k) => (n.op === 'prim' ? { ...n, attrs: this.attrsOf(k, n) } : n));
    const constValues = g.constValues.map((v, i) => this.constNow.get(i) ?? v);
    const res = replay(g, asSteps(g.nodes).slice(0, upto), null, this.backend, {
      externals: this.extData,
      // Fresh copies: tensors of the prefix may keep them, so they must not be the graph's own.
      constant: (i) => this.backend.write(constValues[i], constDtype(g, i)),
      attrsOf: (k, n) => this.attrsOf(k, n),
      escapes: [],
    });
    let numValues = 0;
    for (const n of nodes) numValues += n.op === 'const' ? 1 : n.outputs.length;
    this.bind(res.dataOf);
    const trace = new TraceRecorder({
      from: this,
      nodes,
      valueSigs: g.valueSigs.slice(0, numValues),
      dataOf: res.dataOf,
      constValues,
    });
    for (const t of this.adopted) if (!t.isDisposed) trace.adopt(t);
    const ext = new Set(this.extData);
    for (const d of new Set(res.dataOf.slice(0, numValues))) {
      if (d !== undefined && !ext.has(d) && !ENGINE.holds(d)) this.backend.disposeData(d);
    }
    this.fallen = trace;
    ENGINE.recorder = trace;
    return trace;
  }
}
