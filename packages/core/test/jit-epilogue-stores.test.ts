// Epilogues storing several values: which readers of a matmul's result join its store (relu next
// to the x @ w + b its gradient reads; a chain behind reshapes; a weight update behind a Variable's
// assign), and a backend without matmulEpilogueStores (the CPU one, made to fuse) replaying them
// as a matmul and one kernel per value, equal to eager.
import { beforeAll, describe, expect, it } from 'vitest';
import { FusingCpu, keptOf, stepOps, trace } from './jit-pass-helpers.js';
import { ENGINE, GradientTape, jit, randomNormal, setBackend, variable, type Tensor } from '../src/index.js';
import type { Graph } from '../src/jit/graph.js';
import { fuse } from '../src/jit/passes/fuse.js';
import { asSteps, stepOutputs, type EpilogueStep, type ExecStep } from '../src/jit/passes/plan.js';

const kept = keptOf;
const kernels = (steps: readonly ExecStep[]) =>
  stepOps(steps).filter((o) => !['const', 'assign', 'reshape', 'stopGradient'].includes(o));

/** A momentum step on a 2-layer relu MLP (weights w, slots m). */
function momentumStep(w: Tensor[], m: Tensor[]) {
  return (x: Tensor, y: Tensor) => {
    const tape = new GradientTape();
    const loss = tape.record(() => x.matmul(w[0]).relu().matmul(w[1]).sub(y).square().mean());
    const grads = tape.gradient(loss, w as never) as Tensor[];
    w.forEach((v, i) => {
      (m[i] as ReturnType<typeof variable>).assign(m[i].mul(0.9).add(grads[i].mul(0.1)));
      (v as ReturnType<typeof variable>).assignSub(m[i].mul(0.05).div(m[i].square().add(1e-7).sqrt().add(1)));
    });
    return loss;
  };
}

beforeAll(async () => {
  ENGINE.registerBackend('cpu-fusing', () => new FusingCpu(), 0);
  await setBackend('cpu');
});

describe('epilogue stores pass', () => {
  const x = randomNormal([4, 3], { seed: 1 });
  const w = randomNormal([3, 5], { seed: 2 });
  const b = randomNormal([5], { seed: 3 });

  it('runs relu in the x @ w + b epilogue, which stores x @ w + b for its later readers', () => {
    const g = trace(
      (u, v, c) => {
        const h = u.matmul(v).add(c);
        return [h.relu(), h.mul(h.sum())];
      },
      x,
      w,
      b,
    );
    const steps = fuse(asSteps(g.nodes), g.valueSigs, kept(g), 8);
    expect(kernels(steps)).toEqual(['epilogue', 'sum', 'mul']);
    const e = steps.find((s): s is EpilogueStep => s.op === 'epilogue') as EpilogueStep;
    expect(e.output).toBe(g.outputs[0]);
    expect(e.also?.outputs).toHaveLength(1);
    // Without room for the stored value's binding it stays two kernels.
    expect(kernels(fuse(asSteps(g.nodes), g.valueSigs, kept(g), 4))).toEqual([
      'epilogue',
      'relu',
      'sum',
      'mul',
    ]);
  });

  it('leaves the reader of a product over 2^16 elements its own kernel', () => {
    const big = (rows: number) =>
      trace(
        (u, v, c) => {
          const h = u.matmul(v).add(c);
          return [h.relu(), h.mul(h.sum())];
        },
        randomNormal([rows, 3], { seed: 9 }),
        randomNormal([3, 256], { seed: 10 }),
        randomNormal([256], { seed: 11 }),
      );
    const at = (g: Graph) => kernels(fuse(asSteps(g.nodes), g.valueSigs, kept(g), 8));
    expect(at(big(256))).toEqual(['epilogue', 'sum', 'mul']); // 65536 elements
    expect(at(big(257))).toEqual(['epilogue', 'relu', 'sum', 'mul']);
  });

  it('reaches a matmul through reshapes read by nothing else', () => {
    const one = randomNormal([1, 3], { seed: 4 });
    const g = trace((u, v, c) => u.matmul(v).reshape([5]).mul(2).add(c), one, w, b);
    const steps = fuse(asSteps(g.nodes), g.valueSigs, kept(g), 8);
    expect(kernels(steps)).toEqual(['epilogue']);
    expect(stepOutputs(steps[steps.length - 1])).toEqual([g.outputs[0]]);
  });

  it('moves a reshape read by more after the merged step, which then stores the product', () => {
    const one = randomNormal([1, 3], { seed: 4 });
    const g = trace(
      (u, v, c) => {
        const r = u.matmul(v).reshape([5]);
        return [r.mul(2).add(c), r.exp().add(r.sum())];
      },
      one,
      w,
      b,
    );
    const steps = fuse(asSteps(g.nodes), g.valueSigs, kept(g), 8);
    expect(kernels(steps)).toEqual(['epilogue', 'sum', 'fused']);
    const e = steps[steps.findIndex((s) => s.op === 'epilogue')] as EpilogueStep;
    expect(e.also?.outputs).toHaveLength(1);
    // The reshape runs after it (it reads the stored product).
    const at = (v: number) => steps.findIndex((s) => stepOutputs(s).includes(v));
    const reshape = steps.findIndex(
      (s) => s.op === 'node' && s.node.op === 'prim' && s.node.prim === 'reshape',
    );
    expect(reshape).toBeGreaterThan(at(e.output));
  });

  it('runs each weight update of a momentum step in its gradient matmul, storing m (14 -> 10 kernels)', () => {
    const ws = [randomNormal([6, 5], { seed: 5 }), randomNormal([5, 2], { seed: 6 })].map((t) => variable(t));
    const ms = ws.map((t) => variable(t.mul(0)));
    const g = trace(
      momentumStep(ws, ms),
      randomNormal([3, 6], { seed: 7 }),
      randomNormal([3, 2], { seed: 8 }),
    );
    const on = fuse(asSteps(g.nodes), g.valueSigs, kept(g), 12);
    const off = fuse(asSteps(g.nodes), g.valueSigs, kept(g), 1);
    // Off: x @ w1, relu, the loss, scalar gradient seeds; per layer m's update in its gradient
    // matmul's epilogue, then the weight update.
    const scalars = ['prologue', 'div', 'div', 'fused'];
    expect(kernels(off)).toEqual([
      'matmul',
      'relu',
      'epilogue',
      ...scalars,
      'fused',
      'neg',
      'epilogue',
      'epilogue',
      'fused',
      'epilogue',
      'fused',
    ]);
    // On: relu in x @ w1 (storing x @ w1 for its gradient), the scalar neg joins its producer, and
    // each weight update runs in its gradient matmul with m's update (storing m).
    expect(kernels(on)).toEqual([
      'epilogue',
      'epilogue',
      ...scalars,
      'multi',
      'epilogue',
      'epilogue',
      'epilogue',
    ]);
    const stores = on.filter((s): s is EpilogueStep => s.op === 'epilogue' && s.also !== undefined);
    expect(stores.map((s) => s.also?.outputs.length)).toEqual([1, 1, 1]);
  });
});

describe('epilogue stores replayed on a backend without matmulEpilogueStores', () => {
  it('gives the eager weights of 4 jitted momentum steps', async () => {
    await setBackend('cpu-fusing');
    const run = async (jitted: boolean) => {
      const ws = [randomNormal([6, 5], { seed: 5 }), randomNormal([5, 2], { seed: 6 })].map((t) =>
        variable(t),
      );
      const ms = ws.map((t) => variable(t.mul(0)));
      const step = momentumStep(ws, ms);
      const f = jitted ? jit(step) : step;
      const [x, y] = [randomNormal([3, 6], { seed: 7 }), randomNormal([3, 2], { seed: 8 })];
      for (let i = 0; i < 4; i++) f(x, y).dispose();
      return Promise.all([...ws, ...ms].map(async (t) => Array.from(await t.data())));
    };
    const eager = await run(false);
    const fused = await run(true);
    await setBackend('cpu');
    fused.forEach((vs, k) => vs.forEach((v, i) => expect(v).toBeCloseTo(eager[k][i], 6)));
  });

  it('gives the eager values of relu with x @ w + b stored, and of chains behind reshapes (moved or not)', async () => {
    await setBackend('cpu-fusing');
    const fn = (u: Tensor, v: Tensor, c: Tensor, one: Tensor) => {
      const h = u.matmul(v).add(c);
      const r = one.matmul(v).reshape([5]);
      return [
        h.relu(),
        h.mul(h.sum()),
        one.matmul(v).reshape([5]).mul(2).add(c),
        r.mul(2).add(c),
        r.exp().add(r.sum()),
      ];
    };
    const args = [[4, 3], [3, 5], [5], [1, 3]].map((s, i) => randomNormal(s, { seed: 20 + i }));
    const eager = await Promise.all(fn(...(args as [Tensor, Tensor, Tensor, Tensor])).map((t) => t.data()));
    const f = jit(fn);
    f(...(args as [Tensor, Tensor, Tensor, Tensor]));
    const got = await Promise.all(f(...(args as [Tensor, Tensor, Tensor, Tensor])).map((t) => t.data()));
    f.dispose();
    await setBackend('cpu');
    got.forEach((vs, k) => vs.forEach((v, i) => expect(v).toBeCloseTo(eager[k][i], 5)));
  });
});
