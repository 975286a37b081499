// Convolutions and matmul with one NaN or Inf input element: only the outputs whose window (or sum) holds it are non-finite,
// as on the CPU reference, on both kernel variants (padding and out-of-window taps are skipped, never multiplied by 0).
import './node-gpu.js';
import * as core from '@webdl/core';
import type { Tensor } from '@webdl/core';
import { ENGINE } from '@webdl/core';
import { WebGPUBackend, registerWebGPU } from '@webdl/webgpu';
import { values } from './compare.js';
import { ACC } from './compare.js';
import { describeCases } from './run-cases.js';
import type { InputSpec, OpCase } from './op-cases.js';

registerWebGPU();

/** Seeded values of `shape` with `bad` written at flat index `at`. */
function spiked(shape: number[], seed: number, at: number, bad: number): InputSpec {
  const v = values(
    shape.reduce((a, b) => a * b, 1),
    seed,
  );
  v[at] = bad;
  return { shape, values: v };
}
const plain = (shape: number[], seed: number): InputSpec => ({
  shape,
  values: values(
    shape.reduce((a, b) => a * b, 1),
    seed,
  ),
});

/** Gradients of sum(f(x, w) * u) with respect to x and w: the backprop kernels with dy = u. */
const grads =
  (f: (x: Tensor, w: Tensor) => Tensor) =>
  ([x, w, u]: Tensor[]): Tensor[] =>
    core.grad((a: Tensor, b: Tensor) => core.sum(f(a, b).mul(u)))(x, w) as Tensor[];

const same = { padding: 'same' } as const;
const conv = (x: Tensor, w: Tensor) => core.conv2d(x, w, same);
const depthwise = (x: Tensor, w: Tensor) => core.depthwiseConv2d(x, w, same);
// x [1, 9, 10, 4]: element 1 * 10 * 4 + 3 * 4 + 2 = pixel (1, 3), channel 2; filter [3, 3, 4, 5]: tap (0, 0).
const CASES: OpCase[] = [
  {
    name: 'conv2d NaN in one input pixel',
    inputs: [spiked([1, 9, 10, 4], 1, 54, NaN), plain([3, 3, 4, 5], 2)],
    run: ([x, w]) => conv(x, w),
    tol: ACC,
  },
  {
    name: 'conv2d Inf in one filter tap (padding taps of the border outputs stay finite)',
    inputs: [plain([2, 9, 10, 4], 3), spiked([3, 3, 4, 5], 4, 7, Infinity)],
    run: ([x, w]) => conv(x, w),
    tol: ACC,
  },
  {
    name: 'conv2d strided, Inf at input element 0',
    inputs: [spiked([1, 11, 9, 3], 5, 0, -Infinity), plain([3, 3, 3, 6], 6)],
    run: ([x, w]) => core.conv2d(x, w, { padding: 'same', strides: 2 }),
    tol: ACC,
  },
  {
    name: 'conv2d gradients, NaN in one dy pixel and Inf in one filter tap',
    inputs: [
      plain([1, 9, 10, 4], 7),
      spiked([3, 3, 4, 5], 8, 3 * 4 * 5 + 1, Infinity),
      spiked([1, 9, 10, 5], 9, 23, NaN),
    ],
    run: grads(conv),
    tol: ACC,
  },
  {
    name: 'conv2d filter gradient, Inf in one input pixel',
    inputs: [spiked([1, 9, 10, 4], 10, 54, Infinity), plain([3, 3, 4, 5], 11), plain([1, 9, 10, 5], 12)],
    run: (t) => [grads(conv)(t)[1]],
    tol: ACC,
  },
  {
    name: 'conv2dTranspose stride 2, Inf in one filter tap',
    inputs: [plain([1, 4, 5, 6], 13), spiked([3, 3, 2, 6], 14, 0, Infinity)],
    run: ([x, w]) => core.conv2dTranspose(x, w, [1, 8, 10, 2], { strides: 2, padding: 'same' }),
    tol: ACC,
  },
  {
    name: 'depthwiseConv2d NaN in one input pixel and its gradients with Inf in one filter tap',
    inputs: [
      spiked([1, 7, 6, 3], 15, 40, NaN),
      spiked([3, 3, 3, 2], 16, 5, Infinity),
      plain([1, 7, 6, 6], 17),
    ],
    run: (t) => [depthwise(t[0], t[1]), ...grads(depthwise)(t)],
    tol: ACC,
  },
  {
    // K % 4 != 0 on the subgroup kernel of CPU adapters: B's last row must not be read again for the padded steps.
    name: 'matmul Inf in the last row of B, K % 4 = 3 [1,64,259] x [259,1040]',
    inputs: [{ shape: [1, 64, 259], lo: 0.5, hi: 1 }, spiked([1, 259, 1040], 18, 258 * 1040 + 5, Infinity)],
    run: ([a, b]) => core.matmul(a, b),
    tol: ACC,
  },
];

for (const kernels of ['gpu', 'cpu'] as const) {
  const name = `webgpu-${kernels}-kernels`;
  ENGINE.registerBackend(name, () => WebGPUBackend.create({ kernels }), 0);
  describeCases('non-finite inputs', CASES, name);
}
