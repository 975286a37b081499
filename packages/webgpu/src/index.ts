// @webdl/webgpu: the WebGPU backend for webdl; importing it registers 'webgpu' with core's engine.
import { ENGINE } from '@webdl/core';
import { WebGPUBackend } from './backend.js';
import { getGpu } from './device.js';

ENGINE.registerBackend('webgpu', async () => WebGPUBackend.create(), 2);

/**
 * Whether a WebGPU adapter can be obtained here (navigator.gpu in browsers, Dawn in Node).
 *
 * ```ts
 * if (await webgpuAvailable()) await setBackend('webgpu');
 * ```
 */
export async function webgpuAvailable(): Promise<boolean> {
  try {
    const gpu = await getGpu();
    return (await gpu?.requestAdapter()) != null;
  } catch {
    return false;
  }
}

export { WebGPUBackend, type WebGPUBackendOptions } from './backend.js';
export { sizeClass } from './buffer-pool.js';
export { formatCompileMessages } from './pipelines.js';
export { getDevice, tensorFromGPUBuffer, type FromGPUBufferOptions } from './interop.js';
