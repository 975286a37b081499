// The CPU-adapter matmul with its k loop split over workgroups (few outputs, a long k: a bias gradient's ones x dy),
// against the float64 CPU reference: transposes, K % 4 != 0, a NaN, and the column sum that lowers to it.
import './node-gpu.js';
import * as core from '@webdl/core';
import { ENGINE, jit, type Tensor } from '@webdl/core';
import { registerWebGPU, type WebGPUBackend } from '@webdl/webgpu';
import { describe, expect, it, vi } from 'vitest';
import { ACC, expectClose, values } from './compare.js';
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

/** Values of fn's outputs on `backend` (jitted there when `jitted`), and the labels of the dispatches it recorded. */
async function run(backend: string, fn: (...xs: Tensor[]) => Tensor[], jitted: boolean) {
  await core.setBackend(backend);
  const labels: string[] = [];
  const gpu = backend === 'webgpu' ? (ENGINE.backend as WebGPUBackend) : null;
  const enqueue = gpu?.queue.enqueue.bind(gpu.queue);
  const spy =
    gpu && enqueue
      ? vi.spyOn(gpu.queue, 'enqueue').mockImplementation((rec) => {
          labels.push(rec.label);
          enqueue(rec);
        })
      : null;
  const shapes = [[2, 3000], [3000, 6], [6]];
  const xs = shapes.map((sh, k) =>
    core.tensor(
      Float32Array.from(
        values(
          sh.reduce((a, b) => a * b),
          20 + k,
        ),
      ),
      sh,
    ),
  );
  const f = jitted ? jit(fn) : fn;
  // Twice: the trace, then a compiled replay.
  core.dispose(f(...xs));
  const outs = f(...xs);
  const data = await Promise.all(outs.map((t) => t.data()));
  spy?.mockRestore();
  core.dispose([...xs, ...outs]);
  return { data, labels };
}

describe('matmul split over k with a fused epilogue (jit)', () => {
  const cases: [string, (...xs: Tensor[]) => Tensor[]][] = [
    ['relu(a @ b + c)', (a, b, c) => [a.matmul(b).add(c).relu()]],
    [
      'relu(h) and h * sum(h), h = a @ b + c (the epilogue stores h too)',
      (a, b, c) => {
        const h = a.matmul(b).add(c);
        return [h.relu(), h.mul(h.sum())];
      },
    ],
  ];
  for (const [name, fn] of cases) {
    it(name, async () => {
      const want = await run('cpu', fn, false);
      const got = await run('webgpu', fn, true);
      got.data.forEach((d, i) => expectClose(`${name} output ${i}`, d, want.data[i], ACC));
      const gpu = ENGINE.backend as WebGPUBackend;
      if (gpu.cpuKernels) expect(got.labels.some((l) => l.endsWith('(split k)'))).toBe(true);
    });
  }
});
