// Multi-output fusion: which elementwise groups merge into one kernel storing several values (an
// Adam update's m, u and v; a value read inside and outside a chain), the storage-binding limit,
// and a backend without elementwiseMulti (the CPU one, made to fuse) replaying the merged steps
// unfused, equal to eager.
import { beforeAll, describe, expect, it } from 'vitest';
import { FusingCpu, keptOf, stepOps, trace } from './jit-pass-helpers.js';
import { ENGINE, jit, randomNormal, setBackend, variable, type Tensor, type Variable } from '../src/index.js';
import type { Graph } from '../src/jit/graph.js';
import { fuse } from '../src/jit/passes/fuse.js';
import { fuseElementwise } from '../src/jit/passes/fuse-elementwise.js';
import { fuseMultiOutput } from '../src/jit/passes/fuse-multi.js';
import { asSteps, stepInputs, stepOutputs, type ExecStep, type MultiStep } from '../src/jit/passes/plan.js';

const kept = keptOf;
const passes = (g: Graph, max?: number) => fuse(asSteps(g.nodes), g.valueSigs, kept(g), max);
/** The steps that run a kernel (constants and identities do not). */
const kernels = (steps: readonly ExecStep[]) => stepOps(steps).filter((o) => o !== 'const' && o !== 'assign');

/** Keras's Adam update of `w` (slots m, u) by gradient g at step size alpha. */
function adam(w: Variable, m: Variable, u: Variable, g: Tensor, alpha: number): void {
  m.assign(m.add(g.sub(m).mul(0.1)));
  u.assign(u.add(g.square().sub(u).mul(0.001)));
  w.assignSub(m.mul(alpha).div(u.sqrt().add(1e-7)));
}

async function values(ts: Tensor[]): Promise<number[][]> {
  return Promise.all(ts.map(async (t) => Array.from(await t.data())));
}

beforeAll(async () => {
  ENGINE.registerBackend('cpu-fusing', () => new FusingCpu(), 0);
  await setBackend('cpu');
});

describe('multi-output fusion pass', () => {
  const shape = [5, 3];
  const vars = () => [0, 1, 2].map((i) => variable(randomNormal(shape, { seed: 10 + i }).square()));

  it("merges an Adam update's m, u and v kernels (3) into one step storing all three", () => {
    const [w, m, u] = vars();
    const g = trace((grad) => (adam(w, m, u, grad, 0.01), grad), randomNormal(shape, { seed: 4 }));
    const steps = passes(g, 12);
    expect(kernels(steps)).toEqual(['multi']);
    const multi = steps.find((s): s is MultiStep => s.op === 'multi') as MultiStep;
    expect(multi.outputs).toHaveLength(3);
    expect(multi.inputs.length + multi.outputs.length).toBeLessThanOrEqual(12);
    // Each Variable write (an assign of a computed value) reads a stored value.
    const assigned = (v: number) => {
      const s = steps.find((t) => stepOutputs(t).includes(v));
      return s?.op === 'node' && s.node.op === 'prim' && s.node.prim === 'assign' ? stepInputs(s)[0] : v;
    };
    expect(g.writes).toHaveLength(3);
    for (const w of g.writes) expect(multi.outputs).toContain(assigned(w.ref));
    // Without multi-output fusion the three updates are three kernels.
    expect(kernels(fuse(asSteps(g.nodes), g.valueSigs, kept(g), 0))).toEqual(['fused', 'fused', 'fused']);
  });

  it('keeps inputs + outputs of every merged kernel within the storage-binding limit (groups split)', () => {
    const [w, m, u] = vars();
    const g = trace((grad) => (adam(w, m, u, grad, 0.01), grad), randomNormal(shape, { seed: 4 }));
    // 8 inputs (w, m, u, g, 4 scalars) and 3 outputs need 11; at 8 the m and u updates share a kernel.
    expect(kernels(passes(g, 11))).toEqual(['multi']);
    expect(kernels(passes(g, 10)).sort()).toEqual(['fused', 'multi']);
    expect(kernels(passes(g, 8)).sort()).toEqual(['fused', 'multi']);
    expect(kernels(passes(g, 6))).toEqual(['fused', 'fused', 'fused']);
    for (const max of [6, 7, 8, 9, 10, 11, 12])
      for (const s of passes(g, max))
        if (s.op === 'multi') expect(s.inputs.length + s.outputs.length).toBeLessThanOrEqual(max);
  });

  it('stores a value read inside and outside a chain from the chain kernel', () => {
    const x = randomNormal([4, 6], { seed: 5 });
    const g = trace((t) => {
      const a = t.mul(3).exp();
      return [a.add(1).log(), a.sum()];
    }, x);
    const steps = passes(g);
    expect(kernels(steps)).toEqual(['multi', 'sum']);
    const multi = steps.find((s): s is MultiStep => s.op === 'multi') as MultiStep;
    expect(multi.outputs).toContain(g.outputs[0]);
    expect(multi.outputs).toHaveLength(2);
  });

  it('leaves groups apart when an outside reader of the first runs before the second', () => {
    const x = randomNormal([4, 6], { seed: 5 });
    const g = trace((t) => {
      const a = t.mul(3).exp();
      return a.add(a.sum()).log();
    }, x);
    const multi = fuseMultiOutput(
      fuseElementwise(asSteps(g.nodes), g.valueSigs, kept(g)),
      g.valueSigs,
      kept(g),
    );
    expect(kernels(multi)).toEqual(['fused', 'sum', 'fused']);
    // (The sum then computes the first group as it reads, storing it: fuse-prologue-stores.ts.)
    expect(kernels(passes(g))).toEqual(['prologue', 'fused']);
  });
});

describe('multi-output steps replayed on a backend without elementwiseMulti', () => {
  it('gives the eager Adam updates over 5 jitted steps', async () => {
    const shape = [7, 3];
    await setBackend('cpu-fusing');
    const run = async (jitted: boolean) => {
      const [w, m, u] = [0, 1, 2].map((i) => variable(randomNormal(shape, { seed: 20 + i }).square()));
      const step = (g: Tensor, alpha: number) => adam(w, m, u, g, alpha);
      const f = jitted ? jit(step) : step;
      for (let i = 0; i < 5; i++) {
        const g = randomNormal(shape, { seed: 30 + i });
        f(g, 0.01 / (i + 1));
        g.dispose();
      }
      const out = await values([w, m, u]);
      [w, m, u].forEach((v) => v.dispose());
      if (jitted) (f as ReturnType<typeof jit>).dispose();
      return out;
    };
    const eager = await run(false);
    const fused = await run(true);
    await setBackend('cpu');
    fused.forEach((vs, k) => vs.forEach((v, i) => expect(v).toBeCloseTo(eager[k][i], 6)));
  });

  it('gives the eager values of a chain read inside and outside, with a broadcast input', async () => {
    const fn = (t: Tensor, b: Tensor) => {
      const a = t.mul(b).exp();
      return [a.add(1).log().mul(b), a.sum(1)];
    };
    await setBackend('cpu-fusing');
    const x = randomNormal([4, 6], { seed: 6 });
    const b = randomNormal([6], { seed: 7 });
    const eager = await values(fn(x, b));
    const f = jit(fn);
    f(x, b);
    const jitted = await values(f(x, b));
    f.dispose();
    await setBackend('cpu');
    jitted.forEach((vs, k) => vs.forEach((v, i) => expect(v).toBeCloseTo(eager[k][i], 5)));
  });
});
