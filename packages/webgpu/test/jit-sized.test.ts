// Sized bindings of recorded jit replays (sized-bindings.ts): which declarations get a fixed length,
// values equal to eager, and a replay given a smaller buffer than it was recorded with falls back.
import './node-gpu.js';
import { ENGINE, jit, randomNormal, setBackend, type Tensor } from '@webdl/core';
import { registerWebGPU, tensorFromGPUBuffer, type WebGPUBackend } from '@webdl/webgpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { SIZED_MIN_BYTES, sizeBindings } from '../src/sized-bindings.js';

registerWebGPU();
const gpu = () => ENGINE.backend as WebGPUBackend;
const fake = (size: number) => ({ size }) as GPUBuffer;

beforeAll(async () => {
  await setBackend('webgpu');
});

describe('sizeBindings', () => {
  const source = [
    '@group(0) @binding(0) var<uniform> params: array<vec4<u32>, 16>;',
    '@group(0) @binding(1) var<storage, read_write> out: array<vec4<f32>>;',
    '@group(0) @binding(2) var<storage, read> in0: array<f32>;',
    '@group(0) @binding(3) var<storage, read> in1: array<i32>;',
    '@group(0) @binding(4) var<storage, read> in2: array<T>;',
    'fn main() {}',
  ].join('\n');

  it('gives large f32/i32/u32 (and vector) bindings the length of their buffer', () => {
    const { source: sized, needs } = sizeBindings(source, [
      fake(1 << 20),
      fake(SIZED_MIN_BYTES + 8),
      fake(SIZED_MIN_BYTES - 4),
      fake(1 << 20),
    ]);
    expect(sized).toContain('var<storage, read_write> out: array<vec4<f32>, 65536>;');
    expect(sized).toContain(`var<storage, read> in0: array<f32, ${SIZED_MIN_BYTES / 4 + 2}>;`);
    // Below the threshold, and an alias type, stay runtime-sized.
    expect(sized).toContain('var<storage, read> in1: array<i32>;');
    expect(sized).toContain('var<storage, read> in2: array<T>;');
    expect(needs).toEqual([1 << 20, SIZED_MIN_BYTES + 8, 0, 0]);
  });

  it('leaves a source that takes arrayLength alone', () => {
    const code = `${source}\nfn n() -> u32 { return arrayLength(&in0); }`;
    const { source: same, needs } = sizeBindings(code, [fake(1 << 20), fake(1 << 20)]);
    expect(same).toBe(code);
    expect(needs).toEqual([0, 0]);
  });
});

describe('sized bindings in jit replays on WebGPU', () => {
  // 20,000 floats: 80,000 bytes, in a pooled buffer of the 81,920-byte size class.
  const n = 20000;
  const chain = (x: Tensor, a: Tensor, b: Tensor) => x.mul(a).add(b).relu().sigmoid().mul(a);

  it('replays with the values eager gives, and compiles sized pipelines once', async () => {
    const [x, a, b] = [1, 2, 3].map((seed) => randomNormal([n], { seed }));
    const eager = await chain(x, a, b).data();
    const device = gpu().device;
    const create = device.createShaderModule.bind(device);
    const sources: string[] = [];
    device.createShaderModule = (desc) => (sources.push(desc.code), create(desc));
    const f = jit(chain);
    for (let call = 0; call < 3; call++) {
      const y = f(x, a, b);
      const got = await y.data();
      got.forEach((v, i) => expect(Math.abs(v - eager[i])).toBeLessThanOrEqual(1e-6));
      y.dispose();
    }
    delete (device as Partial<GPUDevice>).createShaderModule;
    // The replay's one kernel binds its output and inputs (81,920-byte buffers) as 5,120 vec4s each.
    const replay = sources.filter((code) => code.includes('array<vec4<f32>, 5120>'));
    expect(replay).toHaveLength(1);
    expect(replay[0].match(/array<vec4<f32>, 5120>/g)).toHaveLength(4);
    const pipelines = gpu().counters.pipelines;
    f(x, a, b).dispose();
    expect(gpu().counters.pipelines).toBe(pipelines);
    expect(f.compiledCount).toBeGreaterThan(0);
    f.dispose();
  });

  it('falls back, with right values, when an input buffer is smaller than the recorded one', async () => {
    const [x, a, b] = [4, 5, 6].map((seed) => randomNormal([n], { seed }));
    const f = jit(chain);
    f(x, a, b).dispose();
    f(x, a, b).dispose();
    // The same signature on a buffer of exactly 80,000 bytes (below the size class the replay sized for).
    const device = gpu().device;
    const buffer = device.createBuffer({
      size: n * 4,
      usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
    });
    device.queue.writeBuffer(buffer, 0, Float32Array.from(await x.data()));
    const wrapped = tensorFromGPUBuffer(buffer, [n]);
    const want = await chain(x, a, b).data();
    const got = await f(wrapped, a, b).data();
    got.forEach((v, i) => expect(Math.abs(v - want[i])).toBeLessThanOrEqual(1e-6));
    wrapped.dispose();
    buffer.destroy();
    f.dispose();
  });
});
