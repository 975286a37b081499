// The CPU-adapter matmul with its k loop split over workgroups (few outputs, a long k: a bias gradient's ones x dy),
// against the float64 CPU reference: transposes, K % 4 != 0, a NaN, and the column sum that lowers to it.
import './node-gpu.js';
import * as core from '@webdl/core';
import { registerWebGPU } from '@webdl/webgpu';
import { ACC, values } from './compare.js';
import { describeCases } from './run-cases.js';
import type { OpCase } from './op-cases.js';

registerWebGPU();

const f = (...shape: number[]) => ({ shape });
const withNaN = (shape: number[], at: number) => {
  const v = values(
    shape.reduce((a, b) => a * b, 1),
    9,
  );
  v[at] = NaN;
  return { shape, values: v };
};

const CASES: OpCase[] = [
  {
    name: 'sum over the leading axes of [64, 26, 26, 8] (a conv bias gradient: ones [1, 43264] x dy)',
    inputs: [f(64, 26, 26, 8)],
    run: ([x]) => core.sum(x, [0, 1, 2]),
    tol: ACC,
  },
  {
    name: '[3, 4099] x [4099, 5]',
    inputs: [f(3, 4099), f(4099, 5)],
    run: ([a, b]) => core.matmul(a, b),
    tol: ACC,
  },
  {
    name: '[5000, 2]ᵀ x [6, 5000]ᵀ',
    inputs: [f(5000, 2), f(6, 5000)],
    run: ([a, b]) => core.matmul(a, b, { transposeA: true, transposeB: true }),
    tol: ACC,
  },
  {
    name: '[1, 3000] x [3000, 4] with a NaN in row 2999 of B',
    inputs: [f(1, 3000), withNaN([3000, 4], 2999 * 4 + 1)],
    run: ([a, b]) => core.matmul(a, b),
    tol: ACC,
  },
];

describeCases('matmul split over k', CASES);
