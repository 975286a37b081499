// @webdl/webgpu: the WebGPU backend for webdl; registerWebGPU() adds 'webgpu' to core's engine (importing does nothing).
import { ENGINE } from '@webdl/core';
import { WebGPUBackend } from './backend.js';
import { getGpu } from './device.js';

let initError: string | null = null;

/**
 * Registers the 'webgpu' backend with core's engine (explicitly: importing this package has no
 * side effect). The device opens on `setBackend('webgpu')` or `ready()`, not here. The `webdl`
 * package calls this for you.
 *
 * ```ts
 * import { setBackend } from '@webdl/core';
 * import { registerWebGPU } from '@webdl/webgpu';
 * registerWebGPU();
 * await setBackend('webgpu');
 * ```
 */
export function registerWebGPU(priority = 2): void {
  ENGINE.registerBackend(
    'webgpu',
    async () => {
      try {
        const backend = await WebGPUBackend.create();
        initError = null;
        return backend;
      } catch (e) {
        initError = e instanceof Error ? e.message : String(e);
        throw e;
      }
    },
    priority,
  );
}

/**
 * Why the last attempt to start the 'webgpu' backend failed (null when it has not failed).
 *
 * ```ts
 * await ready();
 * if (getBackend() === 'cpu') console.log(webgpuInitError());
 * ```
 */
export function webgpuInitError(): string | null {
  return initError;
}

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
