// Backend mechanics on Dawn: pool reuse and leaks, batching, pipeline cache, random bits, errors, device loss.
import './node-gpu.js';
import * as core from '@webdl/core';
import { CpuBackend, ENGINE, type TensorInfo } from '@webdl/core';
import { WebGPUBackend, registerWebGPU, sizeClass, webgpuAvailable } from '@webdl/webgpu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpuGridThreads } from '../src/device.js';
import { defineMechanicsSuite } from './mechanics.js';

registerWebGPU();

describe('webgpu backend in Node (Dawn)', () => {
  it('finds an adapter', async () => {
    expect(await webgpuAvailable()).toBe(true);
  });

  defineMechanicsSuite();

  it('launches four 128-invocation workgroups per core for grid-stride kernels on CPU adapters', () => {
    const had = Object.getOwnPropertyDescriptor(globalThis, 'navigator');
    try {
      for (const [cores, threads] of [
        [2, 1024],
        [8, 4096],
        [1, 1024],
        [undefined, 2048],
      ] as const) {
        Object.defineProperty(globalThis, 'navigator', {
          value: { hardwareConcurrency: cores },
          configurable: true,
        });
        expect(cpuGridThreads(), `${cores} cores`).toBe(threads);
      }
    } finally {
      if (had) Object.defineProperty(globalThis, 'navigator', had);
      else Reflect.deleteProperty(globalThis, 'navigator');
    }
  });

  describe('size classes', () => {
    it('round up with at most 25% waste above 4 KiB', () => {
      expect(sizeClass(1)).toBe(256);
      expect(sizeClass(4096)).toBe(4096);
      expect(sizeClass(4097)).toBe(5120);
      for (const n of [5000, 70_000, 1_234_567]) {
        expect(sizeClass(n)).toBeGreaterThanOrEqual(n);
        expect(sizeClass(n)).toBeLessThanOrEqual(n * 1.25);
      }
    });
  });

  describe('errors', () => {
    let gpu: WebGPUBackend;
    beforeAll(async () => {
      gpu = await WebGPUBackend.create();
    });
    afterAll(() => gpu.dispose());
    const info = (dataId: object, shape: number[]): TensorInfo => ({ dataId, shape, dtype: 'float32' });

    it('an allocation beyond the device limits throws naming the op', async () => {
      const huge = gpu.device.limits.maxBufferSize / 4 + 1024;
      // Checked before the buffer is created: the error is thrown at the call, naming the op and the limit.
      expect(() => gpu.random('uniform', huge, 1, 0, 1)).toThrow(
        /^random: cannot allocate \d+ float32 elements \(\d+ bytes\) on this WebGPU device: its max\w+ is \d+ bytes$/,
      );
      await expect(gpu.sync()).resolves.toBeUndefined();
      const x = gpu.write(new Float32Array([3]), 'float32');
      expect(Array.from(await gpu.read(x, 'float32', 1))).toEqual([3]);
    });

    it('a validation error at submit names the op', async () => {
      const x = gpu.write(new Float32Array([1, 2, 3]), 'float32');
      (x as { buffer: GPUBuffer }).buffer.destroy();
      const y = gpu.elementwise(
        { key: 'negate', arity: 1, cpu: (v) => -v, wgsl: ([a]) => `-${a}` },
        [info(x, [3])],
        [3],
        'float32',
      );
      await expect(gpu.read(y, 'float32', 3)).rejects.toThrow(
        /WebGPU validation error .*negate \[3\] -> \[3\]/,
      );
    });
  });

  describe('device loss', () => {
    it('is reported and the backend can be re-initialized', async () => {
      await core.setBackend('webgpu');
      const backend = ENGINE.backend as WebGPUBackend;
      const t = core.tensor([1, 2, 3]);
      backend.dispose(); // destroys the device: the same path as a real loss
      await new Promise((r) => setTimeout(r, 50));
      expect(backend.isLost).toBe(true);
      expect(() => t.add(1)).toThrow(/lost with the WebGPU device/);
      ENGINE.resetBackend('webgpu');
      await core.setBackend('webgpu');
      expect(ENGINE.backend).not.toBe(backend);
      expect(Array.from(await core.tensor([1, 2, 3]).add(1).data())).toEqual([2, 3, 4]);
    });
  });

  it('matches the CPU backend directly at the kernel level (random bits)', async () => {
    const gpu = await WebGPUBackend.create();
    const cpu = new CpuBackend();
    for (const seed of [0, 1, 123456789, 0xffffffff]) {
      const g = await gpu.read(gpu.random('uniform', 1000, seed, 0, 1), 'float32', 1000);
      const c = await cpu.read(cpu.random('uniform', 1000, seed, 0, 1), 'float32', 1000);
      expect(Array.from(g)).toEqual(Array.from(c));
    }
    gpu.dispose();
  });
});
