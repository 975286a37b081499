// Epilogue fusion on WebGPU (Dawn): a jitted matmul followed by bias, activation, scale or a whole
// elementwise chain runs as one dispatch on every matmul kernel family (register-blocked and quad
// kernels of CPU adapters, the tiled GPU kernel), with values equal to the float64 CPU reference.
import './node-gpu.js';
import { ENGINE, jit, randomNormal, setBackend, tensor, type Tensor } from '@webdl/core';
import { registerWebGPU, WebGPUBackend } from '@webdl/webgpu';
import { beforeAll, describe, expect, it } from 'vitest';

registerWebGPU();
ENGINE.registerBackend('webgpu-gpu-kernels-epilogue', () => WebGPUBackend.create({ kernels: 'gpu' }), 0);

interface Case {
  name: string;
  shapes: number[][];
  fn: (...xs: Tensor[]) => Tensor;
  /** Dispatches of one jitted call. */
  dispatches: number;
}

const CASES: Case[] = [
  {
    name: 'relu(x @ w + bias)',
    shapes: [[8, 32], [32, 16], [16]],
    fn: (x, w, b) => x.matmul(w).add(b).relu(),
    dispatches: 1,
  },
  {
    name: 'sigmoid(0.5 * x @ wᵀ) with transposed operand',
    shapes: [
      [9, 7],
      [5, 7],
    ],
    fn: (x, w) => x.matmul(w, { transposeB: true }).mul(0.5).sigmoid(),
    dispatches: 1,
  },
  {
    name: 'tanh(xᵀ @ w - bias) batched, bias broadcast over the batch',
    shapes: [
      [2, 3, 5, 8],
      [5, 7],
      [3, 1, 7],
    ],
    fn: (x, w, b) => x.matmul(w, { transposeA: true }).sub(b).tanh(),
    dispatches: 1,
  },
  {
    name: 'elu(x @ w + bias) * c with a full-size multiplier, then gelu',
    shapes: [[6, 10], [10, 12], [12], [6, 12]],
    fn: (x, w, b, c) => x.matmul(w).add(b).elu().mul(c).gelu(),
    dispatches: 1,
  },
  {
    name: 'leakyRelu of a square: the product read twice by one kernel',
    shapes: [
      [4, 6],
      [6, 3],
    ],
    fn: (x, w) => {
      const y = x.matmul(w);
      return y.mul(y).leakyRelu(0.2);
    },
    dispatches: 1,
  },
  {
    name: 'a product read by two kernels is stored as it is',
    shapes: [
      [4, 6],
      [6, 3],
    ],
    fn: (x, w) => {
      const y = x.matmul(w);
      return y.relu().add(y.exp().sum());
    },
    // matmul, exp fused into the sum (a reduction prologue), relu + add
    dispatches: 3,
  },
  {
    name: 'relu(conv2d(x, w) + bias)',
    shapes: [[2, 6, 5, 3], [3, 3, 3, 4], [4]],
    fn: (x, w, b) => x.conv2d(w, { padding: 'same' }).add(b).relu(),
    dispatches: 1,
  },
  {
    name: 'conv2d with a stride plus a whole residual, then sigmoid',
    shapes: [
      [1, 7, 7, 2],
      [2, 2, 2, 5],
      [1, 3, 3, 5],
    ],
    fn: (x, w, r) => x.conv2d(w, { strides: 2 }).add(r).sigmoid(),
    dispatches: 1,
  },
  {
    name: 'conv2d times a per-image scale: two kernels, same values',
    shapes: [
      [2, 4, 4, 2],
      [1, 1, 2, 3],
      [2, 1, 1, 3],
    ],
    fn: (x, w, c) => x.conv2d(w).mul(c).tanh(),
    dispatches: 2,
  },
  {
    name: 'a large product on the quad kernel with bias and relu',
    shapes: [[128, 256], [256, 512], [512]],
    fn: (x, w, b) => x.matmul(w).add(b).relu(),
    dispatches: 1,
  },
  {
    name: 'the quad kernel with bias and relu where its blocks pass both edges (50 x 70)',
    shapes: [[50, 40], [40, 70], [70]],
    fn: (x, w, b) => x.matmul(w).add(b).relu(),
    dispatches: 1,
  },
  {
    name: 'a narrow quad block (7 x 10, K = 30) with bias and relu',
    shapes: [[7, 30], [30, 10], [10]],
    fn: (x, w, b) => x.matmul(w).add(b).relu(),
    dispatches: 1,
  },
];

async function values(
  backend: string,
  c: Case,
  jitted: boolean,
): Promise<{ data: number[]; dispatches: number }> {
  await setBackend(backend);
  const xs = c.shapes.map((s, k) => randomNormal(s, { seed: 10 + k }));
  const compiled = jitted ? jit(c.fn) : undefined;
  const f = compiled ?? c.fn;
  compiled?.(...xs).dispose();
  const gpu = ENGINE.backend instanceof WebGPUBackend ? ENGINE.backend : undefined;
  const d0 = gpu?.dispatchCount ?? 0;
  const out = f(...xs);
  const dispatches = (gpu?.dispatchCount ?? 0) - d0;
  const data = Array.from(await out.data());
  [...xs, out].forEach((t) => t.dispose());
  compiled?.dispose();
  return { data, dispatches };
}

describe.each(['webgpu', 'webgpu-gpu-kernels-epilogue'])('matmul epilogues under jit on %s', (backend) => {
  beforeAll(async () => {
    await setBackend(backend);
  });

  // The tiled GPU kernel compiles slowly on SwiftShader: two cases cover its store path.
  it.each(backend === 'webgpu' ? CASES : [CASES[0], CASES[2], CASES[6]])('$name', async (c) => {
    const want = await values('cpu', c, false);
    const got = await values(backend, c, true);
    expect(got.dispatches).toBe(c.dispatches);
    expect(got.data.length).toBe(want.data.length);
    got.data.forEach((v, i) =>
      expect(Math.abs(v - want.data[i])).toBeLessThanOrEqual(1e-4 * (1 + Math.abs(want.data[i]))),
    );
  });

  it('keeps NaN from the product and from the bias', async () => {
    const f = (x: Tensor, w: Tensor, b: Tensor) => x.matmul(w).add(b).relu();
    const x = tensor([
      [1, NaN],
      [1, 1],
    ]);
    const w = tensor([
      [1, -1],
      [2, 0.5],
    ]);
    const b = tensor([NaN, -10]);
    const g = jit(f);
    g(x, w, b).dispose();
    const out = g(x, w, b);
    expect(Array.from(await out.data())).toEqual([NaN, NaN, NaN, 0]);
    [x, w, b, out].forEach((t) => t.dispose());
    g.dispose();
  });
});
