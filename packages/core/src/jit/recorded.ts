// Running a compiled graph for one call. On a backend that records (WebGPU), the first replay is
// recorded into a program (pipelines, bindings, parameters, intermediates planned once) and later
// calls run the program: constants that changed (Adam's step size) are written into their own
// storage, random seeds re-planned, Variables updated in their own buffers, and only the values
// the caller keeps get fresh storage. Elsewhere, or when a call cannot use it, the graph replays.
import type { Backend, DataId, TensorInfo } from '../backend.js';
import type { ReplayCapture, ReplayProgram } from '../backend-program.js';
import { ENGINE } from '../engine.js';
import { primitive } from '../primitives/registry.js';
import type { PrimitiveAttrs, PrimitiveName } from '../primitives/types.js';
import type { Tensor } from '../tensor.js';
import type { TypedArray } from '../types.js';
import { replay } from './execute.js';
import { constDtype, slotOf, type Graph, type PrimNode } from './graph.js';
import type { Prepared } from './shadow.js';
import type { WriteEntry } from './trace.js';
import { stepInputs, type Step } from './passes/plan.js';

/** A program recorded from a replay, and how its outputs map to the graph's values. */
interface Recorded {
  readonly program: ReplayProgram;
  /** Index in the program's outputs of each value the caller keeps. */
  readonly outputOf: ReadonlyMap<number, number>;
  /** Variables (by tensor id) the program updates in their own storage, in `program` write order. */
  readonly inPlace: readonly number[];
}

/** A compiled trace: the graph, its stand-ins, its constants' storage and its recorded program. */
export interface Compiled extends Prepared {
  readonly backend: Backend;
  readonly constData: (DataId | undefined)[];
  /** Values now in each constant's storage (the trace's until a call changes them). */
  readonly constNow: TypedArray[];
  recorded: Recorded | null;
  /** Recordings given up (after 2, this graph always replays). */
  recordFailures: number;
}

/**
 * What one call gives the compiled graph: its external storage, Variable writes, host constants
 * and dynamic attrs, and where its results go (a shadow run, or a direct call: direct.ts).
 */
export interface CallState {
  readonly extData: readonly DataId[];
  readonly writes: ReadonlyMap<number, WriteEntry>;
  /** Constants whose values this call differ from the trace's. */
  readonly constNow: ReadonlyMap<number, TypedArray>;
  attrsOf(k: number, node: PrimNode): object;
  /** Values some tensor keeps after the call. */
  heldValues(outputs: readonly Tensor[]): number[];
  /** Values held for the caller: the kept ones and the written ones. */
  escapes(outputs: readonly Tensor[]): number[];
  /** A written Variable's own storage. */
  realStorage(variable: Tensor): DataId;
  /** Gives the kept tensors and the written Variables (but those in `inPlace`) their storage. */
  bind(dataOf: readonly DataId[], inPlace?: ReadonlySet<Tensor>): void;
}

const sameValues = (a: TypedArray, b: TypedArray) =>
  a === b || (a.length === b.length && a.every((v, i) => v === b[i] || (v !== v && b[i] !== b[i])));

/** A compiled graph's state before its first run. */
export function compiledState(prep: Prepared, backend: Backend): Compiled {
  const g = prep.graph;
  return {
    ...prep,
    backend,
    constData: g.constValues.map(() => undefined),
    constNow: [...g.constValues],
    recorded: null,
    recordFailures: 0,
  };
}

/** Frees a compiled graph's constants and program. */
export function freeCompiled(c: Compiled): void {
  for (const d of c.constData) if (d !== undefined) c.backend.disposeData(d);
  c.constData.fill(undefined);
  dropProgram(c);
}

function dropProgram(c: Compiled): void {
  c.recorded?.program.dispose();
  c.recorded = null;
}

/** Constants whose values this call differ from those in their storage. */
function changedConstants(c: Compiled, rec: CallState): [number, TypedArray][] {
  const out: [number, TypedArray][] = [];
  c.constNow.forEach((now, i) => {
    const want = rec.constNow.get(i) ?? c.graph.constValues[i];
    if (now !== want && !sameValues(now, want)) out.push([i, want]);
  });
  return out;
}

/** Storage of constant i (uploaded on first use). */
function constant(c: Compiled, i: number): DataId {
  return (c.constData[i] ??= c.backend.write(c.constNow[i], constDtype(c.graph, i)));
}

/** Runs the compiled graph for this call and gives its tensors and Variables their storage. */
export function runCompiled(c: Compiled, rec: CallState, outputs: Tensor[]): void {
  if (c.recorded?.program.stale?.()) dropProgram(c);
  if (c.recorded) {
    if (runProgram(c, rec, outputs)) return;
    c.recordFailures++;
  }
  dropProgram(c);
  for (const [i, values] of changedConstants(c, rec)) {
    const d = c.constData[i];
    if (d !== undefined) c.backend.disposeData(d);
    c.constData[i] = undefined;
    c.constNow[i] = values;
  }
  if (c.backend.beginCapture && c.recordFailures < 2) {
    if (record(c, rec, outputs) && runProgram(c, rec, outputs)) return;
    c.recordFailures++;
    dropProgram(c);
  }
  const res = replay(c.graph, c.steps, c.freeAfter, c.backend, {
    externals: rec.extData,
    constant: (i) => constant(c, i),
    attrsOf: (k, n) => rec.attrsOf(k, n),
    escapes: rec.escapes(outputs),
  });
  rec.bind(res.dataOf);
  res.release();
}

/**
 * Plans the replay of this call into a program (nothing runs: kernels only plan while the
 * recording is open); true when the backend could record it.
 */
function record(c: Compiled, rec: CallState, outputs: Tensor[]): boolean {
  // Constants are uploaded first: an upload is not part of a recording.
  for (const s of c.steps) if (s.op === 'node' && s.node.op === 'const') constant(c, s.node.index);
  const begin = c.backend.beginCapture as (k: readonly DataId[]) => ReplayCapture;
  const capture = begin.call(
    c.backend,
    c.constData.filter((d): d is DataId => d !== undefined),
  );
  let res: ReturnType<typeof replay>;
  try {
    res = replay(c.graph, c.steps, c.freeAfter, c.backend, {
      externals: rec.extData,
      constant: (i) => constant(c, i),
      attrsOf: (k, n) => rec.attrsOf(k, n),
      escapes: rec.escapes(outputs),
      dynamicStep: (fn) => capture.dynamic(fn),
    });
  } catch (e) {
    capture.finish({ inputs: [], constants: [], outputs: [], writes: [] })?.dispose();
    throw e;
  }
  const { dataOf } = res;
  const heldVals = rec.heldValues(outputs);
  const held = new Set(heldVals.map((v) => dataOf[v]));
  // Not into storage a kept value views (it would see the new value).
  const writes = inPlaceWrites(rec).filter((w) => !held.has(rec.realStorage(w.variable)));
  const inPlace = new Set(writes.map((w) => w.variable.id));
  for (const w of rec.writes.values()) if (w.ref >= 0 && !inPlace.has(w.variable.id)) heldVals.push(w.ref);
  const storages: DataId[] = [];
  const outputOf = new Map<number, number>();
  for (const v of heldVals) {
    let i = storages.indexOf(dataOf[v]);
    if (i < 0) i = storages.push(dataOf[v]) - 1;
    outputOf.set(v, i);
  }
  const program = capture.finish({
    inputs: rec.extData,
    constants: c.constData.filter((d): d is DataId => d !== undefined),
    outputs: storages,
    writes: writes.map((w) => ({ from: dataOf[w.ref], into: rec.realStorage(w.variable) })),
  });
  // The planned storage belongs to the program now (releasing it is a no-op).
  res.release();
  if (!program) return false;
  c.recorded = { program, outputOf, inPlace: writes.map((w) => w.variable.id) };
  return true;
}

/**
 * The writes of this call that can update their Variable's own storage: computed values, into
 * storage the Variable alone holds (no tensor sees the old value change).
 */
function inPlaceWrites(rec: CallState): { variable: Tensor; ref: number }[] {
  return [...rec.writes.values()].filter(
    (w) => w.ref >= 0 && ENGINE.refCount(rec.realStorage(w.variable)) === 1,
  );
}

const NO_DATA: DataId = {};

/** Runs the recorded program for this call; false (having done nothing) when it cannot. */
function runProgram(c: Compiled, rec: CallState, outputs: Tensor[]): boolean {
  const { program, outputOf, inPlace } = c.recorded as Recorded;
  const writes = inPlaceWrites(rec).filter((w) => inPlace.includes(w.variable.id));
  if (writes.length !== inPlace.length) return false;
  const intos = writes.map((w) => rec.realStorage(w.variable));
  if (rec.heldValues(outputs).some((v) => !outputOf.has(v))) return false;
  const changed = changedConstants(c, rec);
  const dynamic = c.steps.filter(
    (s): s is Step =>
      s.op === 'node' && s.node.op === 'prim' && (primitive(s.node.prim).dynamic?.length ?? 0) > 0,
  );
  const refresh = () => {
    for (const s of dynamic) {
      if (s.node.op !== 'prim') continue;
      const node = s.node;
      const infos = stepInputs(s).map((r): TensorInfo => {
        const sig = r >= 0 ? c.graph.valueSigs[r] : c.graph.extSigs[slotOf(r)];
        return { dataId: NO_DATA, shape: sig.shape, dtype: sig.dtype };
      });
      const kernel = primitive(node.prim).kernel as (
        b: Backend,
        xs: TensorInfo[],
        a: PrimitiveAttrs[PrimitiveName],
        o: readonly Graph['valueSigs'][number][],
      ) => DataId[];
      kernel(
        c.backend,
        infos,
        rec.attrsOf(s.at, node) as PrimitiveAttrs[PrimitiveName],
        node.outputs.map((v) => c.graph.valueSigs[v]),
      );
    }
  };
  const run = () =>
    program.run({
      inputs: rec.extData,
      writes: intos,
      constants: changed.map(([i, v]) => [constant(c, i), v] as const),
      refresh: dynamic.length > 0 ? refresh : undefined,
    });
  const outs = c.backend.batch ? c.backend.batch(run) : run();
  if (!outs) return false;
  for (const [i, v] of changed) c.constNow[i] = v;
  const dataOf: DataId[] = [];
  for (const [v, i] of outputOf) dataOf[v] = outs[i];
  rec.bind(dataOf, new Set(writes.map((w) => w.variable)));
  const keep = new Set<DataId>([...rec.extData, ...c.constData.filter((d) => d !== undefined)]);
  for (const d of new Set(outs)) if (!keep.has(d) && !ENGINE.holds(d)) c.backend.disposeData(d);
  return true;
}
