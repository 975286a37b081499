// Multi-output fusion on WebGPU (Dawn in Node), from the backend's own dispatch counter: a jitted
// Adam update of one variable is one kernel storing m, u and the weights (three before), a value
// read inside and outside a chain is stored by the chain's kernel, a device with 8 storage bindings
// fits the group (its scalars read as parameters) and one with 6 splits it, relu and weight updates run in matmul stores, reductions store the chains they
// read, and the values equal eager ones.
import '../../webgpu/test/node-gpu.js';
import { ENGINE, GradientTape, jit, randomNormal, setBackend, variable, type Tensor } from '@webdl/core';
import { registerWebGPU, type WebGPUBackend } from '@webdl/webgpu';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Adam } from '../src/optimizers/adam.js';

registerWebGPU();
const gpu = () => ENGINE.backend as WebGPUBackend;

/** Dispatches recorded by fn, run to completion. */
async function dispatches(fn: () => void): Promise<number> {
  await gpu().sync();
  const before = gpu().counters.dispatches;
  fn();
  await gpu().sync();
  return gpu().counters.dispatches - before;
}

async function expectClose(a: Tensor, b: Tensor, tol: number) {
  const [x, y] = [await a.data(), await b.data()];
  expect(x.length).toBe(y.length);
  x.forEach((v, i) => expect(Math.abs(v - y[i])).toBeLessThanOrEqual(tol * (1 + Math.abs(y[i]))));
}

/** A device limit of `n` storage bindings per kernel, as jit's passes see it (restored after each test). */
let restore: (() => void) | null = null;
function limitBindings(n: number) {
  Object.defineProperty(gpu(), 'maxStorageBindings', { value: n, configurable: true });
  restore = () => delete (gpu() as { maxStorageBindings?: number }).maxStorageBindings;
}
afterEach(() => {
  restore?.();
  restore = null;
});

beforeAll(async () => {
  await setBackend('webgpu');
});

/** Eager and jitted Adam on a [33, 17] variable (not a multiple of 4) over `steps` gradients. */
async function adamRun(steps: number) {
  const init = randomNormal([33, 17], { seed: 1 });
  const [we, wj] = [variable(init), variable(init)];
  const [oe, oj] = [new Adam({ learningRate: 0.01 }), new Adam({ learningRate: 0.01 })];
  const f = jit((g: Tensor) => oj.applyGradients([[g, wj]]));
  const counts: { eager: number; jit: number }[] = [];
  for (let i = 0; i < steps; i++) {
    const g = randomNormal([33, 17], { seed: 10 + i });
    const eager = await dispatches(() => oe.applyGradients([[g, we]]));
    counts.push({ eager, jit: await dispatches(() => f(g)) });
    g.dispose();
  }
  await expectClose(wj, we, 1e-5);
  f.dispose();
  return { counts, release: () => [we, wj, init].forEach((t) => t.dispose()) };
}

describe('multi-output fusion on WebGPU', () => {
  it('runs a jitted Adam update of one variable as 1 dispatch (3 without multi-output fusion), equal to eager', async () => {
    expect(gpu().maxStorageBindings).toBeGreaterThanOrEqual(11);
    const { counts, release } = await adamRun(6);
    // Calls 1-2 trace and record; later ones replay the program. Eager: one kernel per op.
    for (const c of counts.slice(2)) expect(c).toEqual({ eager: 12, jit: 1 });
    release();
    // A limit no group fits in turns multi-output fusion off: m, u and v updates are 3 kernels.
    limitBindings(1);
    const off = await adamRun(4);
    for (const c of off.counts.slice(2)) expect(c).toEqual({ eager: 12, jit: 3 });
    off.release();
  });

  it('fits the group in 8 storage bindings (its scalars read as parameters), splits it in 6, equal to eager', async () => {
    // m, u, the gradient and the weights in, m, u and the weights out: 7 storage bindings, besides
    // 1 - beta1, 1 - beta2, the bias-corrected rate and epsilon (bound as storage before: 2 kernels).
    limitBindings(8);
    const fits = await adamRun(4);
    for (const c of fits.counts.slice(2)) expect(c).toEqual({ eager: 12, jit: 1 });
    fits.release();
    limitBindings(6);
    const { counts, release } = await adamRun(4);
    for (const c of counts.slice(2)) expect(c).toEqual({ eager: 12, jit: 2 });
    release();
  });

  it('stores a value read inside and outside a chain from the chain kernel (broadcast input)', async () => {
    const fn = (x: Tensor, b: Tensor) => {
      const a = x.mul(b).exp();
      return [a.add(1).log().mul(b), a.sum(1)];
    };
    const x = randomNormal([37, 6], { seed: 2 });
    const b = randomNormal([6], { seed: 3 });
    let eager: Tensor[] = [];
    const eagerCount = await dispatches(() => (eager = fn(x, b)));
    const f = jit(fn);
    f(x, b).forEach((t) => t.dispose());
    f(x, b).forEach((t) => t.dispose());
    let jitted: Tensor[] = [];
    const jitCount = await dispatches(() => (jitted = f(x, b)));
    expect(eagerCount).toBe(6);
    // Before multi-output fusion: exp(x*b) as one kernel, the log chain another, the sum a third.
    expect(jitCount).toBe(2);
    for (let i = 0; i < 2; i++) await expectClose(jitted[i], eager[i], 1e-5);
    [...eager, ...jitted, x, b].forEach((t) => t.dispose());
    f.dispose();
  });

  it('runs relu and momentum updates in matmul stores (9 dispatches, 12 without), equal to eager over 5 steps', async () => {
    const run = async (jitted: boolean) => {
      const w = [randomNormal([32, 16], { seed: 3 }), randomNormal([16, 4], { seed: 4 })].map((t) =>
        variable(t.mul(0.2)),
      );
      const m = w.map((v) => variable(v.mul(0), { trainable: false }));
      const step = (x: Tensor, y: Tensor) => {
        const tape = new GradientTape();
        const loss = tape.record(() => x.matmul(w[0]).relu().matmul(w[1]).sub(y).square().mean());
        const grads = tape.gradient(loss, w) as Tensor[];
        w.forEach((v, i) => {
          m[i].assign(m[i].mul(0.9).add(grads[i].mul(0.1)));
          v.assignSub(m[i].mul(0.05).div(m[i].square().add(1e-7).sqrt().add(1)));
        });
        return loss;
      };
      const f = jitted ? jit(step) : step;
      const x = randomNormal([8, 32], { seed: 5 });
      const y = randomNormal([8, 4], { seed: 6 });
      let last = 0;
      for (let i = 0; i < 5; i++) last = await dispatches(() => f(x, y).dispose());
      if (jitted) (f as ReturnType<typeof jit>).dispose();
      return { last, vars: [...w, ...m], release: () => [...w, ...m, x, y].forEach((t) => t.dispose()) };
    };
    const eager = await run(false);
    const jitted = await run(true);
    expect(jitted.last).toBe(9);
    for (let i = 0; i < 4; i++) await expectClose(jitted.vars[i], eager.vars[i], 1e-5);
    limitBindings(1);
    const off = await run(true);
    expect(off.last).toBe(12);
    [eager, jitted, off].forEach((r) => r.release());
  });

  it('computes softmax and a shared chain in the reductions reading them, storing them (values as eager)', async () => {
    const softmax = (x: Tensor) => {
      const e = x.sub(x.max(1, true)).exp();
      return [e.div(e.sum(1, true))];
    };
    const shared = (x: Tensor) => {
      const e = x.exp().mul(2);
      return [e.square().sum(1), e.add(1)];
    };
    // Rows of 40 (one invocation per row) and of 20000 (two passes, the first reading the chain).
    for (const shape of [
      [37, 40],
      [2, 20000],
    ]) {
      const x = randomNormal(shape, { seed: 7 });
      // Each reduction of a long row is two dispatches.
      const passes = shape[1] > 8192 ? 2 : 1;
      for (const [fn, want] of [
        [softmax, 2 * passes + 1],
        [shared, passes + 1],
      ] as const) {
        let eager: Tensor[] = [];
        await dispatches(() => (eager = fn(x)));
        const f = jit(fn);
        f(x).forEach((t) => t.dispose());
        f(x).forEach((t) => t.dispose());
        let got: Tensor[] = [];
        expect(await dispatches(() => (got = f(x)))).toBe(want);
        for (let i = 0; i < got.length; i++) await expectClose(got[i], eager[i], 1e-5);
        [...eager, ...got].forEach((t) => t.dispose());
        f.dispose();
      }
      x.dispose();
    }
  });
});
