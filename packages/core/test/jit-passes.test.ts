// The jit passes on traced graphs: dead-code elimination, elementwise fusion and the liveness plan.
import { beforeAll, describe, expect, it } from 'vitest';
import { randomNormal, setBackend, tensor } from '../src/index.js';
import { eliminateDeadCode } from '../src/jit/passes/dce.js';
import { fuseElementwise } from '../src/jit/passes/fuse-elementwise.js';
import { planLiveness } from '../src/jit/passes/liveness.js';
import { asSteps, stepOutputs, type FusedStep } from '../src/jit/passes/plan.js';
import { outputsOf as kept, stepOps as prims, trace } from './jit-pass-helpers.js';

beforeAll(async () => {
  await setBackend('cpu');
});

describe('dead-code elimination', () => {
  it('drops what the result does not depend on, keeps what it does', () => {
    const g = trace(
      (x) => {
        x.exp().sum(); // unused
        return x.neg();
      },
      tensor([1, 2]),
    );
    expect(prims(asSteps(g.nodes))).toEqual(['exp', 'sum', 'neg']);
    expect(prims(eliminateDeadCode(asSteps(g.nodes), kept(g)))).toEqual(['neg']);
  });

  it('keeps values kept for other reasons (Variable writes, live tensors)', () => {
    const g = trace((x) => [x.exp(), x.neg()], tensor([1]));
    expect(prims(eliminateDeadCode(asSteps(g.nodes), new Set([g.outputs[1]])))).toEqual(['neg']);
    expect(prims(eliminateDeadCode(asSteps(g.nodes), kept(g)))).toEqual(['exp', 'neg']);
  });
});

describe('elementwise fusion', () => {
  it('fuses a chain with broadcasts and scalar constants into one step reading each tensor once', () => {
    const x = randomNormal([4, 3], { seed: 1 });
    const b = randomNormal([3], { seed: 2 });
    const g = trace((u, v) => u.mul(v).add(1).tanh().sub(v).relu(), x, b);
    const steps = fuseElementwise(asSteps(g.nodes), g.valueSigs, kept(g));
    expect(prims(steps)).toEqual(['const', 'fused']);
    const f = steps[1] as FusedStep;
    expect(f.fused).toHaveLength(5);
    expect(f.inputs).toHaveLength(3);
    expect(f.output).toBe(g.outputs[0]);
  });

  it("gives the fused kernel's float64 reference the composition of the primitives", () => {
    const g = trace((u) => u.mul(2).exp().add(u), tensor([0.5]));
    const f = fuseElementwise(asSteps(g.nodes), g.valueSigs, kept(g)).find(
      (s) => s.op === 'fused',
    ) as FusedStep;
    // inputs in order of first use: u, the constant 2
    const [ui, ci] = [f.inputs.indexOf(-1), f.inputs.findIndex((r) => r >= 0)];
    const args: number[] = [];
    args[ui] = 0.5;
    args[ci] = 2;
    expect(f.kernel.cpu(...args)).toBeCloseTo(Math.exp(1) + 0.5, 6);
    expect(f.kernel.steps).toHaveLength(3);
  });

  it('does not fuse away a value read outside the group or kept, nor a bool result or int32 value', () => {
    const x = tensor([1, -2]);
    const g1 = trace((u) => {
      const e = u.exp();
      return [e.neg(), e.sum()];
    }, x);
    expect(prims(fuseElementwise(asSteps(g1.nodes), g1.valueSigs, kept(g1)))).toEqual(['exp', 'neg', 'sum']);
    const g2 = trace((u) => [u.exp(), u.exp().neg()], x);
    const s2 = fuseElementwise(asSteps(g2.nodes), g2.valueSigs, kept(g2));
    expect(prims(s2)).toEqual(['exp', 'fused']);
    // A bool intermediate fuses (0/1 in f32); a bool result, or an int32 value, does not.
    const g3 = trace((u) => u.greater(0).cast('float32').neg(), x);
    expect(prims(fuseElementwise(asSteps(g3.nodes), g3.valueSigs, kept(g3)))).toEqual(['const', 'fused']);
    const g4 = trace((u) => u.neg().greater(0), x);
    expect(prims(fuseElementwise(asSteps(g4.nodes), g4.valueSigs, kept(g4)))).toEqual([
      'neg',
      'const',
      'greater',
    ]);
    const g5 = trace((u) => u.cast('int32').cast('float32').neg(), x);
    expect(prims(fuseElementwise(asSteps(g5.nodes), g5.valueSigs, kept(g5)))).toEqual(['cast', 'fused']);
  });

  it('caps the number of tensors a fused kernel reads', () => {
    const xs = Array.from({ length: 6 }, (_, i) => tensor([i]));
    const g = trace((...t) => t.reduce((a, b) => a.add(b)), ...xs);
    const steps = fuseElementwise(asSteps(g.nodes), g.valueSigs, kept(g), 3);
    for (const s of steps) if (s.op === 'fused') expect(s.inputs.length).toBeLessThanOrEqual(3);
    expect(steps.length).toBeGreaterThan(1);
    expect(stepOutputs(steps[steps.length - 1])).toEqual([g.outputs[0]]);
  });
});

describe('liveness plan', () => {
  it('frees each value after its last reader and never a kept one', () => {
    const g = trace(
      (x) => {
        const a = x.exp();
        const b = a.neg();
        return b.add(a);
      },
      tensor([1]),
    );
    const steps = asSteps(g.nodes);
    const free = planLiveness(steps, kept(g));
    const [a, b] = [0, 1].map((k) => stepOutputs(steps[k])[0]);
    expect(free[2]).toEqual(expect.arrayContaining([a, b]));
    expect(free.flat()).not.toContain(g.outputs[0]);
  });
});
