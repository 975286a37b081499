// dataToGPU: a tensor's storage handed to page code as the backend's GPU buffer, kept alive until disposed.
import type { Backend, DataId } from './backend.js';
import { ENGINE } from './engine.js';
import type { DType } from './types.js';

/**
 * Types a GPU backend fills in by declaration merging (`@webdl/webgpu` adds `{ buffer: GPUBuffer }`), so
 * core names no WebGPU type.
 *
 * ```ts
 * // @webdl/webgpu fills it in, so that dataToGPU's buffer is typed GPUBuffer:
 * type Buffer = GPUTypeMap extends { buffer: infer B } ? B : unknown;
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface GPUTypeMap {}

/**
 * The buffer type of `dataToGPU`: GPUBuffer once `@webdl/webgpu` is imported.
 *
 * ```ts
 * const { buffer }: { buffer: GPUBufferHandle } = await x.dataToGPU(); // a GPUBuffer on webgpu
 * ```
 */
export type GPUBufferHandle = GPUTypeMap extends { buffer: infer B } ? B : unknown;

/**
 * What `t.dataToGPU()` returns.
 *
 * ```ts
 * const gpu: GPUData = await x.dataToGPU();
 * gpu.buffer; // the tensor's storage, 4 bytes per element
 * ```
 */
export interface GPUData {
  /** The tensor's storage: 32 bits per element (float32 as f32, int32 and bool as i32), in row-major order. */
  buffer: GPUBufferHandle;
  /** Bytes of the tensor's values at the start of the buffer (the buffer may be larger). */
  byteLength: number;
  /**
   * Settles once webdl has submitted the work that computes the values (already settled unless a kernel
   * was still compiling): submit page work reading the buffer after it.
   */
  ready: Promise<void>;
  /** Lets webdl reuse the buffer; the buffer must not be used afterwards. */
  dispose(): void;
}

/**
 * What a backend with GPU storage implements for dataToGPU.
 *
 * ```ts
 * const hasGpuData = (b: Backend): b is Backend & GPUDataSource => 'dataToGPU' in b;
 * ```
 */
export interface GPUDataSource {
  dataToGPU(dataId: DataId): { buffer: unknown; ready: Promise<void> };
}

function hasGPUData(b: Backend): b is Backend & GPUDataSource {
  return typeof (b as Partial<GPUDataSource>).dataToGPU === 'function';
}

/** @internal the implementation behind `Tensor.dataToGPU`. */
export function dataToGPU(t: {
  dataId: DataId;
  backend: Backend;
  dtype: DType;
  size: number;
  toString(): string;
}): GPUData {
  const backend = t.backend;
  if (!hasGPUData(backend)) {
    throw new Error(
      `dataToGPU: ${t.toString()} has no GPU buffer: only tensors on the webgpu backend do (await setBackend('webgpu') before creating it)`,
    );
  }
  const dataId = t.dataId;
  const { buffer, ready } = backend.dataToGPU(dataId);
  // One more reference on the storage: it outlives the tensor until dispose().
  ENGINE.retainData(dataId, backend, t.dtype, t.size);
  let live = true;
  return {
    buffer: buffer as GPUBufferHandle,
    byteLength: t.size * 4,
    ready,
    dispose: () => {
      if (live) ENGINE.releaseData(dataId);
      live = false;
    },
  };
}
