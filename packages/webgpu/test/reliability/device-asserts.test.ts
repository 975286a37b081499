// Device-side index checks on WebGPU (Dawn): gather and oneHot record a bad index in the assert buffer,
// the next readback or ready() throws it naming the op, and the buffer is clean again afterwards.
import '../node-gpu.js';
import * as dl from '@webdl/core';
import { registerWebGPU } from '@webdl/webgpu';
import { beforeAll, describe, expect, it } from 'vitest';

registerWebGPU();

const ints = (v: number[]) => dl.tensor(v, [v.length], 'int32');

describe('device-side index checks on webgpu', () => {
  beforeAll(async () => {
    await dl.setBackend('webgpu');
  });

  it('gather with an out-of-range tensor index throws at the next readback, not silent zeros', async () => {
    const x = dl.tensor([10, 11, 12, 13, 14]);
    const y = dl.gather(x, ints([0, 7, 1]));
    await expect(y.data()).rejects.toThrow(/^gather: index 7 out of range \[0, 5\)$/);
    // The failure was reported once; the same (good) work afterwards reads normally.
    const ok = dl.gather(x, ints([4, 0]));
    expect(Array.from(await ok.data())).toEqual([14, 10]);
    dl.dispose([x, y, ok]);
  });

  it('a negative index and a middle axis', async () => {
    const x = dl.zeros([2, 3, 2]);
    const y = dl.gather(x, ints([-1]), 1);
    await expect(y.data()).rejects.toThrow(/^gather: index -1 out of range \[0, 3\)$/);
    dl.dispose([x, y]);
  });

  it('ready() throws what the device recorded, without any read', async () => {
    const x = dl.tensor([1, 2]);
    const y = dl.gather(x, ints([2]));
    await expect(dl.ready()).rejects.toThrow(/^gather: index 2 out of range \[0, 2\)$/);
    await expect(dl.ready()).resolves.toBeUndefined();
    dl.dispose([x, y]);
  });

  it('the error surfaces at the readback of an unrelated tensor (like a CUDA device assert)', async () => {
    const x = dl.tensor([1, 2, 3]);
    const y = dl.gather(x, ints([5]));
    const z = dl.tensor([4]).square();
    await expect(z.data()).rejects.toThrow(/^gather: index 5 out of range \[0, 3\)$/);
    expect(Array.from(await z.data())).toEqual([16]);
    dl.dispose([x, y, z]);
  });

  it('oneHot checks its indices too', async () => {
    const h = dl.oneHot(ints([0, 9, 1]), 3);
    await expect(h.data()).rejects.toThrow(/^oneHot: index 9 out of range \[0, 3\)$/);
    const good = dl.oneHot(ints([2, 0]), 3);
    expect(Array.from(await good.data())).toEqual([0, 0, 1, 1, 0, 0]);
    dl.dispose([h, good]);
  });

  it('checkIndexRange is the reusable check (e.g. sparse labels), one slot per op name', async () => {
    const labels = ints([0, 3, 1]);
    dl.checkIndexRange('sparseCategoricalCrossentropy', labels, 0, 3);
    await expect(dl.ready()).rejects.toThrow(
      /^sparseCategoricalCrossentropy: index 3 out of range \[0, 3\)$/,
    );
    dl.checkIndexRange('sparseCategoricalCrossentropy', labels, 0, 4);
    await expect(dl.ready()).resolves.toBeUndefined();
    labels.dispose();
  });

  it('valid indices cost no failure and leak nothing', async () => {
    const x = dl.tensor([1, 2, 3]);
    const idx = ints([2, 1, 0]);
    const before = dl.memory().numTensors;
    for (let i = 0; i < 5; i++) dl.gather(x, idx).dispose();
    await dl.ready();
    expect(dl.memory().numTensors).toBe(before);
    dl.dispose([x, idx]);
  });
});

describe('the same checks on cpu throw at the call', () => {
  it('gather and oneHot', async () => {
    await dl.setBackend('cpu');
    const x = dl.tensor([10, 11, 12, 13, 14]);
    const idx = ints([0, 7]);
    expect(() => dl.gather(x, idx)).toThrow(/^gather: index 7 out of range \[0, 5\)$/);
    expect(() => dl.oneHot(idx, 3)).toThrow(/^oneHot: index 7 out of range \[0, 3\)$/);
    expect(() => dl.checkIndexRange('myOp', idx, 0, 5)).toThrow(/^myOp: index 7 out of range \[0, 5\)$/);
    dl.dispose([x, idx]);
  });
});

describe('allocation limits on webgpu', () => {
  it('an op whose output exceeds the device limit throws at the call, naming the op and the limit; nothing leaks', async () => {
    await dl.setBackend('webgpu');
    const before = dl.memory().numTensors;
    expect(() => dl.randomUniform([1 << 20, 1 << 12])).toThrow(
      /^random: cannot allocate 4294967296 float32 elements \(17179869184 bytes\) on this WebGPU device: its max\w+ is \d+ bytes$/,
    );
    const x = dl.ones([1 << 14]);
    expect(() => dl.tile(x, [1 << 17])).toThrow(/^tile: cannot allocate 2147483648 float32 elements/);
    x.dispose();
    expect(dl.memory().numTensors).toBe(before);
    await expect(dl.ready()).resolves.toBeUndefined();
  });
});
