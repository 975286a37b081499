// sampleWeight and classWeight in fit: weighted losses by hand, class weights equal to the sample weights they imply, clear errors.
import { memory, setBackend, tensor, type Tensor } from '@webdl/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Sequential, layers, optimizers, regularizers } from '../src/index.js';

beforeAll(async () => {
  await setBackend('cpu');
});

function linear(units = 1, kernelInitializer = 'zeros'): Sequential {
  const model = new Sequential([
    new layers.Dense(units, { useBias: false, kernelInitializer, inputShape: [1] }),
  ]);
  model.compile({ optimizer: new optimizers.SGD({ learningRate: 0.1 }), loss: 'mse' });
  return model;
}

describe('sampleWeight and classWeight in fit', () => {
  it('sampleWeight: loss Σ wᵢ·lᵢ / n and its gradient, by hand', async () => {
    const x = tensor([[1], [2], [3]]);
    const y = tensor([[1], [1], [2]]);
    const w = [2, 0, 1];
    const model = linear();
    const h = await model.fit(x, y, { sampleWeight: tensor(w), batchSize: 3, shuffle: false, verbose: 0 });
    // Kernel 0: predictions 0, losses yᵢ² = [1, 1, 4]; weighted mean (2 + 0 + 4) / 3.
    expect(h.history.loss[0]).toBeCloseTo(2, 5);
    // d/dk Σ wᵢ (xᵢk - yᵢ)² / n at 0 = -2 Σ wᵢ xᵢ yᵢ / 3 = -2 (2 + 0 + 6) / 3; k = 0.1 · 16 / 3.
    expect(await model.layers[0].weights[0].item()).toBeCloseTo(1.6 / 3, 5);
  });

  it('classWeight equals the sample weights it implies (sparse and one-hot labels)', async () => {
    const x = tensor([[1], [-1], [2], [0.5]]);
    const labels = [1, 0, 1, 1];
    const run = async (model: Sequential, y: Tensor, args: object) => {
      const h = await model.fit(x, y, { batchSize: 2, shuffle: false, epochs: 2, verbose: 0, ...args });
      return [h.history.loss, Array.from(await model.layers[0].weights[0].data())];
    };
    const make = (units: number, loss: string) => {
      const m = new Sequential([new layers.Dense(units, { kernelInitializer: 'ones', inputShape: [1] })]);
      m.compile({ optimizer: new optimizers.SGD({ learningRate: 0.1 }), loss });
      return m;
    };
    const sparse = tensor(labels, [4, 1]);
    const byClass = await run(make(1, 'mse'), sparse, { classWeight: { 0: 3 } });
    const bySample = await run(make(1, 'mse'), sparse, {
      sampleWeight: tensor(labels.map((l) => (l === 0 ? 3 : 1))),
    });
    expect(byClass).toEqual(bySample);
    const oneHot = tensor(labels.map((l) => (l === 0 ? [1, 0] : [0, 1])));
    const c1 = await run(make(2, 'categorical_crossentropy'), oneHot, { classWeight: { 0: 0.5, 1: 2 } });
    const s1 = await run(make(2, 'categorical_crossentropy'), oneHot, {
      sampleWeight: tensor(labels.map((l) => (l === 0 ? 0.5 : 2))),
    });
    expect(c1).toEqual(s1);
  });

  it('works with validationSplit, leaves memory flat, and refuses bad weights', async () => {
    const x = tensor([[1], [2], [3], [4]]);
    const y = tensor([[1], [2], [3], [4]]);
    const model = linear();
    await model.fit(x, y, { sampleWeight: tensor([1, 1, 1, 1]), validationSplit: 0.25, verbose: 0 });
    const before = memory().numTensors;
    await model.fit(x, y, {
      sampleWeight: tensor([1, 2, 1, 2]),
      classWeight: { 1: 2 },
      epochs: 3,
      verbose: 0,
    });
    expect(memory().numTensors).toBe(before + 1); // the sampleWeight tensor this test made
    await expect(model.fit(x, y, { sampleWeight: tensor([1, 2]), verbose: 0 })).rejects.toThrow(
      /fit: sampleWeight must have shape \[4\] or \[4, steps\]/,
    );
    await expect(model.fit(x, y, { sampleWeight: tensor([1, -2, 1, 1]), verbose: 0 })).rejects.toThrow(
      /sampleWeight values must be finite and >= 0/,
    );
    await expect(model.fit(x, y, { classWeight: { a: 1 } as never, verbose: 0 })).rejects.toThrow(
      /classWeight maps class indices to weights >= 0/,
    );
  });

  it('regularized training keeps memory flat over many steps', async () => {
    const model = new Sequential([
      new layers.Dense(3, {
        kernelRegularizer: 'l2',
        activityRegularizer: new regularizers.L1(),
        inputShape: [2],
      }),
      new layers.Dense(1, { kernelConstraint: 'max_norm' }),
    ]);
    model.compile({ optimizer: 'adam', loss: 'mse' });
    const x = tensor([
      [1, 2],
      [3, 4],
    ]);
    const y = tensor([[1], [0]]);
    await model.trainOnBatch(x, y);
    const before = memory().numTensors;
    for (let i = 0; i < 5; i++) await model.trainOnBatch(x, y);
    expect(memory().numTensors).toBe(before);
  });
});
