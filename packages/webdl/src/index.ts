// webdl: one import for core, the WebGPU backend and layers; picks webgpu when an adapter exists, else cpu.
import { ENGINE, getBackend, setBackend } from '@webdl/core';
import '@webdl/webgpu';

export * from '@webdl/core';
export * from '@webdl/layers';

/**
 * Picks the best available backend (webgpu if an adapter exists, else cpu) and says which, once.
 * Runs on import; call it again after a device loss.
 *
 * ```ts
 * import * as dl from 'webdl';
 * dl.getBackend(); // 'webgpu' or 'cpu'
 * ```
 */
export async function pickBackend(): Promise<string> {
  try {
    await setBackend('webgpu');
  } catch (e) {
    await setBackend('cpu');
    console.info(`webdl: using the cpu backend (no WebGPU: ${(e as Error).message})`);
    return getBackend();
  }
  console.info(`webdl: using the webgpu backend (${ENGINE.backend.describe()})`);
  return getBackend();
}

await pickBackend();
