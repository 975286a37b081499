// "Keras user expectations" for saving: a model loaded from save() artifacts comes back compiled, optimizer state included.
import { memory, oneHot, setBackend, tensor } from '@webdl/core';
import { beforeAll, describe, expect } from 'vitest';
import { Sequential, io, layers, loadModel, setRandomSeed, type Model } from '../src/index.js';
import { openH5 } from '../src/io/h5.js';
import { readZip } from '../src/io/zip.js';
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

/** A seeded two-layer classifier compiled with Adam by default (so moments and the step count matter). */
function classifier(optimizer = 'adam'): Model {
  setRandomSeed(42);
  const m = new Sequential([
    new layers.Dense(4, { inputShape: [3], activation: 'tanh' }),
    new layers.Dense(3, { activation: 'softmax' }),
  ]);
  m.compile({
    optimizer,
    loss: 'categorical_crossentropy',
    metrics: ['accuracy', 'mae'],
  });
  return m;
}

async function weights(m: Model): Promise<number[]> {
  return (await Promise.all(m.weights.map(async (w) => Array.from(await w.data())))).flat();
}

/** 2 epochs, save() to memory (or a .keras file), loadModel, 1 more epoch; and an uninterrupted 3-epoch run. */
async function resumed(
  optimizer = 'adam',
  format: 'artifacts' | 'keras' = 'artifacts',
): Promise<{ resumed: number[]; straight: number[]; loss: [number, number] }> {
  const straight = classifier(optimizer);
  await straight.fit(X, Y, { ...FIT, epochs: 3 });
  const first = classifier(optimizer);
  await first.fit(X, Y, { ...FIT, epochs: 2 });
  const loaded = await loadModel(format === 'keras' ? await io.toKeras(first) : await first.save());
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

/** [weights within 1e-5, last loss within 1e-5, weight count] of a resumed run against a straight one. */
async function resumedMatches(optimizer?: string, format?: 'artifacts' | 'keras'): Promise<unknown[]> {
  const r = await resumed(optimizer, format);
  const diff = Math.max(...r.resumed.map((v, i) => Math.abs(v - r.straight[i])));
  return [diff < 1e-5, Math.abs(r.loss[0] - r.loss[1]) < 1e-5, r.resumed.length];
}

const WEIGHT_COUNT = 3 * 4 + 4 + 4 * 3 + 3;

/** Nadam's and Lion's state (moments, and Nadam's u_product) in both formats, in Keras 3's variable order. */
const nadamLion: Expectation[] = (['nadam', 'lion'] as const).flatMap((opt) =>
  (['artifacts', 'keras'] as const).map((format) => ({
    call: `fit 2 epochs (${opt}), ${format === 'keras' ? 'io.toKeras' : 'save()'}, loadModel, fit 1 more = fit 3 epochs`,
    run: () => resumedMatches(opt, format),
    expect: [true, true, WEIGHT_COUNT],
  })),
);

/** The optimizer variables a .keras file holds: the step, the rate, the slots, then Nadam's u_product. */
async function kerasOptimizerVars(optimizer: string): Promise<unknown> {
  const m = classifier(optimizer);
  await m.fit(X, Y, { ...FIT, epochs: 2 });
  const zip = await readZip(await io.toKeras(m), ['model.weights.h5'], 'model.keras');
  const h = await openH5(zip.get('model.weights.h5') as Uint8Array, 'model.weights.h5');
  const keys = h.keys('optimizer/vars') ?? [];
  const vars = keys.map((_, i) => h.read(`optimizer/vars/${i}`));
  h.close();
  m.dispose();
  const last = vars[vars.length - 1];
  return { count: vars.length, iterations: vars[0].data[0], last: [...last.shape], lastValue: last.data[0] };
}

const saving: Expectation[] = [
  {
    call: 'fit 2 epochs (Adam), save(), loadModel, fit 1 more = fit 3 epochs without stopping',
    run: () => resumedMatches(),
    expect: [true, true, WEIGHT_COUNT],
  },
  ...nadamLion,
  {
    // 4 weights: iterations, learning_rate, (momentum, velocity) per weight, u_product = Π(0.9(1 - 0.5·0.96ᵗ)).
    call: 'a Nadam .keras file holds iterations, learning_rate, 8 moments and u_product',
    run: () => kerasOptimizerVars('nadam'),
    // Π over t = 1..6 of 0.9·(1 - 0.5·0.96ᵗ) = 0.0172333324727 (Python, float64).
    expect: { count: 2 + 8 + 1, iterations: 6, last: [], lastValue: expect.closeTo(0.0172333325, 7) },
  },
  {
    call: 'a Lion .keras file holds iterations, learning_rate and 4 momentums',
    run: () => kerasOptimizerVars('lion'),
    expect: { count: 2 + 4, iterations: 6, last: [3], lastValue: expect.any(Number) },
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
