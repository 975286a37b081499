// Backend mechanics shared by the Node and browser suites: leaks, batching, pipeline reuse, random numbers.
import * as core from '@webdl/core';
import { ENGINE, type ElementwiseKernel, type TensorInfo } from '@webdl/core';
import type { WebGPUBackend } from '@webdl/webgpu';
import { describe, expect, it } from 'vitest';
import { expectClose } from './compare.js';

async function gpuBackend(): Promise<WebGPUBackend> {
  await core.setBackend('webgpu');
  return ENGINE.backend as WebGPUBackend;
}

/** Declares the mechanics tests (needs the 'webgpu' backend registered). */
export function defineMechanicsSuite(): void {
  describe('mechanics', () => {
    it('1000 ops under tidy leave live GPU bytes flat and the pool bounded', async () => {
      const gpu = await gpuBackend();
      const x = core.randomNormal([64, 64], { seed: 3 });
      const step = () =>
        core.tidy(() => {
          let y = x;
          for (let i = 0; i < 10; i++) y = y.mul(1.01).add(0.5).relu();
          return core.sum(y);
        });
      const warm = step();
      await warm.data();
      warm.dispose();
      await gpu.sync();
      const before = gpu.memory();
      for (let k = 0; k < 34; k++) step().dispose(); // 34 x 31 ops > 1000
      await gpu.sync();
      const after = gpu.memory();
      expect(after.numBytesLiveInGPU).toBe(before.numBytesLiveInGPU);
      // Buffers are reused: the pool grows by at most about one batch of 16 KiB buffers.
      expect(after.numBytesInBackend - before.numBytesInBackend).toBeLessThan(1024 * 1024);
      x.dispose();
    });

    it('records many dispatches per submit', async () => {
      const gpu = await gpuBackend();
      const x = core.ones([1000]);
      await gpu.sync();
      const submits = gpu.queue.submits;
      const y = core.tidy(() => {
        let t = x;
        for (let i = 0; i < 50; i++) t = t.add(1);
        return t;
      });
      expect((await y.data())[0]).toBe(51);
      expect(gpu.queue.submits - submits).toBeLessThanOrEqual(2);
      core.dispose([x, y]);
    });

    it('reuses pipelines across shapes of the same kernel', async () => {
      const gpu = await gpuBackend();
      const a = core.ones([7, 3]).sigmoid();
      await a.data();
      const count = gpu.pipelines.size;
      const b = core.ones([100]).sigmoid();
      const c = core.ones([2, 2, 2]).sigmoid();
      await c.data();
      expect(gpu.pipelines.size).toBe(count);
      core.dispose([a, b, c]);
    });

    it('random uniform bits equal the CPU backend; normals within float tolerance', async () => {
      for (const seed of [0, 42, 2 ** 31 + 5]) {
        await core.setBackend('cpu');
        const cu = await core.randomUniform([1000], { seed }).data();
        const cn = await core.randomNormal([999], { seed, mean: 1, stddev: 2 }).data();
        await core.setBackend('webgpu');
        const gu = await core.randomUniform([1000], { seed }).data();
        const gn = await core.randomNormal([999], { seed, mean: 1, stddev: 2 }).data();
        expect(Array.from(gu)).toEqual(Array.from(cu));
        expectClose(`randomNormal seed ${seed}`, gn, cn, { atol: 2e-5, rtol: 2e-5 });
      }
    });

    it('a shader compile error names the op and shows the WGSL line', async () => {
      const gpu = await gpuBackend();
      const bad: ElementwiseKernel = {
        key: 'brokenOp',
        arity: 1,
        cpu: (v) => v,
        wgsl: ([a]) => `no_such_function(${a})`,
      };
      const x: TensorInfo = {
        dataId: gpu.write(new Float32Array([1, 2]), 'float32'),
        shape: [2],
        dtype: 'float32',
      };
      const y = gpu.elementwise(bad, [x], [2], 'float32');
      const err = await gpu.read(y, 'float32', 2).then(
        () => null,
        (e: unknown) => e as Error,
      );
      expect(err).toBeInstanceOf(Error);
      expect(err?.message).toContain('brokenOp [2] -> [2]');
      expect(err?.message).toContain('failed to compile');
      expect(err?.message).toMatch(/\d+ \|.*no_such_function\(a0\)/);
      // The backend keeps working afterwards.
      const ok = gpu.elementwise(
        { key: 'twice', arity: 1, cpu: (v) => 2 * v, wgsl: ([a]) => `2.0 * ${a}` },
        [x],
        [2],
        'float32',
      );
      expect(Array.from(await gpu.read(ok, 'float32', 2))).toEqual([2, 4]);
      gpu.disposeData(x.dataId);
      gpu.disposeData(ok);
    });

    it('reads empty and scalar tensors', async () => {
      await gpuBackend();
      expect((await core.zeros([0, 3]).data()).length).toBe(0);
      expect(await core.scalar(5).add(2).item()).toBe(7);
      expect(Array.from(await core.tensor([true, false]).logicalNot().data())).toEqual([0, 1]);
    });
  });
}
