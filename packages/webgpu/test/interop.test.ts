// GPU interop: tensors over buffers written by the test's own compute passes, dataToGPU read by the test's own pass, dispose semantics and errors.
import './node-gpu.js';
import { memory, setBackend, tensor, tidy, type Tensor } from '@webdl/core';
import { getDevice, registerWebGPU, tensorFromGPUBuffer } from '@webdl/webgpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { getGpu } from '../src/device.js';

const STORAGE_SRC = () => GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;

/** Runs `body` (WGSL statements over `i`, `a` read, `b` read_write, both array<f32>) for i < n on getDevice(). */
function runPass(device: GPUDevice, a: GPUBuffer, b: GPUBuffer, n: number, body: string): void {
  const module = device.createShaderModule({
    code: `@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read_write> b: array<f32>;
@compute @workgroup_size(64) fn main(@builtin(global_invocation_id) g: vec3<u32>) {
  let i = g.x;
  if (i >= ${n}u) { return; }
  _ = a[0]; // keeps binding 0 in the auto layout when the body ignores a
  ${body}
}`,
  });
  const pipeline = device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'main' } });
  const bind = device.createBindGroup({
    layout: pipeline.getBindGroupLayout(0),
    entries: [
      { binding: 0, resource: { buffer: a } },
      { binding: 1, resource: { buffer: b } },
    ],
  });
  const enc = device.createCommandEncoder();
  const pass = enc.beginComputePass();
  pass.setPipeline(pipeline);
  pass.setBindGroup(0, bind);
  pass.dispatchWorkgroups(Math.ceil(n / 64));
  pass.end();
  device.queue.submit([enc.finish()]);
}

/** Reads `n` floats of a buffer with the test's own staging copy. */
async function readBuffer(device: GPUDevice, buffer: GPUBuffer, n: number): Promise<number[]> {
  const staging = device.createBuffer({
    size: n * 4,
    usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
  });
  const enc = device.createCommandEncoder();
  enc.copyBufferToBuffer(buffer, 0, staging, 0, n * 4);
  device.queue.submit([enc.finish()]);
  await staging.mapAsync(GPUMapMode.READ);
  const out = Array.from(new Float32Array(staging.getMappedRange().slice(0)));
  staging.destroy();
  return out;
}

registerWebGPU();

describe('GPU interop on webgpu', () => {
  let device: GPUDevice;
  beforeAll(async () => {
    await setBackend('webgpu');
    device = getDevice();
  });

  it('a buffer written by our own compute pass becomes a tensor with those values, in place or copied', async () => {
    const n = 10;
    const a = device.createBuffer({ size: 48, usage: STORAGE_SRC() });
    const b = device.createBuffer({ size: 48, usage: STORAGE_SRC() });
    runPass(device, a, b, n, 'b[i] = f32(i) * 1.5 - 2.0;');
    const t = tensorFromGPUBuffer(b, [2, 5], 'float32');
    const want = Array.from({ length: n }, (_, i) => i * 1.5 - 2);
    expect(Array.from(await t.data())).toEqual(want);
    const doubled = t.mul(2);
    expect(Array.from(await doubled.data())).toEqual(want.map((v) => v * 2));
    // A copy keeps its values when the page overwrites its buffer; the in-place tensor sees the change.
    const copied = tensorFromGPUBuffer(b, [n], 'float32', { copy: true });
    await copied.data();
    runPass(device, a, b, n, 'b[i] = 7.0;');
    expect(Array.from(await copied.data())).toEqual(want);
    expect(Array.from(await t.data())).toEqual(new Array(n).fill(7));
    // Disposing the tensors leaves the page's buffer alone.
    for (const x of [t, doubled, copied]) x.dispose();
    expect(await readBuffer(device, b, n)).toEqual(new Array(n).fill(7));
    a.destroy();
    b.destroy();
  });

  it('int32 buffers (i32 words) wrap as int32 tensors', async () => {
    const buf = device.createBuffer({ size: 16, usage: STORAGE_SRC() });
    device.queue.writeBuffer(buf, 0, Int32Array.from([3, -4, 5, 6]));
    const t = tensorFromGPUBuffer(buf, [4], 'int32');
    expect(Array.from(await t.add(1).data())).toEqual([4, -3, 6, 7]);
    t.dispose();
    buf.destroy();
  });

  it('dataToGPU hands the tensor buffer to our own pass, which reads its values', async () => {
    const x = tidy(() => tensor([1, 2, 3, 4, 5, 6]).square().add(0.5));
    const gpu = x.dataToGPU();
    const buffer: GPUBuffer = gpu.buffer;
    expect(gpu.byteLength).toBe(24);
    await gpu.ready;
    const out = device.createBuffer({ size: 24, usage: STORAGE_SRC() });
    runPass(device, buffer, out, 6, 'b[i] = a[i] * 10.0;');
    expect(await readBuffer(device, out, 6)).toEqual([15, 45, 95, 165, 255, 365]);
    // The buffer outlives the tensor until dispose().
    x.dispose();
    const y = tensor([9, 9, 9, 9, 9, 9]).add(1);
    await y.data();
    runPass(device, buffer, out, 6, 'b[i] = a[i];');
    expect(await readBuffer(device, out, 6)).toEqual([1.5, 4.5, 9.5, 16.5, 25.5, 36.5]);
    gpu.dispose();
    gpu.dispose();
    y.dispose();
    out.destroy();
  });

  it('dataToGPU and tensorFromGPUBuffer leak nothing over 100 rounds', async () => {
    const page = device.createBuffer({ size: 64 * 4, usage: STORAGE_SRC() });
    const round = async () => {
      const t = tensorFromGPUBuffer(page, [64], 'float32');
      const y = t.add(1);
      const gpu = y.dataToGPU();
      y.dispose();
      t.dispose();
      await gpu.ready;
      gpu.dispose();
    };
    await round();
    const before = memory();
    for (let i = 0; i < 100; i++) await round();
    const after = memory();
    expect(after.numTensors).toBe(before.numTensors);
    expect(after.numBytes).toBe(before.numBytes);
    expect(after.numLiveGPUBuffers).toBe(before.numLiveGPUBuffers);
    page.destroy();
  });

  it('clear errors: too small, missing usage flags, mapped, another device, cpu tensors', async () => {
    const small = device.createBuffer({ size: 8, usage: STORAGE_SRC() });
    expect(() => tensorFromGPUBuffer(small, [3], 'float32')).toThrow(
      /tensorFromGPUBuffer: the buffer has 8 bytes, too small for float32 \[3\] \(12 bytes/,
    );
    const exact = device.createBuffer({ size: 40, usage: STORAGE_SRC() });
    expect(() => tensorFromGPUBuffer(exact, [10], 'float32')).toThrow(
      /to wrap float32 \[10\] in place the buffer needs 48 bytes .* it has 40; make it larger or pass \{ copy: true \}/,
    );
    tensorFromGPUBuffer(exact, [10], 'float32', { copy: true }).dispose();
    exact.destroy();
    const noStorage = device.createBuffer({
      size: 16,
      usage: GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
    });
    expect(() => tensorFromGPUBuffer(noStorage, [4], 'float32')).toThrow(
      /lacks GPUBufferUsage.STORAGE \(it has COPY_SRC \| COPY_DST\)/,
    );
    const copied = tensorFromGPUBuffer(noStorage, [4], 'float32', { copy: true });
    expect(copied.shape).toEqual([4]);
    copied.dispose();
    const noSrc = device.createBuffer({ size: 16, usage: GPUBufferUsage.STORAGE });
    expect(() => tensorFromGPUBuffer(noSrc, [4], 'float32', { copy: true })).toThrow(
      /lacks GPUBufferUsage.COPY_SRC/,
    );
    const mapped = device.createBuffer({ size: 16, usage: STORAGE_SRC(), mappedAtCreation: true });
    expect(() => tensorFromGPUBuffer(mapped, [4])).toThrow(/the buffer is mapped; unmap it first/);
    expect(() => tensorFromGPUBuffer({} as GPUBuffer, [1])).toThrow(/expected a GPUBuffer/);

    // A second device from the same GPU instance (a second Dawn instance can hang the process).
    const adapter = await (await getGpu())!.requestAdapter();
    const other = await adapter!.requestDevice();
    const foreign = other.createBuffer({ size: 16, usage: STORAGE_SRC() });
    const t: Tensor = tensorFromGPUBuffer(foreign, [4], 'float32');
    await expect(t.data()).rejects.toThrow(
      /cannot be used on webdl's device \(was it made on another GPUDevice\? use getDevice\(\)\)/,
    );
    t.dispose();
    other.destroy();

    await setBackend('cpu');
    const c = tensor([1, 2]);
    expect(() => c.dataToGPU()).toThrow(/dataToGPU: Tensor float32 \[2\] on cpu has no GPU buffer/);
    expect(() => getDevice()).toThrow(/getDevice: the current backend is 'cpu'/);
    c.dispose();
    await setBackend('webgpu');
    for (const b of [small, noStorage, noSrc, mapped]) b.destroy();
  });
});
