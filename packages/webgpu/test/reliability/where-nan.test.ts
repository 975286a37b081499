// The where primitive with a NaN condition on WebGPU (Dawn): NaN is non-zero, so true, as on the CPU reference
// (found by the fuzzer: the WGSL compare `c != 0` took the false branch for NaN).
import '../node-gpu.js';
import * as dl from '@webdl/core';
import { registerWebGPU } from '@webdl/webgpu';
import { describe, expect, it } from 'vitest';

registerWebGPU();

describe('where with non-finite conditions on webgpu', () => {
  it.each(['cpu', 'webgpu'])(
    '%s: NaN and ±Inf conditions pick the first branch, 0 and -0 the second',
    async (b) => {
      await dl.setBackend(b);
      const c = dl.tensor([NaN, Infinity, -Infinity, 0, -0, 2]);
      // The primitive takes a float condition (dl.where itself asks for bool).
      const [y] = dl.runPrimitive('where', [c, dl.ones([6]), dl.fill([6], 7)], {});
      expect(Array.from(await y.data())).toEqual([1, 1, 1, 7, 7, 1]);
      dl.dispose([c, y]);
    },
  );
});
