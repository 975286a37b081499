// Device loss on WebGPU (Dawn): after getDevice().destroy() the engine opens a new device (ready() waits
// for it), new tensors compute on it, and tensors of the lost device throw saying so.
import '../node-gpu.js';
import * as dl from '@webdl/core';
import { getDevice, registerWebGPU } from '@webdl/webgpu';
import { describe, expect, it } from 'vitest';

registerWebGPU();

describe('WebGPU device loss', () => {
  it('a new device replaces a lost one; old tensors throw "lost with the WebGPU device"', async () => {
    await dl.setBackend('webgpu');
    const old = dl.tensor([1, 2, 3]);
    expect(Array.from(await old.square().data())).toEqual([1, 4, 9]);
    const first = getDevice();
    first.destroy();
    await dl.ready();
    const second = getDevice();
    expect(second).not.toBe(first);
    expect(dl.getBackend()).toBe('webgpu');
    const fresh = dl.tensor([4, 5]);
    expect(Array.from(await fresh.mul(2).data())).toEqual([8, 10]);
    await expect(old.data()).rejects.toThrow(/lost with the WebGPU device/);
    expect(() => old.add(1)).toThrow(
      /^add: tensor Tensor float32 \[3\] on webgpu was lost with the WebGPU device/,
    );
    dl.dispose([old, fresh]);
  });
});
