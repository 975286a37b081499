// Data pipelines: sources and transforms against hand-computed values and orders, seeded shuffles, async sources, errors naming the stage, no leaks.
import { memory, setBackend, tensor, type Tensor } from '@webdl/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { data } from '../src/index.js';

beforeAll(async () => {
  await setBackend('cpu');
});

/** Reads every element, turning tensors into nested arrays and disposing them. */
async function values(ds: AsyncIterable<unknown>): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const el of ds) out.push(await plain(el));
  return out;
}

async function plain(el: unknown): Promise<unknown> {
  if (el && typeof el === 'object' && 'dispose' in el && 'array' in el) {
    const t = el as Tensor;
    const v = await t.array();
    t.dispose();
    return v;
  }
  if (Array.isArray(el)) return Promise.all(el.map(plain));
  if (el && typeof el === 'object')
    return Object.fromEntries(
      await Promise.all(Object.entries(el).map(async ([k, v]) => [k, await plain(v)])),
    );
  return el;
}

describe('sources and transforms', () => {
  it('array -> map -> filter -> batch gives the hand-computed batches in order', async () => {
    const ds = data
      .array([1, 2, 3, 4, 5, 6, 7])
      .map((v) => v * 10)
      .filter((v) => v !== 30)
      .batch(2);
    expect(await values(ds)).toEqual([
      [10, 20],
      [40, 50],
      [60, 70],
    ]);
    // A dataset is re-iterable: a second pass gives the same.
    expect(await values(ds)).toEqual([
      [10, 20],
      [40, 50],
      [60, 70],
    ]);
  });

  it('batch with dropRemainder drops the short last batch; async map functions are awaited', async () => {
    const ds = data
      .array([1, 2, 3, 4, 5])
      .map(async (v) => v + 0.5)
      .batch(2, { dropRemainder: true });
    expect(await values(ds)).toEqual([
      [1.5, 2.5],
      [3.5, 4.5],
    ]);
  });

  it('tensors({ xs, ys }) yields rows and batches them as structures', async () => {
    const xs = tensor([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    const ys = tensor([0, 1, 0]);
    const ds = data.tensors({ xs, ys }).batch(2);
    expect(await values(ds)).toEqual([
      {
        xs: [
          [1, 2],
          [3, 4],
        ],
        ys: [0, 1],
      },
      { xs: [[5, 6]], ys: [0] },
    ]);
    expect(await values(data.tensors([xs, ys]).skip(2))).toEqual([[[5, 6], 0]]);
    expect(xs.isDisposed || ys.isDisposed).toBe(false);
    xs.dispose();
    ys.dispose();
  });

  it('repeat, skip and take compose in order; repeat() without a count runs until take stops it', async () => {
    expect(await values(data.array([1, 2, 3]).repeat(2).skip(1).take(4))).toEqual([2, 3, 1, 2]);
    expect(await values(data.array([1, 2]).repeat().take(5))).toEqual([1, 2, 1, 2, 1]);
    expect(await values(data.array([1, 2]).repeat(0))).toEqual([]);
    expect(await values(data.array([1, 2, 3]).take(0))).toEqual([]);
  });

  it('numbers and number arrays in objects and tuples batch position by position', async () => {
    const ds = data
      .array([
        { xs: [1, 2], ys: 0 },
        { xs: [3, 4], ys: 1 },
      ])
      .batch(2);
    expect(await values(ds)).toEqual([
      {
        xs: [
          [1, 2],
          [3, 4],
        ],
        ys: [0, 1],
      },
    ]);
    const tuples = data
      .array([
        [[1, 2], 5],
        [[3, 4], 6],
      ] as [number[], number][])
      .batch(2);
    expect(await values(tuples)).toEqual([
      [
        [
          [1, 2],
          [3, 4],
        ],
        [5, 6],
      ],
    ]);
  });

  it('a dataset is not a thenable: awaiting it, or an async function returning it, gives the dataset', async () => {
    const ds = data.array([1, 2, 3]).map((v) => v * 10);
    const load = async () => ds;
    const got = await Promise.race([
      load(),
      new Promise<string>((resolve) => setTimeout(() => resolve('never settled'), 1000)),
    ]);
    expect(got).toBe(ds);
    expect(await values(await load())).toEqual([10, 20, 30]);
  });

  it('prefetch keeps order and values', async () => {
    const ds = data
      .generator(async function* () {
        for (let i = 0; i < 6; i++) {
          await new Promise((r) => setTimeout(r, 1));
          yield i;
        }
      })
      .prefetch(3)
      .batch(4);
    expect(await values(ds)).toEqual([
      [0, 1, 2, 3],
      [4, 5],
    ]);
  });
});

describe('shuffle', () => {
  const order = async (seed: number, n = 10, buffer = n) =>
    (await values(data.array([...Array(n).keys()]).shuffle(buffer, { seed }))) as number[];

  it('the same seed gives the same order; another seed another; every element once', async () => {
    const a = await order(42);
    expect(await order(42)).toEqual(a);
    expect([...a].sort((x, y) => x - y)).toEqual([...Array(10).keys()]);
    expect(a).not.toEqual([...Array(10).keys()]);
    expect(await order(43)).not.toEqual(a);
  });

  it('each pass reshuffles, reproducibly from the seed; reshuffleEachIteration: false repeats the order', async () => {
    const passes = async (opts: { seed: number; reshuffleEachIteration?: boolean }) => {
      const ds = data.array([...Array(8).keys()]).shuffle(8, opts);
      return [await values(ds), await values(ds), await values(ds)];
    };
    const p = await passes({ seed: 5 });
    expect(p[1]).not.toEqual(p[0]);
    expect(await passes({ seed: 5 })).toEqual(p);
    const fixed = await passes({ seed: 5, reshuffleEachIteration: false });
    expect(fixed[1]).toEqual(fixed[0]);
    expect(fixed[0]).toEqual(p[0]);
  });

  it('a buffer of 1 keeps the order; a buffer of 2 never emits an element before its turn minus one', async () => {
    expect(await order(3, 6, 1)).toEqual([0, 1, 2, 3, 4, 5]);
    for (let seed = 0; seed < 20; seed++) {
      const o = await order(seed, 6, 2);
      // With a 2-element buffer, output k is one of the first k+2 inputs.
      o.forEach((v, k) => expect(v).toBeLessThanOrEqual(k + 1));
    }
  });
});

describe('generator and csv sources', () => {
  it('sync and async generators; each pass calls the function again', async () => {
    let calls = 0;
    const sync = data.generator(function* () {
      calls++;
      yield* [1, 2, 3];
    });
    expect(await values(sync)).toEqual([1, 2, 3]);
    expect(await values(sync.map((v) => v * 2))).toEqual([2, 4, 6]);
    expect(calls).toBe(2);
    const asyncDs = data.generator(async function* () {
      for (let i = 0; i < 3; i++) {
        await Promise.resolve();
        yield { xs: [i, i + 1], ys: i % 2 };
      }
    });
    expect(await values(asyncDs.batch(3))).toEqual([
      {
        xs: [
          [0, 1],
          [1, 2],
          [2, 3],
        ],
        ys: [0, 1, 0],
      },
    ]);
  });

  it('csv text with a header, a label column, selected columns and quoted fields', async () => {
    const text = 'a,b,"label"\n1,2,0\n3,"4",1\n\n5,6,0\n';
    expect(await values(data.csv(text, { label: 'label' }).batch(3))).toEqual([
      {
        xs: [
          [1, 2],
          [3, 4],
          [5, 6],
        ],
        ys: [0, 1, 0],
      },
    ]);
    expect(await values(data.csv(text, { columns: ['b'] }))).toEqual([[2], [4], [6]]);
  });

  it('csv errors name the source stage, the line and the column', async () => {
    await expect(values(data.csv('a,b\n1,x\n'))).rejects.toThrow(
      "data.csv (stage 1) failed: line 2, column 'b': 'x' is not a number",
    );
    await expect(values(data.csv('a,b\n1,2\n', { label: 'y' }))).rejects.toThrow(
      "label 'y' is not a column (columns: a, b)",
    );
  });
});

describe('errors name the failing stage', () => {
  it('a throwing map, filter and generator, and a batch of unequal shapes', async () => {
    const boom = (): never => {
      throw new Error('boom');
    };
    await expect(values(data.array([1]).map(boom))).rejects.toThrow('data.map (stage 2) failed: boom');
    await expect(
      values(
        data
          .array([1])
          .map((v) => v)
          .filter(boom),
      ),
    ).rejects.toThrow('data.filter (stage 3) failed: boom');
    const gen = data.generator(function* () {
      yield 1;
      throw new Error('source broke');
    });
    await expect(values(gen.batch(4))).rejects.toThrow('data.generator (stage 1) failed: source broke');
    await expect(values(data.array([[1, 2], [3]]).batch(2))).rejects.toThrow(
      'data.batch (stage 2) failed: element: item 1 is not an array of numbers shaped like item 0 ([2])',
    );
  });

  it('bad arguments throw at the call', () => {
    expect(() => data.array([1]).batch(0)).toThrow(
      'data.batch (stage 2): batchSize must be a positive integer, got 0',
    );
    expect(() => data.array([1]).shuffle(-1)).toThrow(
      'data.shuffle (stage 2): bufferSize must be a positive integer',
    );
    const a = tensor([1, 2]);
    const b = tensor([1, 2, 3]);
    expect(() => data.tensors({ a, b })).toThrow('data.tensors: every tensor needs the same first dimension');
    a.dispose();
    b.dispose();
  });
});

describe('memory', () => {
  it('a tensor pipeline leaves no tensor behind, also when take stops it early or a stage throws', async () => {
    const x = tensor([...Array(40).keys()], [20, 2]);
    const y = tensor([...Array(20).keys()]);
    const before = memory().numTensors;
    const ds = data
      .tensors({ xs: x, ys: y })
      .map(({ xs, ys }) => ({ xs: xs.mul(2), ys }))
      .shuffle(8, { seed: 1 })
      .batch(3)
      .prefetch(2);
    for (let pass = 0; pass < 3; pass++) {
      for await (const b of ds) {
        b.xs.dispose();
        b.ys.dispose();
      }
      expect(memory().numTensors).toBe(before);
    }
    for await (const b of ds.take(2)) {
      b.xs.dispose();
      b.ys.dispose();
    }
    expect(memory().numTensors).toBe(before);
    const failing = data
      .tensors({ xs: x, ys: y })
      .shuffle(5, { seed: 2 })
      .map((el) => {
        if (el.ys.size > 0) throw new Error('no');
        return el;
      });
    await expect(values(failing)).rejects.toThrow('data.map (stage 3) failed: no');
    expect(memory().numTensors).toBe(before);
    // Tensors passed to data.array stay the caller's.
    for await (const t of data.array([x, y])) t.dispose();
    expect(x.isDisposed || y.isDisposed).toBe(false);
    x.dispose();
    y.dispose();
  });
});
