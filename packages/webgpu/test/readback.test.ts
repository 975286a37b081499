// Readback (src/readback.ts): large results (pages touched before the map) come back exact for every
// dtype, reads in flight together and a dispose during a read stay correct, and a loop of reads
// reuses its staging buffers (no new GPU buffers, bytes flat).
import './node-gpu.js';
import { ENGINE, memory, setBackend, tensor, type Tensor } from '@webdl/core';
import { registerWebGPU, type WebGPUBackend } from '@webdl/webgpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { resultArray } from '../src/readback.js';

registerWebGPU();
const gpu = () => ENGINE.backend as WebGPUBackend;

// 50,003 elements: 200 KiB, above the prefault threshold, not a multiple of 4 or of a page.
const N = 50_003;
const floats = Float32Array.from({ length: N }, (_, i) => (i % 7 === 3 ? NaN : Math.sin(i) * 1e3));
floats[5] = Infinity;
floats[6] = -Infinity;
floats[7] = -0;
const ints = Int32Array.from({ length: N }, (_, i) => (i * 2654435761) | 0);
const bools = Uint8Array.from({ length: N }, (_, i) => (i % 3 === 0 ? 1 : 0));

/** Indices where got and want differ (Object.is: NaN equals NaN, -0 differs from 0). */
function mismatches(got: ArrayLike<number>, want: (k: number) => number): number[] {
  const bad: number[] = [];
  for (let k = 0; k < got.length; k++) if (!Object.is(got[k], want(k))) bad.push(k);
  return bad;
}

beforeAll(async () => {
  await setBackend('webgpu');
});

describe('WebGPU readback', () => {
  it('resultArray gives a zeroed array of the dtype and length, large or small', () => {
    for (const size of [0, 3, N]) {
      const f = resultArray('float32', size);
      expect(f).toBeInstanceOf(Float32Array);
      expect(f.length).toBe(size);
      expect(f.every((v) => v === 0)).toBe(true);
      expect(resultArray('int32', size)).toBeInstanceOf(Int32Array);
      expect(resultArray('bool', size)).toBeInstanceOf(Uint8Array);
      expect(resultArray('bool', size).length).toBe(size);
    }
  });

  it('reads large float32, int32 and bool tensors back bit for bit', async () => {
    const [f, i, b] = [tensor(floats), tensor(ints, [N], 'int32'), tensor(bools, [N], 'bool')];
    const got = await Promise.all([f.data(), i.data(), b.data()]);
    expect(got[0]).toBeInstanceOf(Float32Array);
    expect(got[1]).toBeInstanceOf(Int32Array);
    expect(got[2]).toBeInstanceOf(Uint8Array);
    expect(mismatches(got[0], (k) => floats[k])).toEqual([]);
    expect(Array.from(got[1])).toEqual(Array.from(ints));
    expect(Array.from(got[2])).toEqual(Array.from(bools));
    // A computed bool result (0/1 words on the device) is narrowed to bytes.
    const gt = f.greater(0);
    const want = Array.from(floats, (v) => (v > 0 ? 1 : 0));
    expect(Array.from(await gt.data())).toEqual(want);
    [f, i, b, gt].forEach((t) => t.dispose());
  });

  it('keeps two reads in flight apart, and a read survives disposing its tensor meanwhile', async () => {
    const x = tensor(floats);
    const a = x.mul(2);
    const c = x.add(1);
    const pa = a.data();
    const pc = c.data();
    a.dispose();
    const [ra, rc] = await Promise.all([pa, pc]);
    expect(mismatches(ra, (k) => Math.fround(floats[k] * 2))).toEqual([]);
    expect(mismatches(rc, (k) => Math.fround(floats[k] + 1))).toEqual([]);
    [x, c].forEach((t) => t.dispose());
  });

  it('submits a readback copy with no uniform write (a batch without dispatches)', async () => {
    const x = tensor(floats);
    await gpu().sync();
    const queue = gpu().device.queue;
    const writes: number[] = [];
    const writeBuffer = queue.writeBuffer.bind(queue);
    queue.writeBuffer = ((buffer: GPUBuffer, ...rest: unknown[]) => {
      writes.push(buffer.size);
      return (writeBuffer as (...a: unknown[]) => void)(buffer, ...rest);
    }) as GPUQueue['writeBuffer'];
    const submits = gpu().submitCount;
    try {
      expect(mismatches(await x.data(), (k) => floats[k])).toEqual([]);
    } finally {
      queue.writeBuffer = writeBuffer;
    }
    expect(gpu().submitCount).toBe(submits + 1);
    expect(writes).toEqual([]);
    x.dispose();
  });

  it('reuses staging buffers across a loop of reads (buffers and bytes flat)', async () => {
    const x = tensor(floats);
    const step = async () => {
      const y: Tensor = x.mul(3);
      await y.data();
      y.dispose();
    };
    await step();
    await step();
    const before = { buffers: gpu().counters.buffers, bytes: memory().numBytesInBackend };
    for (let k = 0; k < 10; k++) await step();
    expect(gpu().counters.buffers).toBe(before.buffers);
    expect(memory().numBytesInBackend).toBe(before.bytes);
    x.dispose();
  });
});
