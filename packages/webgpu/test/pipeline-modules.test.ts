// The pipeline cache compiles one shader module per WGSL source: pipelines that differ only in
// override constants share it (fewer compiles on a first jitted step).
import './node-gpu.js';
import { ENGINE, setBackend } from '@webdl/core';
import { registerWebGPU, type WebGPUBackend } from '@webdl/webgpu';
import { expect, it } from 'vitest';

registerWebGPU();

it('shares one shader module between pipelines that differ only in override constants', async () => {
  await setBackend('webgpu');
  const { pipelines } = ENGINE.backend as WebGPUBackend;
  const source = `override K: u32 = 1u;
@group(0) @binding(0) var<storage, read_write> out: array<u32>;
@compute @workgroup_size(1) fn main() { out[0] = K + 0x5eedu; }`;
  const [m0, p0] = [pipelines.moduleCount, pipelines.size];
  const a = pipelines.get(source, { K: 2 }, 'modules-test');
  const b = pipelines.get(source, { K: 3 }, 'modules-test');
  expect(pipelines.get(source, { K: 2 }, 'modules-test')).toBe(a);
  expect(b).not.toBe(a);
  await Promise.all([a.promise, b.promise]);
  expect(pipelines.size - p0).toBe(2);
  expect(pipelines.moduleCount - m0).toBe(1);
});
