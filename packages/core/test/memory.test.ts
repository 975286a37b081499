// Memory management: tidy, keep, dispose, `using`/Symbol.dispose, shared storage, and memory() figures.
import { beforeAll, describe, expect, it } from 'vitest';
import * as dl from '@webdl/core';

beforeAll(async () => {
  await dl.setBackend('cpu');
});

const live = () => {
  const m = dl.memory();
  return { numTensors: m.numTensors, numBytes: m.numBytes, numDataBuffers: m.numDataBuffers };
};

describe('memory', () => {
  it('a loop of 1000 ops inside tidy leaves numTensors, numBytes and buffers unchanged', () => {
    const x = dl.randomNormal([8, 8], { seed: 1 });
    // From values, so the variable does not share its first buffer with a live tensor.
    const w = dl.variable(new Array<number[]>(8).fill(new Array<number>(8).fill(0)));
    const before = live();
    dl.tidy(() => {
      let y = x;
      for (let i = 0; i < 1000; i++) {
        switch (i % 5) {
          case 0:
            y = y.add(1).relu();
            break;
          case 1:
            y = dl.matmul(y, x).tanh();
            break;
          case 2:
            y = dl.softmax(y).mul(2);
            break;
          case 3:
            y = y.sum(0, true).broadcastTo([8, 8]).sub(y).transpose();
            break;
          default:
            w.assignAdd(y.mul(0.001));
        }
      }
    });
    expect(live()).toEqual(before);
  });

  it('tidy keeps what it returns (nested arrays and objects), in the enclosing scope', () => {
    const before = live().numTensors;
    const out = dl.tidy(() => {
      const a = dl.ones([2]);
      const inner = dl.tidy(() => ({ b: a.add(1), c: [a.mul(2)], d: a.square() }));
      expect(inner.b.isDisposed).toBe(false);
      return { b: inner.b, c: inner.c };
    });
    expect(live().numTensors).toBe(before + 2);
    expect(out.b.isDisposed || out.c[0].isDisposed).toBe(false);
    dl.dispose([out.b, out.c[0]]);
    expect(live().numTensors).toBe(before);
  });

  it('tidy frees what a throwing function created, and rethrows', () => {
    const before = live();
    expect(() =>
      dl.tidy(() => {
        dl.ones([3]).add(1);
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(live()).toEqual(before);
  });

  it('keep protects a tensor from tidy; variables are never disposed by tidy', async () => {
    const before = live().numTensors;
    let kept: dl.Tensor | undefined;
    const v = dl.tidy(() => {
      kept = dl.keep(dl.ones([2]).mul(3));
      dl.ones([2]);
      return dl.variable(dl.zeros([1]));
    });
    expect(live().numTensors).toBe(before + 2);
    expect(Array.from(await kept!.data())).toEqual([3, 3]);
    dl.dispose([kept!, v]);
    expect(live().numTensors).toBe(before);
  });

  it('dispose accepts a tensor, an array or a record; disposing twice is harmless', () => {
    const before = live();
    const a = dl.ones([2]);
    dl.dispose(a);
    dl.dispose([dl.zeros([3]), dl.zeros([1])]);
    dl.dispose({ x: dl.ones([4]), y: dl.ones([1]) });
    a.dispose();
    dl.dispose(null);
    expect(live()).toEqual(before);
  });

  it('`using` and Symbol.dispose free a tensor at the end of its block', () => {
    const before = live();
    {
      using t = dl.ones([10]);
      using u = t.mul(2);
      expect(u.size).toBe(10);
      expect(live().numTensors).toBe(before.numTensors + 2);
    }
    expect(live()).toEqual(before);
    const w = dl.ones([1]);
    w[Symbol.dispose]();
    expect(w.isDisposed).toBe(true);
  });

  it('views share storage: disposing the source keeps a reshape alive; bytes are counted once', async () => {
    const before = live();
    const x = dl.tensor([1, 2, 3, 4]);
    const y = x.reshape([2, 2]);
    const z = y.cast('float32');
    expect(live().numTensors).toBe(before.numTensors + 3);
    expect(live().numDataBuffers).toBe(before.numDataBuffers + 1);
    expect(live().numBytes).toBe(before.numBytes + 16);
    x.dispose();
    expect(await y.array()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    dl.dispose([y, z]);
    expect(live()).toEqual(before);
  });

  it('numBytes counts 4 bytes per float32/int32 element and 1 per bool', () => {
    const before = live().numBytes;
    const t = [dl.zeros([10, 10]), dl.zeros([5], 'int32'), dl.zeros([7], 'bool')];
    expect(live().numBytes - before).toBe(400 + 20 + 7);
    dl.dispose(t);
    expect(live().numBytes).toBe(before);
  });

  it('composite ops and ops with number operands leave no temporaries', () => {
    const x = dl.randomNormal([3, 4], { seed: 2 });
    const before = live().numTensors;
    const outs = [
      x.add(1),
      dl.softmax(x),
      dl.logSoftmax(x, 0),
      dl.logSumExp(x, 1),
      dl.mean(x),
      dl.dropout(x, 0.5, { seed: 1 }),
      dl.oneHot([1, 0], 3),
      dl.where(x.greater(0), x, 0),
      dl.stack([x, x]),
      dl.dot(x, dl.ones([4])),
      dl.conv1d(x.reshape([1, 3, 4]), dl.ones([2, 4, 1])),
    ];
    // x.greater(0), dl.ones([4]), x.reshape(...) and dl.ones([2, 4, 1]) above are arguments, not outputs.
    expect(live().numTensors).toBe(before + outs.length + 4);
    dl.dispose(outs);
  });
});
