// The CPU-adapter matmul kernels with their operands declared as fixed-length arrays (array<T, N>, one pipeline per
// shape): the declared lengths, broadcast batches (operands of different lengths) and the MLP step's 16-row quad
// blocks and the narrow blocks of products under 32 wide against the float64 CPU reference.
import './node-gpu.js';
import * as core from '@webdl/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerWebGPU, type WebGPUBackend } from '@webdl/webgpu';
import { quadMatmulSource, regsMatmulSource } from '../src/kernels/register-gemm.js';
import { ACC } from './compare.js';
import { describeCases } from './run-cases.js';
import type { OpCase } from './op-cases.js';

registerWebGPU();

describe('matmul kernels with sized operands', () => {
  it('declare out, a and b at the given lengths, and runtime-sized without them', () => {
    const sized = quadMatmulSource(8, 4, false, false, [12, 34, 56]);
    expect(sized).toContain('var<storage, read_write> out: array<T, 12>;');
    expect(sized).toContain('var<storage, read> a: array<T, 34>;');
    expect(sized).toContain('var<storage, read> b: array<T, 56>;');
    const regs = regsMatmulSource({ tm: 4, tn: 4, unroll: 4 }, true, [7, 8, 9]);
    expect(regs).toContain('var<storage, read> b: array<T, 9>;');
    expect(regsMatmulSource({ tm: 4, tn: 4, unroll: 4 })).toContain('var<storage, read> a: array<T>;');
  });
});

const f = (...shape: number[]) => ({ shape });
const CASES: OpCase[] = [
  {
    name: '[1, 64, 48] x [3, 48, 40] (quad kernel, A broadcast over the batch)',
    inputs: [f(1, 64, 48), f(3, 48, 40)],
    run: ([a, b]) => core.matmul(a, b),
    tol: ACC,
  },
  {
    name: '[3, 48, 64]ᵀ x [1, 40, 48]ᵀ (quad kernel, B broadcast, both transposed)',
    inputs: [f(3, 48, 64), f(1, 40, 48)],
    run: ([a, b]) => core.matmul(a, b, { transposeA: true, transposeB: true }),
    tol: ACC,
  },
  {
    name: '[128, 522] x [522, 128] (16-row quad blocks from 128 x 128 x 512, K % 4 != 0)',
    inputs: [f(128, 522), f(522, 128)],
    run: ([a, b]) => core.matmul(a, b),
    tol: ACC,
  },
  {
    name: "[128, 784]ᵀ x [128, 128] (the MLP step's first weight gradient, 16-row quad blocks)",
    inputs: [f(128, 784), f(128, 128)],
    run: ([a, b]) => core.matmul(a, b, { transposeA: true }),
    tol: ACC,
  },
  {
    name: '[50, 40] x [40, 70] (quad kernel, its 16 x 32 blocks clamped at both edges)',
    inputs: [f(50, 40), f(40, 70)],
    run: ([a, b]) => core.matmul(a, b),
    tol: ACC,
  },
  {
    name: "[128, 128] x [128, 10] (the MLP step's head: a quad block 3 columns wide per lane, 2 of them clamped)",
    inputs: [f(128, 128), f(128, 10)],
    run: ([a, b]) => core.matmul(a, b),
    tol: ACC,
  },
  {
    name: '[1, 130] x [130, 70] (a bias gradient: one-row quad blocks, K % 4 != 0)',
    inputs: [f(1, 130), f(130, 70)],
    run: ([a, b]) => core.matmul(a, b),
    tol: ACC,
  },
  {
    name: '[2, 9, 21]ᵀ x [2, 5, 9]ᵀ (9 x 5 quad blocks, batched, both transposed)',
    inputs: [f(2, 9, 21), f(2, 5, 9)],
    run: ([a, b]) => core.matmul(a, b, { transposeA: true, transposeB: true }),
    tol: ACC,
  },
  {
    name: '[2, 20, 30] x [1, 30, 12] + bias, relu (4 x 4 kernel with an epilogue)',
    inputs: [f(2, 20, 30), f(1, 30, 12), f(12)],
    run: ([a, b, c]) => core.relu(core.add(core.matmul(a, b), c)),
    tol: ACC,
  },
];

// The best kernels of large products compile in the background while a stand-in runs (matmul-tiers.test.ts): each
// case runs once first, and the cases below run once those pipelines are compiled.
beforeAll(async () => {
  await core.setBackend('webgpu');
  for (const c of CASES) {
    const out = c.run(c.inputs.map((i) => core.randomNormal(i.shape, { seed: 1 })));
    await (Array.isArray(out) ? out[0] : out).data();
  }
  await (core.ENGINE.backend as WebGPUBackend).pipelines.idle();
});

describeCases('matmul with sized operands', CASES);
