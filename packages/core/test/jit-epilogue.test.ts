// Epilogue fusion: which matmuls absorb their elementwise reader (structure of the pass), and a
// backend without matmulEpilogue (the CPU one, made to fuse) replaying the merged steps unfused,
// equal to eager, gradients of a jitted dense layer included.
import { beforeAll, describe, expect, it } from 'vitest';
import { FusingCpu, outputsOf, stepOps, trace } from './jit-pass-helpers.js';
import {
  ENGINE,
  GradientTape,
  jit,
  randomNormal,
  setBackend,
  tensor,
  variable,
  type Tensor,
} from '../src/index.js';
import type { Graph } from '../src/jit/graph.js';
import { fuseElementwise } from '../src/jit/passes/fuse-elementwise.js';
import { fuseEpilogues } from '../src/jit/passes/fuse-epilogue.js';
import { asSteps, type EpilogueStep } from '../src/jit/passes/plan.js';

const kept = outputsOf;
const passes = (g: Graph, max?: number) =>
  fuseEpilogues(fuseElementwise(asSteps(g.nodes), g.valueSigs, kept(g)), g.valueSigs, kept(g), max);
const ops = stepOps;

beforeAll(async () => {
  ENGINE.registerBackend('cpu-fusing', () => new FusingCpu(), 0);
  await setBackend('cpu');
});

describe('epilogue fusion pass', () => {
  const x = randomNormal([4, 3], { seed: 1 });
  const w = randomNormal([3, 5], { seed: 2 });
  const b = randomNormal([5], { seed: 3 });

  it('merges a matmul with the fused chain reading it (bias, activation, scale)', () => {
    const g = trace((u, v, c) => u.matmul(v).add(c).relu().mul(2), x, w, b);
    const steps = passes(g);
    expect(ops(steps)).toEqual(['const', 'epilogue']);
    const e = steps[1] as EpilogueStep;
    expect(e.fused).toHaveLength(4);
    expect(e.inputs).toHaveLength(2); // bias and the constant 2
    expect(e.output).toBe(g.outputs[0]);
    // argument 0 is the product: relu(p + bias) * 2 at p = -1, bias = 3
    const args = [-1, ...e.inputs.map((r) => (r === -3 ? 3 : 2))];
    expect(e.kernel.cpu(...args)).toBe(4);
  });

  it('merges a single elementwise reader', () => {
    const g = trace((u, v) => u.matmul(v).sigmoid(), x, w);
    expect(ops(passes(g))).toEqual(['epilogue']);
  });

  it('leaves a product that is read twice, kept, broadcast to a larger shape or over the input cap', () => {
    const twice = trace(
      (u, v) => {
        const p = u.matmul(v);
        return p.relu().add(p.sum());
      },
      x,
      w,
    );
    expect(ops(passes(twice))).toContain('matmul');
    const keptToo = trace((u, v) => [u.matmul(v), u.matmul(v).exp()], x, w);
    expect(ops(passes(keptToo))).toEqual(['matmul', 'epilogue']);
    const wider = trace((u, v) => u.matmul(v).add(tensor([[[1]], [[2]]])), x, w);
    expect(ops(passes(wider))).toContain('matmul');
    const many = trace((u, v, c, d) => u.matmul(v).add(c).mul(d).sub(c.neg()), x, w, b, b.exp());
    expect(ops(passes(many, 1))).toContain('matmul');
    expect(ops(passes(many))).toContain('epilogue');
  });

  it('merges a conv2d with its bias and activation', () => {
    const img = randomNormal([1, 4, 4, 3], { seed: 4 });
    const filter = randomNormal([2, 2, 3, 5], { seed: 5 });
    const g = trace((u, v, c) => u.conv2d(v).add(c).relu(), img, filter, b);
    expect(ops(passes(g))).toEqual(['epilogue']);
  });

  it('leaves a reader with a bool result', () => {
    const g = trace((u, v) => u.matmul(v).greater(0), x, w);
    expect(ops(passes(g))).toContain('matmul');
  });
});

describe('epilogue steps replayed unfused (a backend without matmulEpilogue)', () => {
  it('gives eager values for a dense layer and its gradients', async () => {
    await setBackend('cpu-fusing');
    const x = randomNormal([6, 4], { seed: 5 });
    const w = variable(randomNormal([4, 3], { seed: 6 }));
    const b = variable(randomNormal([3], { seed: 7 }));
    const step = (u: Tensor) => {
      const tape = new GradientTape();
      const loss = tape.record(() =>
        u.matmul(w).add(b).tanh().matmul(w, { transposeB: true }).square().mean(),
      );
      return [loss, ...(tape.gradient(loss, [w, b]) as Tensor[])];
    };
    const want = await Promise.all(step(x).map((t) => t.data()));
    const f = jit(step);
    f(x).forEach((t) => t.dispose());
    const got = await Promise.all(f(x).map((t) => t.data()));
    got.forEach((g, k) => g.forEach((v, i) => expect(v).toBeCloseTo(want[k][i], 10)));
    f.dispose();
    await setBackend('cpu');
  });

  it('gives eager values for conv2d epilogues (bias, residual, per-image scale) and their gradients', async () => {
    await setBackend('cpu-fusing');
    const x = randomNormal([2, 5, 5, 2], { seed: 8 });
    const w = variable(randomNormal([3, 3, 2, 3], { seed: 9 }));
    const b = variable(randomNormal([3], { seed: 10 }));
    const r = randomNormal([2, 5, 5, 3], { seed: 11 });
    const w2 = variable(randomNormal([3, 3, 3, 2], { seed: 13 }));
    const c = randomNormal([2, 1, 1, 2], { seed: 12 });
    const step = (u: Tensor) => {
      const tape = new GradientTape();
      const loss = tape.record(() => {
        const h = u.conv2d(w, { padding: 'same' }).add(b).relu().add(r);
        return h.conv2d(w2, { padding: 'same' }).mul(c).square().mean();
      });
      return [loss, ...(tape.gradient(loss, [w, b, w2]) as Tensor[])];
    };
    const want = await Promise.all(step(x).map((t) => t.data()));
    const f = jit(step);
    f(x).forEach((t) => t.dispose());
    const got = await Promise.all(f(x).map((t) => t.data()));
    got.forEach((g, k) => g.forEach((v, i) => expect(v).toBeCloseTo(want[k][i], 10)));
    f.dispose();
    await setBackend('cpu');
  });
});
