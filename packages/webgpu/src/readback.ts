// Reads storage back to the host: one copy into a pooled MAP_READ buffer, one copy out of its mapping into the result, whose pages are touched while the GPU still works.
import type { DType, TypedArray } from '@webdl/core';
import type { BufferPool } from './buffer-pool.js';
import type { CommandQueue } from './command-queue.js';
import type { DeviceAsserts } from './device-asserts.js';

/** What a readback uses of the backend. */
export interface ReadbackHost {
  readonly queue: CommandQueue;
  readonly stagingPool: BufferPool;
  readonly asserts: DeviceAsserts;
  /** Throws, naming the op, when the device was lost. */
  checkAlive(op: string): void;
}

/** Results at least this large get their pages touched before the map completes. */
const PREFAULT_BYTES = 1 << 16;
const PAGE_BYTES = 4096;

/**
 * The typed array a readback of `size` elements returns, allocated up front. A large fresh buffer
 * is zero pages the OS maps in on first write (about 1.7 ms for 4 MB in Chromium on SwiftShader,
 * three times the copy itself): writing one element per page now, while the GPU finishes the work
 * and the map is pending, takes that off the path between the map and the result.
 *
 * ```ts
 * const out = resultArray('float32', 1 << 20); // Float32Array(1048576), zeros, pages mapped in
 * ```
 */
export function resultArray(dtype: DType, size: number): TypedArray {
  const out =
    dtype === 'float32'
      ? new Float32Array(size)
      : dtype === 'int32'
        ? new Int32Array(size)
        : new Uint8Array(size);
  if (out.byteLength >= PREFAULT_BYTES) {
    const step = PAGE_BYTES / out.BYTES_PER_ELEMENT;
    for (let i = 0; i < size; i += step) out[i] = 0;
  }
  return out;
}

/**
 * Reads `size` elements of `buffer` (in order after all recorded work), throwing any error earlier
 * work reported and any device-side check that fired. Bool storage holds 0/1 words: they are
 * narrowed to bytes as they are copied.
 *
 * ```ts
 * const values = await readBuffer(host, data.buffer, 'float32', data.size);
 * ```
 */
export async function readBuffer(
  host: ReadbackHost,
  buffer: GPUBuffer,
  dtype: DType,
  size: number,
): Promise<TypedArray> {
  const { queue, stagingPool, asserts } = host;
  if (size === 0) {
    const flags = asserts.beforeRead(queue);
    await queue.settle();
    await asserts.afterRead(flags);
    return resultArray(dtype, 0);
  }
  const bytes = size * 4;
  const staging = stagingPool.acquire(bytes);
  queue.copy(buffer, staging, bytes, `read ${dtype}[${size}]`);
  const flags = asserts.beforeRead(queue);
  let mapped: Promise<void> | null = null;
  let out: TypedArray;
  try {
    // The map is requested once the copy is submitted, while the batches' error scopes resolve.
    await queue.flush();
    mapped = staging.mapAsync(GPUMapMode.READ, 0, bytes);
    // Marked handled now: when settle() throws on a lost device, checkAlive below throws before
    // this map is awaited, and its rejection must not surface as an unhandled one.
    mapped.catch(() => undefined);
    out = resultArray(dtype, size);
    await queue.settle();
    await mapped;
  } catch (e) {
    host.checkAlive('read');
    if (mapped)
      await mapped.then(
        () => staging.unmap(),
        () => undefined,
      );
    stagingPool.release(staging);
    if (flags) stagingPool.release(flags);
    throw e;
  }
  const range = staging.getMappedRange(0, bytes);
  if (dtype === 'float32') out.set(new Float32Array(range));
  else out.set(new Int32Array(range));
  staging.unmap();
  stagingPool.release(staging);
  await asserts.afterRead(flags);
  return out;
}
