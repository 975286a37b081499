// Sharing the GPU with page code: getDevice() and tensorFromGPUBuffer (tensors over the page's own GPUBuffers).
import { ENGINE, fmtShape, Tensor, type DType } from '@webdl/core';
import { WebGPUBackend } from './backend.js';

declare module '@webdl/core' {
  // With @webdl/webgpu loaded, `t.dataToGPU().buffer` is a GPUBuffer.
  interface GPUTypeMap {
    buffer: GPUBuffer;
  }
}

function webgpuBackend(op: string): WebGPUBackend {
  const b = ENGINE.backend;
  if (!(b instanceof WebGPUBackend)) {
    throw new Error(`${op}: the current backend is '${b.name}'; call await setBackend('webgpu') first`);
  }
  return b;
}

/**
 * The GPUDevice webdl computes on (the current webgpu backend's), to share with your own WebGPU code.
 *
 * ```ts
 * await setBackend('webgpu');
 * const buffer = getDevice().createBuffer({ size: 16, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC });
 * ```
 */
export function getDevice(): GPUDevice {
  return webgpuBackend('getDevice').device;
}

/**
 * Options of tensorFromGPUBuffer.
 *
 * ```ts
 * const options: FromGPUBufferOptions = { copy: true }; // the page may reuse its buffer afterwards
 * const t = tensorFromGPUBuffer(gpuBuffer, [2, 3], 'float32', options);
 * ```
 */
export interface FromGPUBufferOptions {
  /** Copy the values into a buffer webdl owns (the page may then reuse or destroy its buffer); default false. */
  copy?: boolean;
}

const USAGE_NAMES = [
  'MAP_READ',
  'MAP_WRITE',
  'COPY_SRC',
  'COPY_DST',
  'INDEX',
  'VERTEX',
  'UNIFORM',
  'STORAGE',
] as const;

/**
 * A tensor over a GPUBuffer made on `getDevice()`, holding 32-bit elements (f32 for float32, i32 for int32
 * and bool 0/1) in row-major order. Without `copy` the tensor reads the buffer in place: the buffer
 * needs STORAGE and COPY_SRC usage, a size rounded up to 16 bytes and must stay alive and unchanged while the tensor is; disposing
 * the tensor leaves the buffer to the page. With `{ copy: true }` only COPY_SRC is needed.
 * A buffer of another device is reported by the first await on the tensor (WebGPU validates asynchronously).
 *
 * ```ts
 * const t = tensorFromGPUBuffer(gpuBuffer, [2, 3], 'float32');
 * await t.data();
 * ```
 */
export function tensorFromGPUBuffer(
  buffer: GPUBuffer,
  shape: readonly number[],
  dtype: DType = 'float32',
  options: FromGPUBufferOptions = {},
): Tensor {
  const op = 'tensorFromGPUBuffer';
  const backend = webgpuBackend(op);
  if (
    typeof buffer !== 'object' ||
    buffer === null ||
    typeof (buffer as Partial<GPUBuffer>).usage !== 'number'
  ) {
    throw new Error(`${op}: expected a GPUBuffer, got ${buffer === null ? 'null' : typeof buffer}`);
  }
  if (!['float32', 'int32', 'bool'].includes(dtype))
    throw new Error(`${op}: unknown dtype '${String(dtype)}'`);
  if (!shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new Error(`${op}: shape ${fmtShape(shape)} must hold non-negative integers`);
  }
  const size = shape.reduce((a, b) => a * b, 1);
  if (buffer.size < size * 4) {
    throw new Error(
      `${op}: the buffer has ${buffer.size} bytes, too small for ${dtype} ${fmtShape(shape)} (${size * 4} bytes, 4 per element)`,
    );
  }
  const copy = options.copy ?? false;
  // webdl's kernels load whole vec4s: a wrapped buffer must cover the last one.
  const padded = Math.ceil((size * 4) / 16) * 16;
  if (!copy && buffer.size < padded) {
    throw new Error(
      `${op}: to wrap ${dtype} ${fmtShape(shape)} in place the buffer needs ${padded} bytes (a multiple of 16: webdl's kernels read 4 elements at a time), it has ${buffer.size}; make it larger or pass { copy: true }`,
    );
  }
  const needed: (typeof USAGE_NAMES)[number][] = copy ? ['COPY_SRC'] : ['STORAGE', 'COPY_SRC'];
  const missing = needed.filter((f) => (buffer.usage & GPUBufferUsage[f]) === 0);
  if (missing.length > 0) {
    const has = USAGE_NAMES.filter((f) => buffer.usage & GPUBufferUsage[f]).join(' | ') || 'none';
    throw new Error(
      `${op}: the buffer lacks GPUBufferUsage.${missing.join(' and ')} (it has ${has}); ${copy ? 'copying needs COPY_SRC' : 'wrapping needs STORAGE | COPY_SRC (or pass { copy: true } with COPY_SRC)'}`,
    );
  }
  if (buffer.mapState !== 'unmapped')
    throw new Error(`${op}: the buffer is ${buffer.mapState}; unmap it first`);
  checkDevice(backend, buffer);
  return ENGINE.makeTensor({ dataId: backend.adoptBuffer(buffer, size, dtype, copy), shape, dtype }, backend);
}

const scratchBuffers = new WeakMap<GPUDevice, GPUBuffer>();

/** Validates the buffer against webdl's device in an error scope; a foreign buffer fails the next await. */
function checkDevice(backend: WebGPUBackend, buffer: GPUBuffer): void {
  const device = backend.device;
  let scratch = scratchBuffers.get(device);
  if (!scratch) {
    scratch = device.createBuffer({ size: 4, usage: GPUBufferUsage.COPY_DST, label: 'webdl device check' });
    scratchBuffers.set(device, scratch);
  }
  device.pushErrorScope('validation');
  // An empty copy encodes nothing but is validated, including which device the buffer belongs to.
  const probe = device.createCommandEncoder({ label: 'tensorFromGPUBuffer device check' });
  probe.copyBufferToBuffer(buffer, 0, scratch, 0, 0);
  probe.finish();
  backend.queue.reportLater(
    device.popErrorScope().then((err) => {
      if (err) {
        throw new Error(
          `tensorFromGPUBuffer: the buffer cannot be used on webdl's device (was it made on another GPUDevice? use getDevice()): ${err.message}`,
        );
      }
    }),
  );
}
