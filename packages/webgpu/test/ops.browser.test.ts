// Every op case and the backend mechanics on WebGPU in headless Chromium, against the CPU reference.
import { describe, expect, it } from 'vitest';
import { registerWebGPU, webgpuAvailable } from '@webdl/webgpu';
import { describeAllCases } from './run-cases.js';
import { defineMechanicsSuite } from './mechanics.js';

registerWebGPU();

describe('webgpu in the browser', () => {
  it('finds an adapter through navigator.gpu', async () => {
    expect(typeof navigator.gpu).toBe('object');
    expect(await webgpuAvailable()).toBe(true);
  });
  defineMechanicsSuite();
  describeAllCases();
});
