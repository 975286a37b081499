// Host scalars as kernel parameters (scalar-params.ts): which bindings turn into parameter words,
// eager kernels reading host-written scalars from their parameters, and recorded jit replays
// whose constants change per call (a host scalar, a shadow run's new constant) with right values.
import './node-gpu.js';
import { ENGINE, hostScalar, jit, scalar, setBackend, sum, tensor, variable, type Tensor } from '@webdl/core';
import { registerWebGPU, type WebGPUBackend } from '@webdl/webgpu';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { hostScalars, scalarParams } from '../src/scalar-params.js';

registerWebGPU();
const gpu = () => ENGINE.backend as WebGPUBackend;
const fake = (size: number) => ({ size }) as GPUBuffer;
const bits = (v: number) => new Uint32Array(Float32Array.of(v).buffer)[0];

beforeAll(async () => {
  await setBackend('webgpu');
});

/** The WGSL of every shader module created until `stop()`. */
function shaderSources(): { sources: string[]; stop: () => void } {
  const device = gpu().device;
  const create = device.createShaderModule.bind(device);
  const sources: string[] = [];
  device.createShaderModule = (desc) => (sources.push(desc.code), create(desc));
  return { sources, stop: () => delete (device as Partial<GPUDevice>).createShaderModule };
}
let spy: { stop: () => void } | null = null;
afterEach(() => {
  spy?.stop();
  spy = null;
});

describe('scalarParams', () => {
  const source = [
    'fn pf(i: u32) -> f32 { return 0.0; }',
    '@group(0) @binding(1) var<storage, read_write> out: array<f32>;',
    '@group(0) @binding(2) var<storage, read> in0: array<f32>;',
    '@group(0) @binding(3) var<storage, read> in1: array<f32>;',
    '@group(0) @binding(4) var<storage, read> in2: array<f32>;',
    '@group(0) @binding(5) var<storage, read> in3: array<f32>;',
    'fn main() { let a1 = in1[0u]; let a2 = in2[i]; out[i] = in0[i] * a1 + a2 * in3[0u] + in1[0u]; }',
  ].join('\n');
  const buffers = [fake(16), fake(1024), fake(16), fake(16), fake(16)];
  hostScalars.set(buffers[2], bits(1.5));
  hostScalars.set(buffers[3], bits(2));
  hostScalars.set(buffers[4], bits(-3));

  it('reads host scalars read only at [0u] from parameter words, renumbering the other bindings', () => {
    const s = scalarParams(source, buffers, [7, 8], () => true);
    expect(s).not.toBeNull();
    const { source: code, buffers: bound, params, words } = s as NonNullable<typeof s>;
    // in1 and in3 become words 2 and 3; in2, a host scalar read at [i], stays a binding.
    expect(code).toContain('let a1 = pf(2u);');
    expect(code).toContain('a2 * pf(3u) + pf(2u)');
    expect(code).not.toMatch(/\bin1\b|\bin3\b/);
    expect(code).toContain('@group(0) @binding(2) var<storage, read> in0: array<f32>;');
    expect(code).toContain('@group(0) @binding(3) var<storage, read> in2: array<f32>;');
    expect(code).not.toContain('@binding(4)');
    expect(bound).toEqual([buffers[0], buffers[1], buffers[3]]);
    expect(params).toEqual([7, 8, bits(1.5), bits(-3)]);
    expect(words).toEqual([
      [2, buffers[2]],
      [3, buffers[4]],
    ]);
  });

  it('converts only the buffers asked for, and none past the 64 parameter words', () => {
    const s = scalarParams(source, buffers, [7], (b) => b === buffers[4]);
    expect(s?.buffers).toEqual(buffers.slice(0, 4));
    expect(s?.params).toEqual([7, bits(-3)]);
    expect(scalarParams(source, buffers, new Array<number>(64).fill(0), () => true)).toBeNull();
    expect(scalarParams(source, buffers, [7], () => false)).toBeNull();
    // A source without the parameter accessors is left alone.
    expect(scalarParams(source.replace('fn pf(', 'fn qf('), buffers, [7], () => true)).toBeNull();
  });
});

describe('host scalars as parameters on WebGPU', () => {
  it('eager kernels read written scalars from parameters and computed ones from storage', async () => {
    const x = tensor([1, -2, 3, 4.5]);
    spy = shaderSources();
    const y = x.mul(2.5).add(scalar(-1));
    const s = sum(x).reshape([]);
    const z = x.mul(s);
    const sources = (spy as ReturnType<typeof shaderSources>).sources;
    expect(Array.from(await y.data())).toEqual([1.5, -6, 6.5, 10.25]);
    expect(Array.from(await z.data())).toEqual([6.5, -13, 19.5, 29.25]);
    // mul and add by a written scalar bind their output and x only; mul by the sum binds it too.
    const bindings = sources.map((code) => (code.match(/var<storage/g) ?? []).length);
    expect(bindings.filter((n) => n === 2).length).toBeGreaterThanOrEqual(1);
    expect(sources.some((code) => /pf\(1u\)/.test(code))).toBe(true);
    for (const t of [x, y, s, z]) t.dispose();
  });

  it('a host-written scalar Variable updated in place by a jit replay is read from storage after', async () => {
    const v = variable(scalar(1));
    const step = jit(() => {
      v.assign(v.add(1));
    });
    step(); // trace
    step(); // recorded replay
    v.assign(7); // v's storage is a host-written scalar again
    const buffer = (v.dataId as { buffer: GPUBuffer }).buffer;
    expect(hostScalars.get(buffer)).toBe(bits(7));
    step(); // the replay writes 8 into that storage
    expect((v.dataId as { buffer: GPUBuffer }).buffer).toBe(buffer);
    expect(hostScalars.has(buffer)).toBe(false);
    const x = tensor([1, 2]);
    const y = x.mul(v);
    expect(Array.from(await y.data())).toEqual([8, 16]);
    for (const t of [x, y, v]) t.dispose();
    step.dispose();
  });

  it('a recorded replay takes each call’s host scalar and shadow-run constant, with no new bind groups', async () => {
    const state = { k: 0.5 };
    const x = tensor([1, 2, -4, 8]);
    const run = async (f: (t: Tensor) => Tensor, k: number) => {
      state.k = k;
      const y = f(x);
      const got = Array.from(await y.data());
      y.dispose();
      return got;
    };
    const direct = jit((t: Tensor) => t.mul(hostScalar(() => state.k)).add(1), { direct: true });
    const shadow = jit((t: Tensor) => t.mul(state.k).sub(2));
    for (const k of [0.5, 0.5, 3]) {
      await run(direct, k);
      await run(shadow, k);
    }
    const { bindGroups, pipelines } = gpu().counters;
    for (const k of [-2, 0.25, 10]) {
      expect(await run(direct, k)).toEqual([1, 2, -4, 8].map((v) => v * k + 1));
      expect(await run(shadow, k)).toEqual([1, 2, -4, 8].map((v) => v * k - 2));
    }
    expect(gpu().counters.bindGroups).toBe(bindGroups);
    expect(gpu().counters.pipelines).toBe(pipelines);
    x.dispose();
    direct.dispose();
    shadow.dispose();
  });
});
