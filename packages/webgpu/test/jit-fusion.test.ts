// Fusion is real: the backend's own dispatch counter for a jitted 5-op chain (1 dispatch) and a
// jitted MLP training step (eager vs jit), one submit per replay, values equal to eager.
import './node-gpu.js';
import {
  ENGINE,
  GradientTape,
  jit,
  randomNormal,
  setBackend,
  tensor,
  variable,
  type Tensor,
} from '@webdl/core';
import { registerWebGPU, type WebGPUBackend } from '@webdl/webgpu';
import { beforeAll, describe, expect, it } from 'vitest';

registerWebGPU();
const gpu = () => ENGINE.backend as WebGPUBackend;

/** Dispatches and submits fn records on the WebGPU backend. */
async function counts<T>(fn: () => T): Promise<{ dispatches: number; submits: number; result: T }> {
  await gpu().sync();
  const [d0, s0] = [gpu().dispatchCount, gpu().submitCount];
  const result = fn();
  await gpu().sync();
  return { dispatches: gpu().dispatchCount - d0, submits: gpu().submitCount - s0, result };
}

async function expectClose(a: Tensor, b: Tensor, tol = 1e-5) {
  const [x, y] = [await a.data(), await b.data()];
  x.forEach((v, i) => expect(Math.abs(v - y[i])).toBeLessThanOrEqual(tol * (1 + Math.abs(y[i]))));
}

beforeAll(async () => {
  await setBackend('webgpu');
});

describe('jit fusion on WebGPU', () => {
  it('runs a 5-op elementwise chain with broadcasts as 1 dispatch in 1 submit', async () => {
    const chain = (x: Tensor, b: Tensor) => x.mul(b).add(1).tanh().sub(b).relu();
    const x = randomNormal([64, 33], { seed: 1 });
    const b = randomNormal([33], { seed: 2 });
    const eager = await counts(() => chain(x, b));
    const f = jit(chain);
    f(x, b).dispose();
    const jitted = await counts(() => f(x, b));
    expect(eager.dispatches).toBe(5);
    expect(jitted.dispatches).toBe(1);
    expect(jitted.submits).toBe(1);
    await expectClose(jitted.result, eager.result);
  });

  it('fuses comparisons with bool intermediates and keeps their NaN rule (a comparison with NaN is false)', async () => {
    const f = (x: Tensor) => x.greater(0).cast('float32').mul(2).add(x.less(0).cast('float32'));
    const x = tensor([NaN, -1, 0, 3]);
    const eager = f(x);
    const g = jit(f);
    g(x).dispose();
    const jitted = await counts(() => g(x));
    expect(jitted.dispatches).toBe(1);
    const [a, b] = [await jitted.result.data(), await eager.data()];
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).toEqual([0, 1, 0, 2]);
  });

  it('cuts the dispatches of an MLP training step (forward, backward, Adam-like update)', async () => {
    const w1 = variable(randomNormal([32, 16], { seed: 3 }).mul(0.2));
    const w2 = variable(randomNormal([16, 4], { seed: 4 }).mul(0.2));
    const m = [w1, w2].map((w) => variable(w.mul(0), { trainable: false }));
    const step = (x: Tensor, y: Tensor) => {
      const tape = new GradientTape();
      const loss = tape.record(() => x.matmul(w1).relu().matmul(w2).sub(y).square().mean());
      const grads = tape.gradient(loss, [w1, w2]);
      [w1, w2].forEach((w, i) => {
        m[i].assign(m[i].mul(0.9).add((grads[i] as Tensor).mul(0.1)));
        w.assignSub(m[i].mul(0.05).div(m[i].square().add(1e-7).sqrt().add(1)));
      });
      return loss;
    };
    const x = randomNormal([8, 32], { seed: 5 });
    const y = randomNormal([8, 4], { seed: 6 });
    const eager = await counts(() => step(x, y));
    const f = jit(step);
    f(x, y).dispose();
    f(x, y).dispose();
    const jitted = await counts(() => f(x, y));
    console.log(
      `MLP step dispatches: eager ${eager.dispatches}, jit ${jitted.dispatches}; submits eager ${eager.submits}, jit ${jitted.submits}`,
    );
    // 42 eager; jitted 17 with elementwise fusion alone, 13 with the matmul epilogues, 12 with
    // the reduction prologues (the loss's square fused into its mean), 9 with multi-output
    // fusion: the first layer's relu runs in its matmul, which also stores the product for relu's
    // gradient, and each weight update runs in the store of its gradient's matmul with the m update
    // (storing m too).
    expect(eager.dispatches).toBe(42);
    expect(jitted.dispatches).toBe(9);
    expect(jitted.submits).toBe(1);
  });
});
