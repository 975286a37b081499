// Prologue fusion: which reductions absorb the elementwise kernel producing their input (structure
// of the pass), and a backend without reducePrologue (the CPU one, made to fuse) replaying the
// merged steps unfused, equal to eager, gradients included.
import { beforeAll, describe, expect, it } from 'vitest';
import { FusingCpu, outputsOf, stepOps, trace } from './jit-pass-helpers.js';
import { ENGINE, GradientTape, jit, randomNormal, setBackend, variable, type Tensor } from '../src/index.js';
import type { Graph } from '../src/jit/graph.js';
import { fuse } from '../src/jit/passes/fuse.js';
import { fuseElementwise } from '../src/jit/passes/fuse-elementwise.js';
import { fusePrologues } from '../src/jit/passes/fuse-prologue.js';
import { asSteps, type PrologueStep } from '../src/jit/passes/plan.js';

const kept = outputsOf;
const ops = stepOps;

beforeAll(async () => {
  ENGINE.registerBackend('cpu-fusing-prologue', () => new FusingCpu(), 0);
  await setBackend('cpu');
});

describe('prologue fusion pass', () => {
  const x = randomNormal([4, 6], { seed: 1 });
  const c = randomNormal([4, 1], { seed: 2 });

  it('merges a fused chain read only by a sum, the reduction last', () => {
    const g = trace((u, v) => u.sub(v).exp().sum(1), x, c);
    const steps = fuse(asSteps(g.nodes), g.valueSigs, kept(g));
    expect(ops(steps)).toEqual(['prologue']);
    const p = steps[0] as PrologueStep;
    expect(p.fused).toHaveLength(3);
    expect(p.inputs).toHaveLength(2);
    expect(p.output).toBe(g.outputs[0]);
    // exp(u - v) at u = 2, v = 1
    expect(p.kernel.cpu(...p.inputs.map((r) => (r === -1 ? 2 : 1)))).toBeCloseTo(Math.E, 6);
  });

  it('merges a single primitive into max and min, not into argMax', () => {
    const g = trace((u) => [u.abs().max(1), u.neg().min(1), u.square().argMax(1)], x);
    const steps = fusePrologues(asSteps(g.nodes), g.valueSigs, kept(g));
    expect(ops(steps)).toEqual(['prologue', 'prologue', 'square', 'argMax']);
  });

  it('leaves an input read twice, kept, or int32', () => {
    const twice = trace((u) => {
      const e = u.exp();
      return e.sum(1).add(e.max(1));
    }, x);
    // (The single-output pass; fuse-prologue-stores.ts merges these, storing e: jit-prologue-stores.test.ts.)
    const single = (g: Graph) =>
      fusePrologues(fuseElementwise(asSteps(g.nodes), g.valueSigs, kept(g)), g.valueSigs, kept(g));
    expect(ops(single(twice))).not.toContain('prologue');
    const keptToo = trace((u) => {
      const e = u.exp();
      return [e, e.sum()];
    }, x);
    expect(ops(single(keptToo))).not.toContain('prologue');
    const ints = trace((u) => u.cast('int32').abs().sum(), x);
    const steps = fusePrologues(
      fuseElementwise(asSteps(ints.nodes), ints.valueSigs, kept(ints)),
      ints.valueSigs,
      kept(ints),
    );
    expect(ops(steps)).not.toContain('prologue');
  });
});

describe('prologue steps replayed unfused (a backend without reducePrologue)', () => {
  it('gives eager values for logSumExp, mean of squares and a gradient through them', async () => {
    await setBackend('cpu-fusing-prologue');
    const x = randomNormal([5, 7], { seed: 3 });
    const w = variable(randomNormal([7, 7], { seed: 4 }));
    const step = (u: Tensor) => {
      const tape = new GradientTape();
      const loss = tape.record(() => u.matmul(w).logSumExp(1).square().mean());
      return [loss, u.square().mean(1), u.logSumExp(0), tape.gradient(loss, [w])[0] as Tensor];
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
