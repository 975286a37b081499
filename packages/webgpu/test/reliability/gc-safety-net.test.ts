// The garbage-collection safety net on WebGPU: GPU buffers of tensors dropped without dispose() go back
// once the garbage collector finalizes them (vitest runs with --expose-gc).
import '../node-gpu.js';
import * as dl from '@webdl/core';
import { registerWebGPU } from '@webdl/webgpu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

registerWebGPU();

const gc = (globalThis as { gc?: () => void }).gc;

describe('gc safety net on webgpu', () => {
  // The test setup switches the net off for every other suite; these tests are about it.
  beforeAll(() => dl.setGcSafetyNet(true));
  afterAll(() => dl.setGcSafetyNet(false));

  it.runIf(gc)('frees the device memory of collected tensors and counts them', async () => {
    await dl.setBackend('webgpu');
    for (let i = 0; i < 5; i++) {
      gc?.();
      await new Promise((r) => setTimeout(r, 10));
    }
    await dl.ready();
    const start = dl.memory();
    (() => {
      for (let i = 0; i < 10; i++) dl.randomUniform([256, 256], { seed: i }).mul(2);
    })();
    expect(dl.memory().numTensors - start.numTensors).toBe(20);
    for (let i = 0; i < 50 && dl.memory().collectedByGc < start.collectedByGc + 20; i++) {
      gc?.();
      await new Promise((r) => setTimeout(r, 10));
    }
    await dl.ready();
    const end = dl.memory();
    expect(end.collectedByGc - start.collectedByGc).toBe(20);
    expect(end.numTensors).toBe(start.numTensors);
    expect(end.numBytes).toBe(start.numBytes);
    expect(end.numBytesLiveInGPU).toBe(start.numBytesLiveInGPU);
  });
});
