// The MLP training step (Dense 784-128-128-10, batch 128, Adam) on WebGPU, from the backend's own
// counters: its bias gradients (sums over the batch axis) run as one matmul each, with no transpose
// kernel, in eager code and in jit replays; multi-output fusion's share of a replay's dispatches;
// the leading-axis sums match hand-computed values.
import '../../webgpu/test/node-gpu.js';
import { ENGINE, GradientTape, jit, setBackend, sum, tensor, type Tensor } from '@webdl/core';
import { registerWebGPU, type WebGPUBackend } from '@webdl/webgpu';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setRandomSeed } from '../src/initializers.js';
import { Dense } from '../src/layers/dense.js';
import { categoricalCrossentropy } from '../src/losses.js';
import { Sequential } from '../src/models/sequential.js';
import { Adam } from '../src/optimizers/adam.js';

registerWebGPU();
const gpu = () => ENGINE.backend as WebGPUBackend;

/** Counts the backend's transpose kernels (eager code and jit traces both call it) until restored. */
function countTransposes(): { calls: number; restore: () => void } {
  const bk = gpu();
  const orig = bk.transpose;
  const spy = { calls: 0, restore: () => void (bk.transpose = orig) };
  bk.transpose = function (this: WebGPUBackend, ...args: Parameters<WebGPUBackend['transpose']>) {
    spy.calls++;
    return orig.apply(this, args);
  };
  return spy;
}

let spy: { calls: number; restore: () => void } | null = null;
afterEach(() => spy?.restore());

beforeAll(async () => {
  await setBackend('webgpu');
});

function mlpStep(): ((x: Tensor, y: Tensor) => Tensor) & { model: Sequential } {
  setRandomSeed(11);
  const model = new Sequential([
    new Dense(128, { activation: 'relu', inputShape: [784] }),
    new Dense(128, { activation: 'relu' }),
    new Dense(10, { activation: 'softmax' }),
  ]);
  const opt = new Adam({ learningRate: 0.001 });
  const step = (x: Tensor, y: Tensor): Tensor => {
    const tape = new GradientTape();
    const loss = tape.record(() =>
      categoricalCrossentropy(y, model.apply(x, { training: true }) as Tensor).mean(),
    );
    opt.applyGradients(tape.gradient(loss, model.trainableWeights), model.trainableWeights);
    return loss;
  };
  return Object.assign(step, { model });
}

function mnistLikeBatch(): [Tensor, Tensor] {
  const x = Float32Array.from({ length: 128 * 784 }, (_, i) => (Math.sin(i * 0.013) + 1) / 2);
  const y = Float32Array.from({ length: 128 * 10 }, (_, i) => (i % 10 === Math.floor(i / 10) % 10 ? 1 : 0));
  return [tensor(x, [128, 784]), tensor(y, [128, 10])];
}

/** Dispatches recorded by one call of `step`, awaited to its loss. */
async function dispatchesOf(step: (x: Tensor, y: Tensor) => Tensor, x: Tensor, y: Tensor) {
  const before = gpu().counters.dispatches;
  const loss = step(x, y);
  const value = await loss.item();
  loss.dispose();
  return { dispatches: gpu().counters.dispatches - before, loss: value };
}

describe('MLP training step dispatches on WebGPU', () => {
  it('runs no transpose kernel, and fewer dispatches than with transpose + reduce bias gradients', async () => {
    const [x, y] = mnistLikeBatch();
    spy = countTransposes();
    const eager = mlpStep();
    const e1 = await dispatchesOf(eager, x, y);
    const e2 = await dispatchesOf(eager, x, y);
    const jitted = jit(mlpStep());
    await dispatchesOf(jitted, x, y); // trace + first replay
    const j2 = await dispatchesOf(jitted, x, y);
    const j3 = await dispatchesOf(jitted, x, y);
    expect(spy.calls).toBe(0);
    // Before: each of the three bias gradients was a transpose ([128,128] twice, [128,10] once) plus a
    // reduction: 145 dispatches eager and 51 per jit replay; now one matmul each (142 and 48 when written).
    expect(e2.dispatches).toBe(e1.dispatches);
    expect(e2.dispatches).toBeLessThanOrEqual(142);
    expect(j3.dispatches).toBe(j2.dispatches);
    expect(j2.dispatches).toBeLessThanOrEqual(48);
    expect(Number.isFinite(e2.loss)).toBe(true);
    expect(e2.loss).toBeLessThan(e1.loss);
    x.dispose();
    y.dispose();
  }, 120_000);

  it('runs 23 dispatches per jit replay with multi-output fusion, within 8 storage bindings too, 48 without it', async () => {
    const [x, y] = mnistLikeBatch();
    const replayed = async () => {
      const jitted = jit(mlpStep());
      await dispatchesOf(jitted, x, y); // trace + first replay
      const run = await dispatchesOf(jitted, x, y);
      jitted.dispose();
      return run.dispatches;
    };
    // Adam's m, u and weight updates are one kernel per variable (18 -> 6), run in the store of
    // the matmul giving the variable's gradient (5 fewer: not the 784 x 128 one, a product too
    // large for a chain in its store to pay on SwiftShader), each hidden layer's relu runs in its
    // x @ w + b matmul, which also stores x @ w + b for relu's gradient (2 fewer), the softmax's
    // second normalization and its clip are one kernel storing both values (1 fewer), and five
    // row sums of the softmax, the loss and their gradients compute the elementwise chain they
    // read, storing it for its other readers (5 fewer).
    expect(await replayed()).toBe(23);
    const limit = (n: number) =>
      Object.defineProperty(gpu(), 'maxStorageBindings', { value: n, configurable: true });
    try {
      // With 10 storage bindings (Chromium's SwiftShader adapter) or 8 (WebGPU's default), Adam's
      // update of a variable takes two kernels, one of them in its gradient's matmul (but W1's).
      // Host scalars (Adam's rate, 1 - beta, epsilon) are read from kernel parameters, not storage: with
      // 10 storage bindings (Chromium's SwiftShader adapter) or 8 (WebGPU's default) Adam's update of a
      // variable is still one kernel (it took two, 29 and 30 dispatches, when they were bound as storage).
      limit(10);
      expect(await replayed()).toBe(23);
      limit(8);
      expect(await replayed()).toBe(23);
      limit(7);
      expect(await replayed()).toBe(29);
      // A storage-binding limit no group fits in turns multi-output fusion off.
      limit(1);
      expect(await replayed()).toBe(48);
    } finally {
      delete (gpu() as { maxStorageBindings?: number }).maxStorageBindings;
    }
    x.dispose();
    y.dispose();
  }, 120_000);

  it('within 8 storage bindings, the jitted step gives the eager losses and weights', async () => {
    const [x, y] = mnistLikeBatch();
    Object.defineProperty(gpu(), 'maxStorageBindings', { value: 8, configurable: true });
    try {
      const eager = mlpStep();
      const jitted = mlpStep();
      const step = jit(jitted);
      const counts: number[] = [];
      for (let s = 0; s < 5; s++) {
        const want = await dispatchesOf(eager, x, y);
        const got = await dispatchesOf(step, x, y);
        counts.push(got.dispatches);
        expect(Math.abs(got.loss - want.loss), `loss at step ${s}`).toBeLessThan(1e-5);
      }
      // The trace (eager kernels), then the recorded replay's 23 dispatches on every later call.
      expect(counts.slice(2)).toEqual([23, 23, 23]);
      const [we, wj] = [eager.model.trainableWeights, jitted.model.trainableWeights];
      for (let i = 0; i < we.length; i++) {
        const [a, b] = [await we[i].data(), await wj[i].data()];
        const worst = Array.from(a).reduce((m, v, k) => Math.max(m, Math.abs(v - b[k])), 0);
        expect(worst, we[i].name).toBeLessThan(1e-5);
      }
      step.dispose();
    } finally {
      delete (gpu() as { maxStorageBindings?: number }).maxStorageBindings;
    }
    x.dispose();
    y.dispose();
  }, 120_000);

  it('sums over leading axes in one dispatch with no transpose, matching hand-computed sums', async () => {
    spy = countTransposes();
    const x = tensor(
      Float32Array.from({ length: 24 }, (_, i) => i - 7.5),
      [2, 3, 4],
    );
    const before = gpu().counters.dispatches;
    const s0 = sum(x, 0);
    const s01 = sum(x, [0, 1], true);
    expect(gpu().counters.dispatches - before).toBe(2);
    expect(spy.calls).toBe(0);
    // By hand: x[i][j][k] = 12i + 4j + k - 7.5; s0[j][k] sums it over i = 0, 1.
    const want0 = Array.from({ length: 12 }, (_, jk) => 2 * (4 * Math.floor(jk / 4) + (jk % 4) - 7.5) + 12);
    const want01 = Array.from({ length: 4 }, (_, k) => 6 * (k - 7.5) + 3 * 12 + 2 * 3 * 4);
    expect(s0.shape).toEqual([3, 4]);
    expect(Array.from(await s0.data())).toEqual(want0);
    expect(s01.shape).toEqual([1, 1, 4]);
    expect(Array.from(await s01.data())).toEqual(want01);
    // The trailing-axis and int32 paths are unchanged.
    expect(Array.from(await sum(x, 2).data())).toEqual(
      Array.from({ length: 6 }, (_, r) => 4 * (4 * (r % 3) + 12 * Math.floor(r / 3) - 7.5) + 6),
    );
    expect(Array.from(await sum(tensor([1, 2, 3, 4], [2, 2], 'int32'), 0).data())).toEqual([4, 6]);
    x.dispose();
  });
});
