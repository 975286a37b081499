// Reduction prologues storing several values: a sum computing the elementwise chain it reads and
// storing it for its other readers (softmax's exp(x - max) next to its sum; a chain read by a
// prologue and by another kernel), the binding limit, and a backend without reducePrologueStores
// (the CPU one, made to fuse) replaying them as elementwise kernels and a reduction, equal to eager.
import { beforeAll, describe, expect, it } from 'vitest';
import { FusingCpu, outputsOf, stepOps, trace } from './jit-pass-helpers.js';
import { ENGINE, jit, randomNormal, setBackend, type Tensor } from '../src/index.js';
import { fuse } from '../src/jit/passes/fuse.js';
import { asSteps, type ExecStep, type PrologueStep } from '../src/jit/passes/plan.js';

const kept = outputsOf;
const kernels = (steps: readonly ExecStep[]) =>
  stepOps(steps).filter((o) => !['const', 'reshape', 'stopGradient'].includes(o));

/** Softmax over rows, written out: exp(x - max) is read by its sum and by the division. */
const softmax = (x: Tensor) => {
  const e = x.sub(x.max(1, true)).exp();
  return e.div(e.sum(1, true));
};
/** A chain read by a prologue (the sum of its squares) and by another kernel. */
const shared = (x: Tensor) => {
  const e = x.exp().mul(2);
  return [e.square().sum(1), e.add(1)];
};

beforeAll(async () => {
  ENGINE.registerBackend('cpu-fusing', () => new FusingCpu(), 0);
  await setBackend('cpu');
});

describe('prologue stores pass', () => {
  const x = randomNormal([4, 6], { seed: 1 });

  it("computes softmax's exp(x - max) in its sum, which stores it for the division", () => {
    const g = trace(softmax, x);
    const steps = fuse(asSteps(g.nodes), g.valueSigs, kept(g), 8);
    expect(kernels(steps)).toEqual(['max', 'prologue', 'div']);
    const p = steps.find((s): s is PrologueStep => s.op === 'prologue') as PrologueStep;
    expect(p.also?.outputs).toHaveLength(1);
    // Without room for the stored value it stays an elementwise kernel and a plain sum.
    expect(kernels(fuse(asSteps(g.nodes), g.valueSigs, kept(g), 3))).toEqual(['max', 'fused', 'sum', 'div']);
  });

  it('merges a chain read by a prologue and by another kernel into the prologue, storing it', () => {
    const g = trace(shared, x);
    expect(kernels(fuse(asSteps(g.nodes), g.valueSigs, kept(g), 8))).toEqual(['prologue', 'add']);
    expect(kernels(fuse(asSteps(g.nodes), g.valueSigs, kept(g), 2))).toEqual(['fused', 'prologue', 'add']);
  });
});

describe('prologue stores replayed on a backend without reducePrologueStores', () => {
  it('gives the eager values of a softmax and of a shared chain', async () => {
    await setBackend('cpu-fusing');
    const x = randomNormal([5, 7], { seed: 2 });
    for (const fn of [(t: Tensor) => [softmax(t)], shared]) {
      const eager = await Promise.all(fn(x).map((t) => t.data()));
      const f = jit(fn);
      f(x);
      const got = await Promise.all(f(x).map((t) => t.data()));
      f.dispose();
      got.forEach((vs, k) => vs.forEach((v, i) => expect(v).toBeCloseTo(eager[k][i], 6)));
    }
    await setBackend('cpu');
  });
});
