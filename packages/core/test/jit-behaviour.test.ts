// jit behaviour on the CPU backend: replay equals eager, Variables, tapes, host numbers that change
// per call, random ops, retracing, errors, memory and dispose.
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  GradientTape,
  jit,
  memory,
  randomNormal,
  randomUniform,
  scalar,
  setBackend,
  tensor,
  tidy,
  variable,
  type Tensor,
} from '../src/index.js';

const close = async (a: Tensor, b: Tensor, tol = 1e-6) => {
  const [x, y] = [await a.data(), await b.data()];
  expect(a.shape).toEqual(b.shape);
  x.forEach((v, i) => expect(Math.abs(v - y[i])).toBeLessThanOrEqual(tol * (1 + Math.abs(y[i]))));
};

beforeAll(async () => {
  await setBackend('cpu');
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('jit', () => {
  it('replays a chain with the values eager gives, for new argument values', async () => {
    const f = (x: Tensor, y: Tensor) => x.mul(y).add(1).relu().sub(y.square());
    const g = jit(f);
    for (let i = 0; i < 3; i++) {
      const x = randomNormal([4, 5], { seed: i });
      const y = randomNormal([5], { seed: 10 + i });
      await close(g(x, y), f(x, y));
    }
    expect(g.traceCount).toBe(1);
  });

  it('retraces on a new shape and keeps both traces', async () => {
    const g = jit((x: Tensor) => x.sum(0).mul(2));
    await close(g(tensor([[1, 2]])), tensor([2, 4]));
    await close(g(tensor([[1], [2]])), tensor([6]));
    await close(g(tensor([[3, 4]])), tensor([6, 8]));
    expect(g.traceCount).toBe(2);
  });

  it('reads and assigns Variables inside; the new values are visible outside', async () => {
    const v = variable(tensor([1, 2, 3]));
    const step = jit((x: Tensor) => {
      v.assign(v.add(x));
      return v.mul(10);
    });
    for (let i = 1; i <= 3; i++) {
      const y = step(tensor([1, 1, 1]));
      expect(Array.from(await v.data())).toEqual([1 + i, 2 + i, 3 + i]);
      expect(Array.from(await y.data())).toEqual([10 * (1 + i), 10 * (2 + i), 10 * (3 + i)]);
    }
    expect(step.traceCount).toBe(1);
  });

  it('takes host numbers that change per call (a step size computed on the host)', async () => {
    const w = variable(tensor([0, 0]));
    let t = 0;
    const step = jit(() => {
      t++;
      w.assignAdd(tensor([1, 1]).mul(1 / t));
    });
    for (let i = 0; i < 4; i++) step();
    // 1 + 1/2 + 1/3 + 1/4
    await close(w, tensor([25 / 12, 25 / 12]));
    expect(step.traceCount).toBe(1);
  });

  it('computes gradients with a GradientTape (nested: second order) inside', async () => {
    const f = (x: Tensor) => {
      const outer = new GradientTape();
      const inner = new GradientTape();
      outer.watch(x);
      const [dy, total] = outer.record(() => {
        inner.watch(x);
        const y = inner.record(() => x.pow(3).sum());
        const d = inner.gradient(y, x) as Tensor;
        return [d, d.sum()];
      });
      return [dy, outer.gradient(total, x) as Tensor];
    };
    const g = jit(f);
    for (const v of [
      [1, 2],
      [3, -1],
    ]) {
      const [d1, d2] = g(tensor(v));
      await close(d1, tensor(v.map((a) => 3 * a * a)));
      await close(d2, tensor(v.map((a) => 6 * a)));
    }
    expect(g.traceCount).toBe(1);
  });

  it('draws fresh random values on every call unless seeded', async () => {
    const g = jit(() => randomUniform([64]));
    const a = await g().data();
    const b = await g().data();
    expect(Array.from(a)).not.toEqual(Array.from(b));
    const s = jit(() => randomUniform([8], { seed: 3 }));
    expect(Array.from(await s().data())).toEqual(Array.from(await s().data()));
    expect(Array.from(await s().data())).toEqual(Array.from(await randomUniform([8], { seed: 3 }).data()));
  });

  it('names the op and the shapes when a shape error happens inside', () => {
    const g = jit((a: Tensor, b: Tensor) => a.add(1).matmul(b));
    expect(() => g(tensor([[1, 2, 3]]), tensor([[1, 2]]))).toThrow(
      /matmul: inner dimensions differ: \[1,3\] x \[1,2\]/,
    );
  });

  it('warns when a function retraces on every call', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const g = jit((x: Tensor, n: number) => x.mul(n));
    for (let i = 0; i < 6; i++) g(scalar(1), i);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0][0])).toMatch(/traced on each of its last 5 calls/);
  });

  it('retraces when fn takes another path for the same signature', async () => {
    let flip = false;
    const g = jit((x: Tensor) => (flip ? x.neg() : x.exp()));
    await close(g(tensor([0, 1])), tensor([1, Math.E]));
    flip = true;
    await close(g(tensor([0, 1])), tensor([-0, -1]));
    await close(g(tensor([2, 1])), tensor([-2, -1]));
    expect(g.traceCount).toBe(2);
  });

  it('keeps memory flat over 1000 jitted steps, and dispose frees its buffers', () => {
    const w = variable(randomNormal([8, 4], { seed: 1 }));
    const step = jit((x: Tensor) => {
      const tape = new GradientTape();
      const loss = tape.record(() => x.matmul(w).square().mean());
      const g = tape.gradient(loss, w) as Tensor;
      w.assignSub(g.mul(0.01));
      return loss;
    });
    const x = randomNormal([16, 8], { seed: 2 });
    step(x).dispose();
    step(x).dispose();
    const before = memory();
    for (let i = 0; i < 1000; i++) step(x).dispose();
    const after = memory();
    expect(after.numTensors).toBe(before.numTensors);
    expect(after.numBytes).toBe(before.numBytes);
    expect(after.numBytesInBackend).toBe(before.numBytesInBackend);
    step.dispose();
    expect(memory().numBytesInBackend).toBeLessThan(after.numBytesInBackend);
  });

  it('returns ordinary tensors that tidy and dispose manage', () => {
    const g = jit((x: Tensor) => x.add(1));
    const x = tensor([1]);
    g(x).dispose();
    const n = memory().numTensors;
    tidy(() => {
      g(x);
    });
    expect(memory().numTensors).toBe(n);
  });
});
