// Replay programs: one jit replay's kernels planned once without running (pipelines, bindings,
// parameters in a uniform buffer the program owns, workgroup counts, intermediates reused by
// liveness), then replayed, from that first call on, into one command encoder per call with no
// new buffers, bind groups or pipelines.
import type { CaptureSpec, DataId, DType, ProgramRun, ReplayCapture, ReplayProgram } from '@webdl/core';
import { sizeClass, type BufferPool } from './buffer-pool.js';
import { PARAM_WORDS, type CommandQueue, type CommandRecord, type ProgramRecord } from './command-queue.js';
import type { GpuData, RunSpec } from './kernel-context.js';
import type { PipelineRef } from './pipelines.js';
import { f32Bits, hostScalars } from './scalar-params.js';

const SLOT_BYTES = PARAM_WORDS * 4;
/** Bind groups kept per dispatch whose bindings change between calls (keyed by the buffers bound). */
const BIND_CACHE = 8;

/** What a program needs from its backend. */
export interface ProgramHost {
  readonly device: GPUDevice;
  readonly queue: CommandQueue;
  readonly dataPool: BufferPool;
  readonly uniformPool: BufferPool;
  /** The device-assert buffer if it exists (the one buffer a recording may bind from outside). */
  assertBuffer(): GPUBuffer | null;
  /** Marks the assert buffer as written by the work being recorded. */
  useAsserts(): void;
  /** Fresh storage from the pool (an output of a later run). */
  allocOutput(size: number, dtype: DType): GpuData;
  /** The pipeline a dispatch request runs. */
  pipeline(spec: RunSpec): PipelineRef;
  /** Routes dispatch requests to fn instead of the queue (null: back to normal). */
  setRefresh(fn: ((spec: RunSpec) => void) | null): void;
}

/** A binding: a buffer the program keeps, or this call's input slot, output or write target. */
type Ref = { fixed: GPUBuffer } | { input: number } | { output: number };

interface DispatchItem {
  kind: 'dispatch';
  label: string;
  pipeline: PipelineRef;
  refs: Ref[];
  slot: number;
  groups: readonly [number, number, number];
  dynamic: boolean;
  group: GPUBindGroup | null;
  cache: Map<string, GPUBindGroup>;
}
interface CopyItem {
  kind: 'copy' | 'clear';
  src: Ref;
  dst: Ref;
  size: number;
}
type Item = DispatchItem | CopyItem;

/** Where an output of a later run comes from: fresh storage, an input's storage (a view), or fixed storage. */
type OutputSource = { size: number; dtype: DType } | { input: number } | { data: DataId };

/** This call's buffers, parameters and constants, for the encoder. */
interface Snapshot {
  inputs: GPUBuffer[];
  outputs: GPUBuffer[];
  writes: GpuData[];
  /** Parameter words to write, by offset in words from the arena's start. */
  params: [number, Uint32Array][];
  constants: [GPUBuffer, ArrayBufferView][];
}

interface Tap {
  rec: CommandRecord;
  owners: (GpuData | undefined)[];
  dynamic: boolean;
}

const bufferIds = new WeakMap<GPUBuffer, number>();
let nextBufferId = 0;
const idOf = (b: GPUBuffer) => {
  let id = bufferIds.get(b);
  if (id === undefined) bufferIds.set(b, (id = nextBufferId++));
  return id;
};

function recordBuffers(r: CommandRecord): readonly GPUBuffer[] {
  if (r.kind === 'dispatch') return r.buffers;
  if (r.kind === 'program') return [];
  return [r.src, r.dst];
}

/**
 * An open recording. While it is open, kernels plan without running: the backend allocates their
 * outputs through `alloc` (reusing storage freed earlier in the recording, as nothing runs in
 * between) and hands every command record to `record` instead of the queue.
 */
export class GpuCapture implements ReplayCapture {
  private readonly taps: Tap[] = [];
  private readonly allocated = new Set<GpuData>();
  private readonly owner = new Map<GPUBuffer, GpuData>();
  private readonly free = new Map<number, GPUBuffer[]>();
  private readonly acquired: GPUBuffer[] = [];
  private dynamicDepth = 0;
  private failed = false;

  constructor(
    private readonly host: ProgramHost,
    /** The constants' buffers: host scalars among them are read from kernel parameters. */
    readonly constants: ReadonlySet<GPUBuffer>,
    private readonly close: () => void,
  ) {}

  /** Output storage of a kernel inside the recording. */
  alloc(size: number, dtype: DType): GpuData {
    const bytes = Math.max(4, size * 4);
    let buffer = this.free.get(sizeClass(bytes))?.pop();
    if (!buffer) this.acquired.push((buffer = this.host.dataPool.acquire(bytes)));
    const d: GpuData = { buffer, size, dtype, disposed: false };
    this.allocated.add(d);
    this.owner.set(buffer, d);
    return d;
  }

  /** Frees storage allocated in the recording (reusable by later kernels of it); false for other storage. */
  release(d: GpuData): boolean {
    if (!this.allocated.has(d)) return false;
    d.disposed = true;
    const cls = d.buffer.size;
    let list = this.free.get(cls);
    if (!list) this.free.set(cls, (list = []));
    list.push(d.buffer);
    return true;
  }

  /** Takes a command record (planned, not run). */
  record(rec: CommandRecord): void {
    if (rec.kind === 'program') this.failed = true;
    const owners = recordBuffers(rec).map((b) => this.owner.get(b));
    this.taps.push({ rec, owners, dynamic: this.dynamicDepth > 0 });
  }

  /** Whether kernels recorded now are re-planned on every call (`dynamic`): their sources must not depend on this call's buffers. */
  replannedPerCall(): boolean {
    return this.dynamicDepth > 0;
  }

  dynamic<T>(fn: () => T): T {
    this.dynamicDepth++;
    try {
      return fn();
    } finally {
      this.dynamicDepth--;
    }
  }

  finish(spec: CaptureSpec): ReplayProgram | null {
    this.close();
    // Storage of the recording is the program's (or the pool's again): nothing else may free it.
    for (const d of this.allocated) d.pinned = true;
    const program = this.failed ? null : this.build(spec);
    if (!program) for (const b of this.acquired) this.host.queue.release(this.host.dataPool, b);
    return program;
  }

  private build(spec: CaptureSpec): GpuProgram | null {
    const inputOf = new Map<GPUBuffer, number>();
    spec.inputs.forEach((d, k) => {
      const b = (d as GpuData).buffer;
      if (!inputOf.has(b)) inputOf.set(b, k);
    });
    const constants = new Set(spec.constants.map((d) => (d as GpuData).buffer));
    const outIndex = new Map<GpuData, number>();
    const outputs: OutputSource[] = spec.outputs.map((id, i) => {
      const d = id as GpuData;
      if (this.allocated.has(d)) {
        outIndex.set(d, i);
        return { size: d.size, dtype: d.dtype };
      }
      const k = inputOf.get(d.buffer);
      return k !== undefined ? { input: k } : { data: id };
    });
    const bound = new Set<GPUBuffer>();
    const asserts = this.host.assertBuffer();
    let usesAsserts = false;
    const refOf = (b: GPUBuffer, owner: GpuData | undefined): Ref | null => {
      if (owner && this.allocated.has(owner)) {
        const o = outIndex.get(owner);
        if (o !== undefined) return { output: o };
        bound.add(owner.buffer);
        return { fixed: owner.buffer };
      }
      const k = inputOf.get(b);
      if (k !== undefined) return { input: k };
      if (constants.has(b)) return { fixed: b };
      if (b === asserts) {
        usesAsserts = true;
        return { fixed: b };
      }
      return null;
    };
    const items: Item[] = [];
    const inputNeeds = spec.inputs.map(() => 0);
    let slot = 0;
    const params: Uint32Array[] = [];
    const scalarWords = new Map<GPUBuffer, number[]>();
    const upgrades: PipelineRef[] = [];
    for (const { rec, owners, dynamic } of this.taps) {
      const refs = recordBuffers(rec).map((b, j) => refOf(b, owners[j]));
      if (refs.some((r) => r === null)) return null;
      const rs = refs as Ref[];
      if (rec.kind === 'dispatch') {
        rec.needs?.forEach((bytes, j) => {
          const r = rs[j];
          if ('input' in r) inputNeeds[r.input] = Math.max(inputNeeds[r.input], bytes);
        });
        for (const [word, b] of rec.scalars ?? [])
          (scalarWords.get(b) ?? scalarWords.set(b, []).get(b))?.push(slot * PARAM_WORDS + word);
        params.push(rec.params);
        if (rec.upgrade) upgrades.push(rec.upgrade);
        items.push({
          kind: 'dispatch',
          label: rec.label,
          pipeline: rec.pipeline,
          refs: rs,
          slot: slot++,
          groups: rec.groups,
          dynamic,
          group: null,
          cache: new Map(),
        });
      } else if (rec.kind !== 'program') {
        items.push({ kind: rec.kind, src: rs[0], dst: rs[1], size: rec.size });
      }
    }
    const writes: Ref[] = [];
    for (const w of spec.writes) {
      const d = w.from as GpuData;
      const r = refOf(d.buffer, this.allocated.has(d) ? d : undefined);
      if (!r) return null;
      writes.push(r);
    }
    // Slots sharing storage at record time must share it on every run (the program binds one of them).
    const aliases = spec.inputs.map((d) => inputOf.get((d as GpuData).buffer) ?? -1);
    // The program keeps the buffers it binds; the others (outputs' only) go back to the pool.
    const owned = new Set(this.acquired.filter((b) => bound.has(b)));
    for (const b of this.acquired) if (!owned.has(b)) this.host.queue.release(this.host.dataPool, b);
    const parts = {
      items,
      params,
      outputs,
      writes,
      owned,
      usesAsserts,
      aliases,
      inputNeeds,
      scalarWords,
      upgrades,
    };
    return new GpuProgram(this.host, parts);
  }
}

interface ProgramParts {
  items: Item[];
  params: Uint32Array[];
  outputs: OutputSource[];
  writes: Ref[];
  owned: Set<GPUBuffer>;
  usesAsserts: boolean;
  aliases: number[];
  /** Bytes each input's buffer must hold (sized bindings, see sized-bindings.ts). */
  inputNeeds: number[];
  /** The parameter words (from the arena's start) holding each constant read as a host scalar. */
  scalarWords: Map<GPUBuffer, number[]>;
  /** Faster variants of recorded kernels that were still compiling (RunSpec.better). */
  upgrades: PipelineRef[];
}

/** A recorded replay (see `GpuCapture`). */
export class GpuProgram implements ReplayProgram {
  private readonly ubuf: GPUBuffer;
  private readonly dynamicItems: DispatchItem[];
  private readonly pipelines: PipelineRef[];
  private readonly numDispatches: number;
  private pending: ProgramRecord | null = null;
  private disposed = false;

  constructor(
    private readonly host: ProgramHost,
    private readonly parts: ProgramParts,
  ) {
    const { items, params } = parts;
    const dispatches = items.filter((i): i is DispatchItem => i.kind === 'dispatch');
    this.numDispatches = dispatches.length;
    this.dynamicItems = dispatches.filter((i) => i.dynamic);
    this.pipelines = [...new Set(dispatches.map((i) => i.pipeline))];
    const arena = new Uint32Array(Math.max(1, params.length) * PARAM_WORDS);
    params.forEach((p, i) => arena.set(p, i * PARAM_WORDS));
    this.ubuf = host.uniformPool.acquire(arena.byteLength);
    host.device.queue.writeBuffer(this.ubuf, 0, arena);
  }

  /** Whether every faster kernel variant still compiling at record time is ready: recording again would use them. */
  stale(): boolean {
    const { upgrades } = this.parts;
    return upgrades.length > 0 && upgrades.every((u) => u.pipeline !== null);
  }

  run(r: ProgramRun): DataId[] | null {
    if (this.disposed) return null;
    const inputs = r.inputs.map((d) => d as GpuData);
    const { inputNeeds, aliases } = this.parts;
    if (inputs.some((d, k) => d.disposed || d.buffer.size < inputNeeds[k])) return null;
    if (aliases.some((k, s) => k >= 0 && inputs[k].buffer !== inputs[s].buffer)) return null;
    const params = this.refresh(r.refresh);
    if (!params) return null;
    const outputs = this.parts.outputs.map((o): GpuData =>
      'size' in o
        ? this.host.allocOutput(o.size, o.dtype)
        : 'input' in o
          ? inputs[o.input]
          : (o.data as GpuData),
    );
    const constants = r.constants.map(([d, v]): [GPUBuffer, ArrayBufferView] => {
      const b = (d as GpuData).buffer;
      if (v instanceof Float32Array && v.length === 1) {
        const bits = Uint32Array.of(f32Bits(v));
        if (hostScalars.has(b)) hostScalars.set(b, bits[0]);
        for (const w of this.parts.scalarWords.get(b) ?? []) params.push([w, bits]);
      }
      return [b, v instanceof Uint8Array ? Int32Array.from(v) : v];
    });
    const writes = r.writes.map((d) => d as GpuData);
    // Variables updated in place no longer hold what the host wrote.
    for (const d of writes) hostScalars.delete(d.buffer);
    const snap: Snapshot = {
      inputs: inputs.map((d) => d.buffer),
      outputs: outputs.map((d) => d.buffer),
      writes,
      params,
      constants,
    };
    if (this.pending) void this.host.queue.flush().catch(() => undefined);
    const rec: ProgramRecord = {
      kind: 'program',
      label: `jit replay (${this.numDispatches} dispatches)`,
      pipelines: this.pipelines,
      dispatches: this.numDispatches,
      encode: (enc) => this.encode(enc, snap, rec),
    };
    this.pending = rec;
    this.host.queue.enqueueProgram(rec);
    if (this.parts.usesAsserts) this.host.useAsserts();
    return outputs;
  }

  /** This call's parameters of the dynamic dispatches (re-planned by their kernels), or null if they changed shape. */
  private refresh(fn: (() => void) | undefined): [number, Uint32Array][] | null {
    if (this.dynamicItems.length === 0 || !fn) return [];
    const out: [number, Uint32Array][] = [];
    let i = 0;
    let ok = true;
    this.host.setRefresh((spec) => {
      const item = this.dynamicItems[i++];
      const same =
        item !== undefined &&
        this.host.pipeline(spec) === item.pipeline &&
        spec.groups.every((g, k) => g === item.groups[k]);
      if (!same) ok = false;
      else out.push([item.slot * PARAM_WORDS, Uint32Array.from(spec.params, (v) => v >>> 0)]);
    });
    try {
      fn();
    } finally {
      this.host.setRefresh(null);
    }
    return ok && i === this.dynamicItems.length ? out : null;
  }

  private resolve(r: Ref, snap: Snapshot): GPUBuffer {
    if ('fixed' in r) return r.fixed;
    if ('input' in r) return snap.inputs[r.input];
    return snap.outputs[r.output];
  }

  private bindGroup(item: DispatchItem, snap: Snapshot): GPUBindGroup {
    const fixed = item.refs.every((r) => 'fixed' in r);
    const buffers = item.refs.map((r) => this.resolve(r, snap));
    if (fixed && item.group) return item.group;
    const key = fixed ? '' : buffers.map(idOf).join(',');
    const hit = item.cache.get(key);
    if (hit) return hit;
    const pipeline = item.pipeline.pipeline as GPUComputePipeline;
    const entries: GPUBindGroupEntry[] = [
      { binding: 0, resource: { buffer: this.ubuf, offset: item.slot * SLOT_BYTES, size: SLOT_BYTES } },
    ];
    buffers.forEach((b, j) => entries.push({ binding: j + 1, resource: { buffer: b } }));
    const group = this.host.device.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries,
      label: item.label,
    });
    this.host.queue.bindGroups++;
    if (fixed) item.group = group;
    else {
      if (item.cache.size >= BIND_CACHE) item.cache.delete(item.cache.keys().next().value as string);
      item.cache.set(key, group);
    }
    return group;
  }

  private encode(enc: GPUCommandEncoder, snap: Snapshot, rec: ProgramRecord): void {
    if (this.pending === rec) this.pending = null;
    const q = this.host.device.queue;
    for (const [b, v] of snap.constants) q.writeBuffer(b, 0, v.buffer, v.byteOffset, v.byteLength);
    for (const [word, words] of snap.params)
      q.writeBuffer(this.ubuf, word * 4, words.buffer as ArrayBuffer, words.byteOffset, words.byteLength);
    let pass: GPUComputePassEncoder | null = null;
    for (const item of this.parts.items) {
      if (item.kind === 'dispatch') {
        pass ??= enc.beginComputePass({ label: 'jit replay' });
        pass.setPipeline(item.pipeline.pipeline as GPUComputePipeline);
        pass.setBindGroup(0, this.bindGroup(item, snap));
        pass.dispatchWorkgroups(item.groups[0], item.groups[1], item.groups[2]);
        continue;
      }
      pass?.end();
      pass = null;
      const dst = this.resolve(item.dst, snap);
      if (item.kind === 'copy') enc.copyBufferToBuffer(this.resolve(item.src, snap), 0, dst, 0, item.size);
      else enc.clearBuffer(dst);
    }
    pass?.end();
    this.parts.writes.forEach((r, i) => {
      const into = snap.writes[i];
      if (into.size > 0) enc.copyBufferToBuffer(this.resolve(r, snap), 0, into.buffer, 0, into.size * 4);
    });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    const { queue, dataPool, uniformPool } = this.host;
    for (const b of this.parts.owned) queue.release(dataPool, b);
    queue.release(uniformPool, this.ubuf);
    for (const item of this.parts.items) if (item.kind === 'dispatch') item.cache.clear();
  }
}
