// webdl: one import for core, the WebGPU backend and layers; `await ready()` picks webgpu when an adapter exists, else cpu.
import { ENGINE } from '@webdl/core';
import { registerWebGPU, webgpuInitError } from '@webdl/webgpu';

export * from '@webdl/core';
export * from '@webdl/layers';
export { registerWebGPU, webgpuAvailable, webgpuInitError } from '@webdl/webgpu';

let announced = false;

/** Registers the default backends (webgpu before cpu); nothing runs at import, so bundles need no top-level await. */
function wireDefaults(): void {
  if (!ENGINE.registeredBackends().includes('webgpu')) registerWebGPU();
}

/** Says once which backend runs, and why not WebGPU where it is not. */
function announce(): void {
  if (announced) return;
  announced = true;
  if (ENGINE.backendName === 'webgpu') {
    console.info(`webdl: using the webgpu backend (${ENGINE.backend.describe()})`);
    return;
  }
  const why = webgpuInitError();
  console.info(`webdl: using the cpu backend${why ? ` (no WebGPU: ${why})` : ''}`);
}

/**
 * Picks the backend: webgpu when an adapter exists, else cpu, and says which once (console.info).
 * Without it the first op runs on the cpu backend. In Node, WebGPU needs the optional `webgpu`
 * package (`npm install webgpu`). Calling it again after a backend was chosen does nothing.
 *
 * ```ts
 * import * as dl from 'webdl';
 * await dl.ready();
 * dl.getBackend(); // 'webgpu' or 'cpu'
 * ```
 */
export async function ready(): Promise<void> {
  wireDefaults();
  await ENGINE.ready();
  announce();
}

/**
 * Selects a backend by name ('webgpu' or 'cpu'; the choice is yours, so nothing is printed).
 * Choosing 'cpu' never loads WebGPU (in Node, Dawn stays unloaded and silent).
 *
 * ```ts
 * await dl.setBackend('cpu');
 * ```
 */
export async function setBackend(name: string): Promise<void> {
  wireDefaults();
  await ENGINE.setBackend(name);
  announced = true;
}
