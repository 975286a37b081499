// jit's `direct` option: after one verifying shadow run, calls skip fn's JavaScript; declared host
// scalars and effects follow host state, Variables written outside are seen, and anything that
// cannot be replayed directly keeps running fn. Values are checked against hand-computed numbers.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  GradientTape,
  hostEffect,
  hostScalar,
  jit,
  memory,
  setBackend,
  tensor,
  tidy,
  variable,
  type Tensor,
} from '../src/index.js';

beforeAll(async () => {
  await setBackend('cpu');
});

const values = async (t: Tensor) => Array.from(await t.data());

describe('jit direct', () => {
  it('skips fn after one shadow run, reading declared host scalars and running effects each call', async () => {
    const w = variable(tensor([1, 2]));
    let runs = 0;
    let lr = 0.5;
    let steps = 0;
    const step = jit(
      (x: Tensor) => {
        runs++;
        tidy(() => w.assign(w.sub(x.mul(hostScalar(() => lr)))));
        hostEffect(() => steps++);
      },
      { direct: true },
    );
    const x = tensor([1, 10]);
    const expected = [1, 2];
    for (let call = 0; call < 6; call++) {
      if (call === 3) lr = 0.25;
      if (call === 4) {
        // Written outside between calls: the next call starts from it.
        w.assign(tensor([100, 200]));
        expected.splice(0, 2, 100, 200);
      }
      step(x);
      expected[0] -= lr * 1;
      expected[1] -= lr * 10;
      expect(await values(w), `call ${call}`).toEqual(expected);
    }
    expect(runs).toBe(2);
    expect(steps).toBe(6);
    expect(step.traceCount).toBe(1);
    step.dispose();
    w.dispose();
    x.dispose();
  });

  it('takes each call’s argument tensors', async () => {
    const w = variable(tensor([0, 0]));
    let runs = 0;
    const step = jit(
      (x: Tensor) => {
        runs++;
        w.assign(w.add(x));
      },
      { direct: true },
    );
    for (const v of [1, 2, 3, 4]) {
      const x = tensor([v, -v]);
      step(x);
      x.dispose();
    }
    expect(await values(w)).toEqual([10, -10]);
    expect(runs).toBe(2);
    step.dispose();
    w.dispose();
  });

  it('keeps running fn when a host number changes without being declared', async () => {
    const w = variable(tensor([0]));
    let runs = 0;
    let k = 1;
    const step = jit(
      () => {
        runs++;
        w.assign(w.add(k));
      },
      { direct: true },
    );
    for (let call = 0; call < 4; call++, k *= 2) step();
    // 1 + 2 + 4 + 8: every call saw its own k.
    expect(await values(w)).toEqual([15]);
    expect(runs).toBe(4);
    step.dispose();
    w.dispose();
  });

  it('returns a computed result without running fn; a Variable returned, or plain jit, keeps running fn', async () => {
    let runs = 0;
    const w = variable(tensor([0]));
    const withResult = jit(
      (x: Tensor) => {
        runs++;
        w.assign(w.add(1));
        return x.mul(w);
      },
      { direct: true },
    );
    const x = tensor([1, 2]);
    for (let i = 1; i <= 4; i++) {
      const y = withResult(x);
      expect(await values(y), `call ${i}`).toEqual([i, 2 * i]);
      y.dispose();
    }
    expect(runs).toBe(2);
    let varRuns = 0;
    const returnsVariable = jit(
      () => {
        varRuns++;
        w.assign(w.add(1));
        return w;
      },
      { direct: true },
    );
    for (let i = 0; i < 3; i++) expect(returnsVariable()).toBe(w);
    expect(varRuns).toBe(3);
    let plainRuns = 0;
    const plain = jit(() => {
      plainRuns++;
      w.assign(w.add(1));
    });
    for (let i = 0; i < 3; i++) plain();
    expect(plainRuns).toBe(3);
    expect(await values(w)).toEqual([10]);
    for (const f of [withResult, returnsVariable, plain]) f.dispose();
    x.dispose();
    w.dispose();
  });

  it('runs fn under a recording tape, so gradients through the call are right', async () => {
    const x = variable(tensor([1, 2]));
    let runs = 0;
    const f = jit(
      (a: Tensor) => {
        runs++;
        return a.square().mul(3);
      },
      { direct: true },
    );
    for (let i = 0; i < 2; i++) f(x).dispose();
    expect(runs).toBe(2);
    const tape = new GradientTape();
    const y = tape.record(() => f(x).sum());
    const [g] = tape.gradient(y, [x]);
    // d/dx sum(3x²) = 6x.
    expect(await values(g as Tensor)).toEqual([6, 12]);
    expect(runs).toBe(3);
    for (const t of [y, g as Tensor, x]) t.dispose();
    f.dispose();
  });

  it('runs fn again when a captured tensor was replaced, and keeps memory flat', async () => {
    const w = variable(tensor([0]));
    let c = tensor([1]);
    let runs = 0;
    const step = jit(
      () => {
        runs++;
        w.assign(w.add(c));
      },
      { direct: true },
    );
    step();
    step();
    step();
    expect(runs).toBe(2);
    c.dispose();
    c = tensor([10]);
    step();
    expect(runs).toBe(3);
    expect(await values(w)).toEqual([13]);
    const before = memory();
    for (let i = 0; i < 20; i++) step();
    expect(memory().numTensors).toBe(before.numTensors);
    expect(memory().numBytes).toBe(before.numBytes);
    expect(await values(w)).toEqual([213]);
    step.dispose();
    w.dispose();
    c.dispose();
  });
});
