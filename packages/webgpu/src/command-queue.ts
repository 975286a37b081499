// Records kernel dispatches and copies, encodes many of them into one command buffer, and submits at readback or when a batch grows.
import type { BufferPool } from './buffer-pool.js';
import type { PipelineRef } from './pipelines.js';

/** Words of shape/scalar parameters one dispatch may use (one 256-byte uniform slot). */
export const PARAM_WORDS = 64;
const SLOT_BYTES = PARAM_WORDS * 4;

/** One compute dispatch: binding 0 is its parameter slot, bindings 1.. are `buffers` in order. */
export interface DispatchRecord {
  kind: 'dispatch';
  /** Op name and shapes, used in error messages and as the GPU object label. */
  label: string;
  pipeline: PipelineRef;
  buffers: readonly GPUBuffer[];
  /** Bytes each buffer must hold for the pipeline's fixed-length bindings (0: any size), where sized. */
  needs?: readonly number[];
  params: Uint32Array;
  groups: readonly [number, number, number];
  /** Parameter words holding host scalars, and the buffers they stand for (scalar-params.ts). */
  scalars?: readonly [number, GPUBuffer][];
  /** The faster variant compiling in the background while this dispatch runs its stand-in (RunSpec.better). */
  upgrade?: PipelineRef;
}

interface CopyRecord {
  kind: 'copy' | 'clear';
  label: string;
  src: GPUBuffer;
  dst: GPUBuffer;
  size: number;
}

/** A recorded jit replay (program.ts): its own passes, encoded into the batch's encoder. */
export interface ProgramRecord {
  kind: 'program';
  label: string;
  pipelines: readonly PipelineRef[];
  dispatches: number;
  encode(enc: GPUCommandEncoder): void;
}

export type CommandRecord = DispatchRecord | CopyRecord | ProgramRecord;

/** Pipelines a record waits for. */
function pipelinesOf(r: CommandRecord): readonly PipelineRef[] {
  return r.kind === 'dispatch' ? [r.pipeline] : r.kind === 'program' ? r.pipelines : [];
}

/** The labels of a batch's first records, for error messages. */
function batchLabel(records: readonly { label: string }[]): string {
  const shown = records.slice(0, 8).map((r) => r.label);
  if (records.length > shown.length) shown.push(`and ${records.length - shown.length} more`);
  return shown.join('; ');
}

/**
 * The backend's command stream. Kernels `enqueue` dispatches synchronously; `flush` compiles
 * what is still compiling, encodes the batch into one command buffer and submits it. Buffers
 * freed meanwhile go back to their pool only after the batch that used them is submitted, so
 * a later `queue.writeBuffer` into a reused buffer can never overtake a pending read of it.
 */
export class CommandQueue {
  private records: CommandRecord[] = [];
  private releases: [BufferPool, GPUBuffer][] = [];
  private chain: Promise<void> = Promise.resolve();
  private inFlight = 0;
  private scopes: Promise<void>[] = [];
  private errors: Error[] = [];
  /** Dispatches per command buffer before an automatic submit. */
  maxBatch = 64;
  submits = 0;
  /** Compute dispatches recorded so far (the backend's own count, for tests and the bench). */
  dispatches = 0;
  /** Bind groups created so far. */
  bindGroups = 0;
  /** While set, takes every record instead of the queue (a replay being recorded, program.ts). */
  tap: ((rec: CommandRecord) => void) | null = null;

  constructor(
    private readonly device: GPUDevice,
    private readonly uniformPool: BufferPool,
  ) {}

  /** Adds a dispatch; submits the batch in the background once it holds `maxBatch` records. */
  enqueue(rec: DispatchRecord): void {
    if (this.tap) return this.tap(rec);
    this.dispatches++;
    this.push(rec);
    if (this.records.length >= this.maxBatch) this.flushInBackground();
  }

  /** Adds a recorded replay (its dispatches count as recorded now). */
  enqueueProgram(rec: ProgramRecord): void {
    this.dispatches += rec.dispatches;
    this.push(rec);
  }

  /** Copies `size` bytes between buffers, in order with the dispatches. */
  copy(src: GPUBuffer, dst: GPUBuffer, size: number, label: string): void {
    this.push({ kind: 'copy', label, src, dst, size });
  }

  /** Zero-fills a buffer, in order with the dispatches. */
  clear(dst: GPUBuffer, label: string): void {
    this.push({ kind: 'clear', label, src: dst, dst, size: dst.size });
  }

  private push(rec: CommandRecord): void {
    if (this.tap) this.tap(rec);
    else this.records.push(rec);
  }

  /** Returns a buffer to its pool once no unsubmitted work can still use it. */
  release(pool: BufferPool, buf: GPUBuffer): void {
    if (this.records.length === 0 && this.inFlight === 0) pool.release(buf);
    else this.releases.push([pool, buf]);
  }

  /** Records an asynchronous error (e.g. out of memory at buffer creation) to be thrown at the next `settle`. */
  reportLater(scope: Promise<void>): void {
    this.scopes.push(
      scope.catch((e: unknown) => void this.errors.push(e instanceof Error ? e : new Error(String(e)))),
    );
  }

  private flushInBackground(): void {
    this.flush().catch((e: unknown) => this.errors.push(e instanceof Error ? e : new Error(String(e))));
  }

  /**
   * Submits everything recorded so far (after earlier batches); resolves once submitted. When every
   * pipeline is compiled and no earlier batch is waiting, this submits synchronously, so a burst
   * of eager ops recycles its freed buffers batch by batch instead of allocating new ones.
   */
  flush(): Promise<void> {
    const records = this.records;
    const releases = this.releases;
    if (records.length === 0 && releases.length === 0) return this.chain;
    this.records = [];
    this.releases = [];
    const ready = records.every((r) => pipelinesOf(r).every((p) => p.pipeline));
    if (ready && this.inFlight === 0) {
      try {
        this.submitReady(records);
      } catch (e) {
        return Promise.reject(e instanceof Error ? e : new Error(String(e)));
      } finally {
        for (const [pool, buf] of releases) pool.release(buf);
      }
      return Promise.resolve();
    }
    this.inFlight++;
    const done = this.chain
      .then(() => this.submit(records))
      .finally(() => {
        for (const [pool, buf] of releases) pool.release(buf);
        this.inFlight--;
      });
    this.chain = done.catch(() => undefined);
    return done;
  }

  /** Flushes, waits for error scopes, and throws the first error any earlier work reported. */
  async settle(): Promise<void> {
    let first: unknown = null;
    await this.flush().catch((e: unknown) => (first = e));
    const scopes = this.scopes;
    this.scopes = [];
    await Promise.all(scopes);
    if (first) throw first;
    const err = this.errors.shift();
    if (err) {
      this.errors.length = 0;
      throw err;
    }
  }

  /** Waits for the batch's pipelines to compile, then submits it. */
  private async submit(records: CommandRecord[]): Promise<void> {
    const waiting = records.flatMap((r) => pipelinesOf(r).map((p) => ({ label: r.label, p })));
    if (waiting.some((w) => !w.p.pipeline)) {
      const results = await Promise.allSettled(waiting.map((w) => w.p.promise));
      const failed = results.findIndex((r) => r.status === 'rejected');
      if (failed >= 0) {
        const reason = (results[failed] as PromiseRejectedResult).reason as unknown;
        throw new Error(
          `${waiting[failed].label}: ${reason instanceof Error ? reason.message : String(reason)}`,
        );
      }
    }
    this.submitReady(records);
  }

  /**
   * Encodes a batch whose pipelines are all compiled into one command buffer and submits it. The
   * dispatches' parameters go up in one uniform write; a batch without dispatches (a readback's
   * copy, a recorded replay that binds its own) writes none.
   */
  private submitReady(records: CommandRecord[]): void {
    const dispatches = records.filter((r): r is DispatchRecord => r.kind === 'dispatch');
    let ubuf: GPUBuffer | null = null;
    if (dispatches.length > 0) {
      const arena = new Uint32Array(dispatches.length * PARAM_WORDS);
      dispatches.forEach((r, i) => arena.set(r.params, i * PARAM_WORDS));
      ubuf = this.uniformPool.acquire(arena.byteLength);
      this.device.queue.writeBuffer(ubuf, 0, arena);
    }
    this.device.pushErrorScope('validation');
    try {
      this.encodeAndSubmit(records, ubuf);
      this.submits++;
    } finally {
      const scope = this.device.popErrorScope().then(async (err) => {
        if (err) throw new Error(await this.diagnose(dispatches, err.message));
      });
      this.reportLater(scope);
      if (ubuf) this.uniformPool.release(ubuf);
    }
  }

  private encodeAndSubmit(records: CommandRecord[], ubuf: GPUBuffer | null): void {
    const enc = this.device.createCommandEncoder({ label: batchLabel(records) });
    let pass: GPUComputePassEncoder | null = null;
    let slot = 0;
    for (const r of records) {
      if (r.kind !== 'dispatch') {
        pass?.end();
        pass = null;
        if (r.kind === 'program') r.encode(enc);
        else if (r.kind === 'copy') enc.copyBufferToBuffer(r.src, 0, r.dst, 0, r.size);
        else enc.clearBuffer(r.dst);
        continue;
      }
      pass ??= enc.beginComputePass();
      this.encodeDispatch(pass, r, ubuf as GPUBuffer, slot++ * SLOT_BYTES);
    }
    pass?.end();
    this.device.queue.submit([enc.finish()]);
  }

  private encodeDispatch(
    pass: GPUComputePassEncoder,
    r: DispatchRecord,
    ubuf: GPUBuffer,
    offset: number,
  ): void {
    const pipeline = r.pipeline.pipeline as GPUComputePipeline;
    const entries: GPUBindGroupEntry[] = [
      { binding: 0, resource: { buffer: ubuf, offset, size: SLOT_BYTES } },
    ];
    r.buffers.forEach((b, j) => entries.push({ binding: j + 1, resource: { buffer: b } }));
    const bindGroup = this.device.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries,
      label: r.label,
    });
    this.bindGroups++;
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(r.groups[0], r.groups[1], r.groups[2]);
  }

  /** Re-encodes each dispatch of a failed batch alone (without submitting) to name the op at fault. */
  private async diagnose(dispatches: DispatchRecord[], message: string): Promise<string> {
    const ubuf = this.uniformPool.acquire(SLOT_BYTES);
    const culprits: string[] = [];
    for (const r of dispatches) {
      this.device.pushErrorScope('validation');
      try {
        const enc = this.device.createCommandEncoder();
        const pass = enc.beginComputePass();
        this.encodeDispatch(pass, r, ubuf, 0);
        pass.end();
        enc.finish();
      } catch {
        /* reported through the scope */
      }
      if (await this.device.popErrorScope()) culprits.push(r.label);
    }
    this.uniformPool.release(ubuf);
    const where =
      culprits.length > 0
        ? culprits.join('; ')
        : `a batch of ${dispatches.length} dispatches (${batchLabel(dispatches)})`;
    return `WebGPU validation error in ${where}: ${message}`;
  }
}
