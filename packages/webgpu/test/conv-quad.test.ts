// The CPU-adapter convolutions lowered to the quad-subgroup GEMM (forward, filter gradient, dx through a column
// gradient and col2im) against the float64 CPU reference: the CNN step's shapes, awkward ones, and NaN/Inf inputs.
import './node-gpu.js';
import * as core from '@webdl/core';
import { ENGINE, type Tensor } from '@webdl/core';
import { registerWebGPU, sizeClass, type WebGPUBackend } from '@webdl/webgpu';
import { describe, expect, it, vi } from 'vitest';
import { hasQuadSubgroups } from '../src/device.js';
import { ACC, expectClose, values } from './compare.js';
import { describeCases } from './run-cases.js';
import type { InputSpec, OpCase } from './op-cases.js';

registerWebGPU();

type ConvOpts = { strides?: number | [number, number]; dilations?: number; padding?: 'same' | 'valid' };

const f = (...shape: number[]): InputSpec => ({ shape });
const spiked = (shape: number[], seed: number, at: number, bad: number): InputSpec => {
  const v = values(
    shape.reduce((a, b) => a * b, 1),
    seed,
  );
  v[at] = bad;
  return { shape, values: v };
};

/** conv2d and the gradients of sum(conv2d(x, w) * u) with respect to x and w (dy = u). */
const withGrads =
  (opts: ConvOpts) =>
  ([x, w, u]: Tensor[]): Tensor[] => [
    core.conv2d(x, w, opts),
    ...(core.grad((a: Tensor, b: Tensor) => core.sum(core.conv2d(a, b, opts).mul(u)))(x, w) as Tensor[]),
  ];

const GEOMETRIES: [string, number[], number[], ConvOpts, number[]][] = [
  // The bench CNN's two convolutions (batch 4 instead of 64).
  ['CNN conv1 28x28x1 -> 32', [4, 28, 28, 1], [3, 3, 1, 32], {}, [4, 26, 26, 32]],
  ['CNN conv2 13x13x32 -> 64', [4, 13, 13, 32], [3, 3, 32, 64], {}, [4, 11, 11, 64]],
  // 5 channels (a lane's tap found by division), 7 filters (one quad across), 105 pixels (a partial last step).
  ['2x3 stride [2,1], 5 -> 7 channels', [3, 11, 9, 5], [2, 3, 5, 7], { strides: [2, 1] }, [3, 5, 7, 7]],
  ['3x3 dilation 2, 8 -> 20 channels', [2, 12, 10, 8], [3, 3, 8, 20], { dilations: 2 }, [2, 8, 6, 20]],
  // 1995 pixels: three chunks of partial filter sums, the last ending off a multiple of 4.
  ['3x3 on 23x21, three pixel chunks', [5, 23, 21, 4], [3, 3, 4, 9], {}, [5, 21, 19, 9]],
  // OW = 4 exactly: every step of a lane's pixel counter wraps a row.
  ['3x3 to a 4-wide output, stride 2', [2, 9, 9, 4], [3, 3, 4, 16], { strides: 2 }, [2, 4, 4, 16]],
  // 'same' padding: the forward and filter gradient keep their kernels, dx takes the column gradient.
  ['3x3 same stride 2 (dx only)', [2, 9, 8, 4], [3, 3, 4, 6], { padding: 'same', strides: 2 }, [2, 5, 4, 6]],
];

const CASES: OpCase[] = GEOMETRIES.map(([name, xs, ws, opts, ys]) => ({
  name: `conv2d ${name}: forward, dx and dw`,
  inputs: [f(...xs), f(...ws), f(...ys)],
  run: withGrads(opts),
  tol: ACC,
}));

// 'valid' geometry [2, 10, 9, 4] x [3, 3, 4, 8] -> [2, 8, 7, 8]; x element 1 * 9 * 4 + 4 * 4 + 2: pixel (1, 4) channel 2.
const NONFINITE: OpCase[] = [
  {
    name: 'NaN in one input pixel',
    inputs: [spiked([2, 10, 9, 4], 1, 54, NaN), f(3, 3, 4, 8), f(2, 8, 7, 8)],
    run: withGrads({}),
    tol: ACC,
  },
  {
    name: 'Inf in one filter tap, NaN in one dy pixel',
    inputs: [
      f(2, 10, 9, 4),
      spiked([3, 3, 4, 8], 2, 4 * 8 * 4 + 3, Infinity),
      spiked([2, 8, 7, 8], 3, 100, NaN),
    ],
    run: withGrads({}),
    tol: ACC,
  },
  {
    name: '-Inf at input element 0, strided, 3 channels',
    inputs: [spiked([1, 11, 9, 3], 4, 0, -Infinity), f(3, 3, 3, 6), f(1, 5, 4, 6)],
    run: withGrads({ strides: 2 }),
    tol: ACC,
  },
];

describeCases('quad-lowered convolutions', CASES);
describeCases('quad-lowered convolutions, non-finite inputs', NONFINITE);

describe('quad-lowered convolution routing', () => {
  it("takes the quad kernels and col2im for a 'valid' conv on a 4-lane-subgroup adapter", async () => {
    await core.setBackend('webgpu');
    const gpu = ENGINE.backend as WebGPUBackend;
    if (!gpu.cpuKernels || !hasQuadSubgroups(gpu.device)) return; // a GPU adapter keeps its tiled kernels
    const labels: string[] = [];
    const enqueue = gpu.queue.enqueue.bind(gpu.queue);
    const spy = vi.spyOn(gpu.queue, 'enqueue').mockImplementation((rec) => {
      labels.push(rec.label);
      enqueue(rec);
    });
    const x = core.randomUniform([2, 10, 9, 4], { seed: 1 });
    const w = core.randomUniform([3, 3, 4, 8], { seed: 2 });
    const out = core.tidy(() => withGrads({})([x, w, core.onesLike(core.conv2d(x, w))]));
    await Promise.all(out.map((t) => t.data()));
    spy.mockRestore();
    const has = (op: string, tail: string) => labels.some((l) => l.startsWith(op) && l.endsWith(tail));
    expect(has('conv2d x', '(quad)')).toBe(true);
    expect(has('conv2dBackpropFilter x', '(quad)')).toBe(true);
    expect(has('conv2dBackpropInput x', '(col2im)')).toBe(true);
    core.dispose([x, w, ...out]);
  });
});

describe('quad-lowered convolutions on pooled buffers', () => {
  it('never read the stale tail of a reused buffer (a last pixel chunk ending off a multiple of 4)', async () => {
    // 5 x 21 x 19 = 1995 output pixels. The pools first get buffers of x's and dy's size classes whose tails hold NaN:
    // a kernel reading past its operands' ends would bring NaN into the filter gradient.
    const [xs, ws, ys] = [
      [5, 23, 21, 4],
      [3, 3, 4, 9],
      [5, 21, 19, 9],
    ];
    const inputs = () =>
      [xs, ws, ys].map((s, k) =>
        core.tensor(
          Float32Array.from(
            values(
              s.reduce((a, b) => a * b),
              40 + k,
            ),
          ),
          s,
        ),
      );
    const dw = (t: Tensor[]) => core.tidy(() => withGrads({})(t)[2]);
    await core.setBackend('cpu');
    const cpuIn = inputs();
    const want = await dw(cpuIn).data();
    core.dispose(cpuIn);
    await core.setBackend('webgpu');
    const stale = [xs, ys].flatMap((s) => {
      const n = sizeClass(4 * s.reduce((a, b) => a * b)) / 4;
      return [0, 1, 2, 3].map(() => core.fill([n], NaN));
    });
    await Promise.all(stale.map((t) => t.data()));
    core.dispose(stale);
    const gpuIn = inputs();
    const got = dw(gpuIn);
    expectClose('dw', await got.data(), want, ACC);
    core.dispose([...gpuIn, got]);
  });
});
