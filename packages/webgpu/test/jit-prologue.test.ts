// Prologue fusion on WebGPU (Dawn): under jit, an elementwise kernel read only by a sum/max/min
// reduction is computed inside the reduction kernel (mean of squares, logSumExp, variance, the
// per-row and the two-pass long-row kernels), with values equal to the float64 CPU reference.
import './node-gpu.js';
import { ENGINE, jit, randomNormal, setBackend, tensor, type Tensor } from '@webdl/core';
import { registerWebGPU, WebGPUBackend } from '@webdl/webgpu';
import { beforeAll, describe, expect, it } from 'vitest';

registerWebGPU();

interface Case {
  name: string;
  shapes: number[][];
  fn: (...xs: Tensor[]) => Tensor;
  /** Dispatches of one jitted call, and of the eager one. */
  dispatches: [number, number];
}

const CASES: Case[] = [
  {
    name: 'mean of squares over rows',
    shapes: [[16, 40]],
    fn: (x) => x.square().mean(1),
    dispatches: [2, 3],
  },
  {
    name: 'sum of |x * y| with y broadcast along rows',
    shapes: [[6, 9], [9]],
    fn: (x, y) => x.mul(y).abs().sum(1),
    dispatches: [1, 3],
  },
  {
    name: 'max of exp(x - c) with c broadcast along columns',
    shapes: [
      [5, 7],
      [5, 1],
    ],
    fn: (x, c) => x.sub(c).exp().max(1),
    dispatches: [1, 3],
  },
  {
    name: 'logSumExp over the last axis',
    shapes: [[12, 30]],
    fn: (x) => x.logSumExp(-1),
    dispatches: [4, 10],
  },
  {
    name: 'variance (x - mean)² over a middle axis (a transposed reduction)',
    shapes: [[3, 10, 6]],
    fn: (x) => x.moments(1).variance,
    dispatches: [6, 8],
  },
  {
    // Sums over leading axes run as one matmul (ones x X), so no transpose and no prologue; the
    // elementwise reader of a sum (through its reshape) runs in that matmul's store (4 -> 3).
    name: 'variance (x - mean)² over the batch axis (sums as matmuls)',
    shapes: [[10, 6]],
    fn: (x) => x.moments(0).variance,
    dispatches: [3, 6],
  },
  {
    name: 'a long row: the two-pass kernel reads the prologue in its first pass',
    shapes: [[2, 20000]],
    fn: (x) => x.mul(0.5).square().sum(1),
    dispatches: [2, 4],
  },
  {
    // The sum computes exp as it reads and stores it for the max (multi-output fusion: 4 -> 3).
    name: 'an input read by another kernel too is stored by the reduction reading it',
    shapes: [[4, 8]],
    fn: (x) => {
      const e = x.exp();
      return e.sum(1).add(e.max(1));
    },
    dispatches: [3, 4],
  },
];

async function values(
  backend: string,
  c: Case,
  jitted: boolean,
): Promise<{ data: number[]; dispatches: number }> {
  await setBackend(backend);
  const xs = c.shapes.map((s, k) => randomNormal(s, { seed: 20 + k }));
  const compiled = jitted ? jit(c.fn) : undefined;
  compiled?.(...xs).dispose();
  const gpu = ENGINE.backend instanceof WebGPUBackend ? ENGINE.backend : undefined;
  const d0 = gpu?.dispatchCount ?? 0;
  const out = (compiled ?? c.fn)(...xs);
  const dispatches = (gpu?.dispatchCount ?? 0) - d0;
  const data = Array.from(await out.data());
  [...xs, out].forEach((t) => t.dispose());
  compiled?.dispose();
  return { data, dispatches };
}

describe('reduction prologues under jit on WebGPU', () => {
  beforeAll(async () => {
    await setBackend('webgpu');
  });

  it.each(CASES)('$name', async (c) => {
    const want = await values('cpu', c, false);
    const eager = await values('webgpu', c, false);
    const got = await values('webgpu', c, true);
    expect([got.dispatches, eager.dispatches]).toEqual(c.dispatches);
    expect(got.data.length).toBe(want.data.length);
    got.data.forEach((v, i) =>
      expect(Math.abs(v - want.data[i])).toBeLessThanOrEqual(1e-4 * (1 + Math.abs(want.data[i]))),
    );
  });

  it('keeps NaN from a prologue input, in sum and in max', async () => {
    const f = jit((x: Tensor) => [x.square().sum(1), x.abs().max(1)]);
    const x = tensor([
      [1, NaN, 2],
      [3, -4, 0],
    ]);
    f(x).forEach((t) => t.dispose());
    const [s, m] = f(x);
    expect(Array.from(await s.data())).toEqual([NaN, 25]);
    expect(Array.from(await m.data())).toEqual([NaN, 4]);
    [x, s, m].forEach((t) => t.dispose());
    f.dispose();
  });
});
