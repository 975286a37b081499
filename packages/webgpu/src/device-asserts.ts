// Device-side asserts (like CUDA's): kernels record a failed check in a small GPU buffer, and the next
// readback (or sync) throws it, naming the op, with no extra stall (the buffer is read with the data).
import type { TensorInfo } from '@webdl/core';
import type { BufferPool } from './buffer-pool.js';
import type { CommandQueue } from './command-queue.js';
import { groups1d, shaderSource, type KernelContext } from './kernel-context.js';

/** Slots in the assert buffer: one per kind of check (an op name such as 'gather'). */
const SLOTS = 64;
const WORDS = 4;
const BYTES = SLOTS * WORDS * 4;

/** What a kernel recorded in its slot. */
export interface AssertHit {
  value: number;
  lo: number;
  hi: number;
}

/** Formats a hit as the error the user sees. */
export type AssertFormat = (kind: string, hit: AssertHit) => string;

const rangeMessage: AssertFormat = (kind, h) => `${kind}: index ${h.value} out of range [${h.lo}, ${h.hi})`;

/**
 * The assert buffer and its slots. A kernel that checks something binds `buffer`, gets its slot from
 * `slot(kind)` (one per kind, shared by every dispatch of that kind) and, on failure, sets word 0 of
 * the slot from 0 to 1 with an atomic compare-exchange and stores its values in words 1-3. The
 * backend calls `beforeRead` while recording a readback and `afterRead` once the readback's batch is
 * done; the first recorded hit is thrown then and the buffer is cleared.
 *
 * ```ts
 * const slot = asserts.slot('gather');
 * ctx.run({ ..., buffers: [indicesBuffer, asserts.use()], params: [n, 0, depth, slot] });
 * ```
 */
export class DeviceAsserts {
  private buf: GPUBuffer | null = null;
  private readonly kinds: { kind: string; format: AssertFormat }[] = [];
  private dirty = false;

  constructor(
    private readonly device: GPUDevice,
    private readonly stagingPool: BufferPool,
  ) {}

  /** The slot of a kind of check, allocated on first use (kinds are few: op names). */
  slot(kind: string, format: AssertFormat = rangeMessage): number {
    let i = this.kinds.findIndex((k) => k.kind === kind);
    if (i < 0) {
      if (this.kinds.length >= SLOTS) throw new Error(`${kind}: too many kinds of device asserts`);
      i = this.kinds.push({ kind, format }) - 1;
    }
    return i;
  }

  /** The assert buffer if created (without marking it). */
  get existing(): GPUBuffer | null {
    return this.buf;
  }

  /** The assert buffer, for a dispatch that may write it (marks it to be read at the next readback). */
  use(): GPUBuffer {
    this.dirty = true;
    this.buf ??= this.device.createBuffer({
      size: BYTES,
      usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
      label: 'webdl device asserts',
    });
    return this.buf;
  }

  /** Records a copy of the buffer into staging and its clearing; null when no check ran since the last read. */
  beforeRead(queue: CommandQueue): GPUBuffer | null {
    if (!this.dirty || !this.buf) return null;
    this.dirty = false;
    const staging = this.stagingPool.acquire(BYTES);
    queue.copy(this.buf, staging, BYTES, 'read device asserts');
    queue.clear(this.buf, 'clear device asserts');
    return staging;
  }

  /** Maps the staging copy (its batch is submitted already) and throws the first recorded hit. */
  async afterRead(staging: GPUBuffer | null): Promise<void> {
    if (!staging) return;
    let words: Int32Array;
    try {
      await staging.mapAsync(GPUMapMode.READ, 0, BYTES);
      words = new Int32Array(staging.getMappedRange(0, BYTES).slice(0));
      staging.unmap();
    } finally {
      this.stagingPool.release(staging);
    }
    for (let s = 0; s < this.kinds.length; s++) {
      if (words[s * WORDS] === 0) continue;
      const [value, lo, hi] = [words[s * WORDS + 1], words[s * WORDS + 2], words[s * WORDS + 3]];
      throw new Error(this.kinds[s].format(this.kinds[s].kind, { value, lo, hi }));
    }
  }
}

/**
 * Records a check that every int32 index lies in [lo, hi); a failure is thrown at the next readback
 * as `${op}: index 7 out of range [0, 5)`.
 */
export function checkIndicesKernel(
  ctx: KernelContext,
  asserts: DeviceAsserts,
  op: string,
  indices: TensorInfo,
  lo: number,
  hi: number,
): void {
  const n = indices.shape.reduce((a, b) => a * b, 1);
  if (n === 0) return;
  ctx.run({
    label: `${op} index check [${indices.shape.join(',')}] in [${lo}, ${hi})`,
    source: shaderSource('checkIndices'),
    buffers: [ctx.buffer(indices), asserts.use()],
    params: [n, lo, hi, asserts.slot(op)],
    groups: groups1d(n, 128, ctx.maxGroups),
  });
}
