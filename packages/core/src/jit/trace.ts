// Recording a jit trace: the function runs eagerly while every primitive, host constant and
// Variable write it makes is added to a graph.
import type { Backend, DataId } from '../backend.js';
import type { Recorder } from '../engine.js';
import type { Tensor } from '../tensor.js';
import type { DType, TypedArray } from '../types.js';
import type { PrimitiveName, Sig } from '../primitives/types.js';
import { extRef, nodeKey, slotOf, type Graph, type GraphNode, type Ref } from './graph.js';
import type { HostStep } from './host.js';

/** A Variable write seen during a call: the Variable and the ref it takes. */
export interface WriteEntry {
  readonly variable: Tensor;
  readonly ref: Ref;
}

/**
 * Which graph value or external slot a tensor is: a Variable written in the call is the value it
 * took (while it still holds it), an op's output (or a tape's copy of it, same id) is that value,
 * anything else is external, one slot per tensor id, storage taken when first seen.
 */
export abstract class RefMap {
  readonly extSigs: Sig[] = [];
  readonly extData: DataId[] = [];
  /** The tensor first seen in each external slot. */
  readonly extTensors: Tensor[] = [];
  readonly extSlot = new Map<number, number>();
  readonly byId = new Map<number, number>();
  readonly writes = new Map<number, WriteEntry>();
  /** Host scalars and effects the function declared (host.ts), in order. */
  readonly hostSteps: HostStep[] = [];
  /** The reader of the host scalar being uploaded (set by hostScalar around its upload). */
  protected provider: (() => number) | null = null;

  /** Marks the next upload as host scalar `read` (null: no longer). */
  provideNext(read: (() => number) | null): void {
    this.provider = read;
  }

  /** Notes that constant `index` was uploaded (a declared host scalar when one is being provided). */
  protected noteConstant(index: number): void {
    if (this.provider) this.hostSteps.push({ kind: 'scalar', index, read: this.provider });
    this.provider = null;
  }

  /** Storage of a value in this run. */
  protected abstract storage(value: number): DataId;

  storageOf(ref: Ref): DataId {
    return ref >= 0 ? this.storage(ref) : this.extData[slotOf(ref)];
  }

  ref(t: Tensor): Ref {
    const w = this.writes.get(t.id);
    if (w !== undefined && this.storageOf(w.ref) === t.dataId) return w.ref;
    const v = this.byId.get(t.id);
    if (v !== undefined) return v;
    let s = this.extSlot.get(t.id);
    if (s === undefined) {
      s = this.extSigs.length;
      this.extSlot.set(t.id, s);
      this.extSigs.push({ shape: t.shape, dtype: t.dtype });
      this.extData.push(t.dataId);
      this.extTensors.push(t);
    }
    return extRef(s);
  }

  protected copyRefs(from: RefMap): void {
    this.extSigs.push(...from.extSigs);
    this.extData.push(...from.extData);
    this.extTensors.push(...from.extTensors);
    this.hostSteps.push(...from.hostSteps);
    for (const [k, v] of from.extSlot) this.extSlot.set(k, v);
    for (const [k, v] of from.byId) this.byId.set(k, v);
    for (const [k, v] of from.writes) this.writes.set(k, v);
  }

  /** The graph of recorded `nodes` whose call returned `outputs`, with this map's slots and writes. */
  protected graphWith(
    nodes: readonly GraphNode[],
    valueSigs: readonly Sig[],
    constValues: readonly TypedArray[],
    outputs: readonly Tensor[],
    escapes: readonly number[],
  ): Graph {
    return {
      nodes,
      valueSigs,
      extSigs: this.extSigs,
      constValues,
      outputs: outputs.map((t) => this.ref(t)),
      writes: [...this.writes.values()].map((w) => ({ variableId: w.variable.id, ref: w.ref })),
      escapes,
    };
  }
}

/** The state a diverging shadow run hands to the trace that continues it. */
export interface TracePrefix {
  readonly from: RefMap;
  readonly nodes: readonly GraphNode[];
  readonly valueSigs: readonly Sig[];
  readonly dataOf: readonly DataId[];
  readonly constValues: readonly TypedArray[];
}

/** Records a graph while the function runs for real. */
export class TraceRecorder extends RefMap implements Recorder {
  private readonly nodes: GraphNode[] = [];
  private readonly valueSigs: Sig[] = [];
  private readonly dataOf: DataId[] = [];
  private readonly constValues: TypedArray[] = [];
  private readonly created: Tensor[] = [];
  private pending: number[] = [];

  constructor(prefix?: TracePrefix) {
    super();
    if (!prefix) return;
    this.copyRefs(prefix.from);
    this.nodes.push(...prefix.nodes);
    this.valueSigs.push(...prefix.valueSigs);
    this.dataOf.push(...prefix.dataOf.slice(0, prefix.valueSigs.length));
    this.constValues.push(...prefix.constValues);
  }

  protected storage(value: number): DataId {
    return this.dataOf[value];
  }

  private newValues(sigs: readonly Sig[], ids: readonly DataId[]): number[] {
    return sigs.map((s, i) => {
      this.dataOf.push(ids[i]);
      return this.valueSigs.push({ shape: s.shape, dtype: s.dtype }) - 1;
    });
  }

  run(name: string, attrs: object, inputs: Tensor[], outs: readonly Sig[], kernel: () => DataId[]): DataId[] {
    const refs = inputs.map((t) => this.ref(t));
    const ids = kernel();
    const outputs = this.newValues(outs, ids);
    const prim = name as PrimitiveName;
    this.nodes.push({ op: 'prim', prim, attrs, key: nodeKey(prim, attrs), inputs: refs, outputs });
    this.pending = outputs;
    return ids;
  }

  produced(outputs: Tensor[]): void {
    outputs.forEach((t, i) => this.byId.set(t.id, this.pending[i]));
  }

  upload(values: TypedArray, shape: readonly number[], dtype: DType, backend: Backend): DataId {
    const id = backend.write(values, dtype);
    const [output] = this.newValues([{ shape, dtype }], [id]);
    const index = this.constValues.push(values.slice()) - 1;
    this.noteConstant(index);
    this.nodes.push({ op: 'const', index, output, shape: [...shape], dtype });
    this.pending = [output];
    return id;
  }

  write(variable: Tensor, value: Tensor): boolean {
    const ref = this.ref(value);
    this.writes.delete(variable.id);
    this.writes.set(variable.id, { variable, ref });
    return false;
  }

  adopt(t: Tensor): void {
    this.created.push(t);
  }

  /** The graph of the call that returned `outputs`. */
  finish(outputs: readonly Tensor[]): Graph {
    const escapes = new Set<number>();
    for (const t of this.created) {
      // Variables made in the call (an optimizer's slots) are state, seen through their writes.
      if (t.isDisposed || this.writes.get(t.id)?.variable === t) continue;
      const r = this.ref(t);
      if (r >= 0) escapes.add(r);
    }
    const sorted = [...escapes].sort((a, b) => a - b);
    return this.graphWith(this.nodes, this.valueSigs, this.constValues, outputs, sorted);
  }
}
