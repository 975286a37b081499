// "Keras user expectations" for saving: a model loaded from save() artifacts comes back compiled, optimizer state included.
import { memory, oneHot, setBackend, tensor } from '@webdl/core';
import { beforeAll, describe, expect } from 'vitest';
import { Sequential, layers, loadModel, setRandomSeed, type Model } from '../src/index.js';
import { runExpectations, type Expectation } from './keras-expectations-harness.js';

beforeAll(async () => {
  await setBackend('cpu');
});

const X = tensor([
  [0.1, -0.4, 0.8],
  [0.9, 0.3, -0.2],
  [-0.5, 0.7, 0.4],
  [0.2, 0.2, -0.9],
  [0.6, -0.8, 0.1],
  [-0.3, -0.1, 0.5],
]);
const Y = oneHot(tensor([0, 1, 2, 1, 0, 2], [6], 'int32'), 3);
const FIT = { epochs: 1, batchSize: 2, shuffle: false, verbose: 0 } as const;

/** A seeded two-layer classifier compiled with Adam (so moments and the step count matter). */
function classifier(): Model {
  setRandomSeed(42);
  const m = new Sequential([
    new layers.Dense(4, { inputShape: [3], activation: 'tanh' }),
    new layers.Dense(3, { activation: 'softmax' }),
  ]);
  m.compile({
    optimizer: 'adam',
    loss: 'categorical_crossentropy',
    metrics: ['accuracy', 'mae'],
  });
  return m;
}

async function weights(m: Model): Promise<number[]> {
  return (await Promise.all(m.weights.map(async (w) => Array.from(await w.data())))).flat();
}

/** 2 epochs, save() to memory, loadModel, 1 more epoch; and an uninterrupted 3-epoch run. */
async function resumed(): Promise<{ resumed: number[]; straight: number[]; loss: [number, number] }> {
  const straight = classifier();
  await straight.fit(X, Y, { ...FIT, epochs: 3 });
  const first = classifier();
  await first.fit(X, Y, { ...FIT, epochs: 2 });
  const loaded = await loadModel(await first.save());
  const h = await loaded.fit(X, Y, FIT);
  const hs = straight.history?.history.loss ?? [];
  const out = {
    resumed: await weights(loaded),
    straight: await weights(straight),
    loss: [h.history.loss[0], hs[2]] as [number, number],
  };
  for (const m of [straight, first, loaded]) m.dispose();
  return out;
}

const saving: Expectation[] = [
  {
    call: 'fit 2 epochs (Adam), save(), loadModel, fit 1 more = fit 3 epochs without stopping',
    run: async () => {
      const r = await resumed();
      const diff = Math.max(...r.resumed.map((v, i) => Math.abs(v - r.straight[i])));
      return [diff < 1e-5, Math.abs(r.loss[0] - r.loss[1]) < 1e-5, r.resumed.length];
    },
    expect: [true, true, 3 * 4 + 4 + 4 * 3 + 3],
  },
  {
    call: 'the loaded model reports the same optimizer, step count, loss and metrics',
    run: async () => {
      const m = classifier();
      await m.fit(X, Y, { ...FIT, epochs: 2 });
      const loaded = await loadModel(await m.save());
      const c = loaded.compiled;
      const got = {
        optimizer: loaded.optimizer.className,
        config: loaded.optimizer.getConfig(),
        iterations: loaded.optimizer.iterations,
        losses: c?.losses.map((l) => l.name),
        metrics: c?.metrics.flat().map((x) => x.name),
      };
      m.dispose();
      loaded.dispose();
      return got;
    },
    expect: {
      optimizer: 'Adam',
      config: expect.objectContaining({ learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 }),
      iterations: 6,
      losses: ['categorical_crossentropy'],
      metrics: ['accuracy', 'mae'],
    },
  },
  {
    call: 'a model saved uncompiled loads uncompiled',
    run: async () => {
      setRandomSeed(1);
      const m = new Sequential([new layers.Dense(2, { inputShape: [3] })]);
      const loaded = await loadModel(await m.save());
      const got = loaded.compiled ?? null;
      m.dispose();
      loaded.dispose();
      return got;
    },
    expect: null,
  },
  {
    call: 'save() and loadModel of a compiled model leak no tensors',
    run: async () => {
      const m = classifier();
      await m.fit(X, Y, FIT);
      const before = memory().numTensors;
      for (let i = 0; i < 2; i++) (await loadModel(await m.save())).dispose();
      const after = memory().numTensors;
      m.dispose();
      return after - before;
    },
    expect: 0,
  },
];

describe('Keras user expectations (saving)', () => {
  describe('item 12: save() artifacts come back compiled', () => runExpectations(saving));
});
