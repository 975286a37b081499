// fit, evaluate and predict on datasets: equal to the tensor path on the same batches, stepsPerEpoch, validation, flat memory over 20 epochs.
import { memory, randomNormal, setBackend, tensor, type Tensor } from '@webdl/core';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { LambdaCallback, Sequential, data, layers, optimizers, setRandomSeed } from '../src/index.js';

beforeAll(async () => {
  await setBackend('cpu');
});
afterEach(() => vi.restoreAllMocks());

function makeModel(): Sequential {
  setRandomSeed(7);
  const model = new Sequential([
    new layers.Dense(6, { activation: 'relu', inputShape: [3] }),
    new layers.Dense(2, { activation: 'softmax' }),
  ]);
  model.compile({
    optimizer: new optimizers.Adam({ learningRate: 0.05 }),
    loss: 'sparse_categorical_crossentropy',
    metrics: ['accuracy'],
  });
  return model;
}

async function weightsOf(model: Sequential): Promise<number[][]> {
  return Promise.all(model.trainableWeights.map(async (w) => Array.from(await w.data())));
}

function toyData(n: number, seed: number): { x: Tensor; y: Tensor } {
  const x = randomNormal([n, 3], { seed });
  const y = x.sum(1).greater(0).cast('float32');
  return { x, y };
}

describe('model.fit on a dataset', () => {
  it('equals fit(x, y) with shuffle: false on the same batches (weights and history)', async () => {
    const { x, y } = toyData(50, 1);
    const a = makeModel();
    const ha = await a.fit(x, y, { epochs: 3, batchSize: 16, shuffle: false, verbose: 0 });
    const b = makeModel();
    const hb = await b.fit(data.tensors({ xs: x, ys: y }).batch(16), { epochs: 3, verbose: 0 });
    expect(hb.history.loss).toEqual(ha.history.loss);
    expect(hb.history.accuracy).toEqual(ha.history.accuracy);
    expect(await weightsOf(b)).toEqual(await weightsOf(a));
    // [x, y] elements work the same as { xs, ys }.
    const c = makeModel();
    await c.fit(data.tensors([x, y]).batch(16), { epochs: 3, verbose: 0 });
    expect(await weightsOf(c)).toEqual(await weightsOf(a));
    x.dispose();
    y.dispose();
  });

  it('validationData (a dataset or [x, y]) adds val_ logs equal to evaluate after the last epoch', async () => {
    const { x, y } = toyData(40, 2);
    const { x: xv, y: yv } = toyData(20, 3);
    const model = makeModel();
    const h = await model.fit(data.tensors({ xs: x, ys: y }).batch(8), {
      epochs: 2,
      verbose: 0,
      validationData: data.tensors({ xs: xv, ys: yv }).batch(8),
    });
    const [loss, acc] = (await model.evaluate(xv, yv, { batchSize: 8 })) as number[];
    expect(h.history.val_loss[1]).toBeCloseTo(loss, 6);
    expect(h.history.val_accuracy[1]).toBeCloseTo(acc, 6);
    const h2 = await model.fit(data.tensors({ xs: x, ys: y }).batch(8), {
      epochs: 1,
      verbose: 0,
      validationData: [xv, yv],
    });
    const [loss2] = (await model.evaluate(xv, yv, { batchSize: 32 })) as number[];
    expect(h2.history.val_loss[0]).toBeCloseTo(loss2, 6);
    for (const t of [x, y, xv, yv]) t.dispose();
  });

  it('stepsPerEpoch runs one iterator on across epochs, and stops with a warning when it runs out', async () => {
    let made = 0;
    const ds = data
      .generator(function* () {
        for (let i = 0; i < 5; i++) {
          made++;
          yield { xs: [i / 5, 1 - i / 5, 0.5], ys: i % 2 };
        }
      })
      .batch(1);
    const model = makeModel();
    const h = await model.fit(ds.repeat(), { epochs: 3, stepsPerEpoch: 4, verbose: 0 });
    expect(h.history.loss).toHaveLength(3);
    expect(made).toBeGreaterThanOrEqual(12);
    expect(made).toBeLessThanOrEqual(13);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const h2 = await makeModel().fit(ds, { epochs: 3, stepsPerEpoch: 4, verbose: 0 });
    expect(h2.history.loss).toHaveLength(2);
    expect(String(warn.mock.calls[0][0])).toContain('ran out of data after 1 of 4 steps in epoch 2');
  });

  it('evaluate and predict on datasets equal the tensor path', async () => {
    const { x, y } = toyData(30, 4);
    const model = makeModel();
    const ev = (await model.evaluate(x, y, { batchSize: 7 })) as number[];
    const evDs = (await model.evaluate(data.tensors({ xs: x, ys: y }).batch(7))) as number[];
    expect(evDs[0]).toBeCloseTo(ev[0], 6);
    expect(evDs[1]).toBeCloseTo(ev[1], 6);
    const p = (await model.predict(x)) as Tensor;
    const pDs = (await model.predict(data.tensors(x).batch(7))) as Tensor;
    const pPairs = (await model.predict(data.tensors({ xs: x, ys: y }).batch(30))) as Tensor;
    expect(pDs.shape).toEqual([30, 2]);
    expect(Array.from(await pDs.data())).toEqual(Array.from(await p.data()));
    expect(Array.from(await pPairs.data())).toEqual(Array.from(await p.data()));
    for (const t of [x, y, p, pDs, pPairs]) t.dispose();
  });

  it('bad elements and options throw naming fit; a failing stage is named and the weights stay', async () => {
    const model = makeModel();
    const w0 = await weightsOf(model);
    await expect(model.fit(data.array([1, 2]).batch(2), { verbose: 0 })).rejects.toThrow(
      'fit: dataset elements must be batches { xs, ys } or [x, y] of tensors (batch() the dataset), got a tensor [2]',
    );
    await expect(
      model.fit(data.array([{ xs: [1, 2, 3], ys: 0 }]).batch(1), { epochs: 1, batchSize: 4 } as never),
    ).rejects.toThrow("fit (on a dataset): unknown option 'batchSize'");
    const failing = data
      .array([{ xs: [1, 2, 3], ys: 0 }])
      .map(() => {
        throw new Error('bad row');
      })
      .batch(1);
    await expect(model.fit(failing, { verbose: 0 })).rejects.toThrow('data.map (stage 2) failed: bad row');
    await expect(model.fit(data.array([]).batch(1), { verbose: 0 })).rejects.toThrow(
      'fit: the dataset yielded no batches',
    );
    expect(await weightsOf(model)).toEqual(w0);
  });

  it('memory stays flat over 20 epochs of a shuffling, mapping pipeline with validation', async () => {
    const x = tensor(
      Array.from({ length: 48 }, (_, i) => Math.sin(i)),
      [16, 3],
    );
    const y = tensor(Array.from({ length: 16 }, (_, i) => i % 2));
    const model = makeModel();
    const ds = data
      .tensors({ xs: x, ys: y })
      .map(({ xs, ys }) => ({ xs: xs.mul(0.5), ys }))
      .shuffle(16, { seed: 3 })
      .batch(4)
      .prefetch(2);
    const counts: number[] = [];
    const bytes: number[] = [];
    await model.fit(ds, {
      epochs: 20,
      verbose: 0,
      validationData: data.tensors({ xs: x, ys: y }).batch(8),
      callbacks: [
        new LambdaCallback({
          onEpochEnd: () => {
            counts.push(memory().numTensors);
            bytes.push(memory().numBytes);
          },
        }),
      ],
    });
    expect(counts).toHaveLength(20);
    expect(new Set(counts).size).toBe(1);
    expect(new Set(bytes).size).toBe(1);
    x.dispose();
    y.dispose();
  });
});
