// jit's `abstractTrace` option: the first call builds the graph without computing and runs it
// compiled; values are checked against hand-computed numbers, as are a Variable made inside fn
// (with and without abstractTrace: a shadow run used to bind it to a stand-in), a failed first
// call (Variables unchanged) and memory after the calls.
import { beforeAll, describe, expect, it } from 'vitest';
import { jit, memory, setBackend, tensor, variable, type Tensor, type Variable } from '../src/index.js';

beforeAll(async () => {
  await setBackend('cpu');
});

const values = async (t: Tensor) => Array.from(await t.data());

describe('jit abstractTrace', () => {
  it('runs the first call compiled, with the values eager code gives', async () => {
    const w = variable(tensor([1, 2, 3]));
    const step = jit(
      (x: Tensor) => {
        w.assign(w.mul(x).add(1));
        return w.sum().mul(2);
      },
      { abstractTrace: true },
    );
    const x = tensor([2, 3, 4]);
    const y1 = step(x);
    expect(step.traceCount).toBe(1);
    expect(step.compiledCount).toBe(1);
    expect(await values(w)).toEqual([3, 7, 13]);
    expect(await values(y1)).toEqual([46]);
    const y2 = step(x);
    expect(step.compiledCount).toBe(2);
    expect(step.traceCount).toBe(1);
    expect(await values(w)).toEqual([7, 22, 53]);
    expect(await values(y2)).toEqual([164]);
    for (const t of [y1, y2, x, w]) t.dispose();
    step.dispose();
  });

  it.each([true, false])(
    'gives a Variable made from a traced value its value on every call (abstractTrace %s)',
    async (abstractTrace) => {
      const made: Variable[] = [];
      const step = jit(
        (x: Tensor) => {
          const v = variable(x.mul(3));
          made.push(v);
          v.assign(v.add(1));
          return v.mul(x);
        },
        { abstractTrace },
      );
      const x = tensor([1, 2]);
      for (let call = 0; call < 3; call++) {
        const y = step(x);
        expect(await values(made[call]), `call ${call}`).toEqual([4, 7]);
        expect(await values(y), `call ${call}`).toEqual([4, 14]);
        y.dispose();
      }
      for (const v of made) v.dispose();
      x.dispose();
      step.dispose();
    },
  );

  it('a failed first call names the op and leaves Variables unchanged; memory stays flat', async () => {
    const w = variable(tensor([1, 2]));
    const before = memory().numTensors;
    const step = jit(
      (x: Tensor) => {
        w.assign(w.add(1));
        w.assign(w.add(x));
      },
      { abstractTrace: true },
    );
    const bad = tensor([1, 2, 3]);
    expect(() => step(bad)).toThrow(/add.*\[2\].*\[3\]/);
    expect(await values(w)).toEqual([1, 2]);
    bad.dispose();
    const x = tensor([10, 20]);
    for (let i = 0; i < 4; i++) step(x);
    expect(await values(w)).toEqual([45, 86]);
    x.dispose();
    step.dispose();
    expect(memory().numTensors).toBe(before);
    w.dispose();
  });
});
