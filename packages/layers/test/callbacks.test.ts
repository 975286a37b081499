// Callbacks: EarlyStopping (with restoreBestWeights), ModelCheckpoint, LearningRateScheduler, ReduceLROnPlateau, hooks.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomNormal, setBackend, tensor, type Tensor } from '@webdl/core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  Sequential,
  callbacks,
  layers,
  loadModel,
  optimizers,
  setRandomSeed,
  type Logs,
} from '../src/index.js';

beforeAll(async () => {
  await setBackend('cpu');
});

function model(lr = 0.01): Sequential {
  const m = new Sequential([
    new layers.Dense(4, { activation: 'relu', inputShape: [3] }),
    new layers.Dense(1),
  ]);
  m.compile({ optimizer: new optimizers.SGD({ learningRate: lr }), loss: 'mse' });
  return m;
}

const x = randomNormal([32, 3], { seed: 2 });
const y = x.sum(1, true);

/** A callback that feeds EarlyStopping a scripted monitor value. */
class Scripted extends callbacks.Callback {
  constructor(private readonly values: number[]) {
    super();
  }
  override onEpochEnd(epoch: number, logs?: Logs): void {
    if (logs) logs.scripted = this.values[epoch] ?? 99;
  }
}

describe('EarlyStopping', () => {
  it('stops after patience epochs without improvement', async () => {
    const m = model();
    const early = new callbacks.EarlyStopping({ monitor: 'scripted', patience: 2 });
    const h = await m.fit(x, y, {
      epochs: 20,
      verbose: 0,
      callbacks: [new Scripted([5, 4, 3, 3.5, 3.2, 3.1, 1]), early],
    });
    // Best at epoch 2; epochs 3 and 4 do not improve: stop after epoch 4.
    expect(h.history.loss.length).toBe(5);
    expect(early.stoppedEpoch).toBe(4);
    expect(early.bestEpoch).toBe(2);
    expect(m.stopTraining).toBe(true);
  });

  it('restores the best weights', async () => {
    const m = model(0.05);
    let bestWeights: number[] = [];
    const recorder = new callbacks.LambdaCallback({
      onEpochEnd: async (epoch) => {
        if (epoch === 1) bestWeights = Array.from(await m.weights[0].data());
      },
    });
    const early = new callbacks.EarlyStopping({ monitor: 'scripted', patience: 1, restoreBestWeights: true });
    await m.fit(x, y, { epochs: 10, verbose: 0, callbacks: [new Scripted([3, 1, 2, 2]), recorder, early] });
    expect(early.stoppedEpoch).toBe(2);
    expect(Array.from(await m.weights[0].data())).toEqual(bestWeights);
  });

  it('monitors val_loss by default and knows accuracy goes up', async () => {
    const m = model();
    const early = new callbacks.EarlyStopping({ patience: 0 });
    const h = await m.fit(x, y, { epochs: 3, verbose: 0, validationData: [x, y], callbacks: [early] });
    expect(h.history.val_loss.length).toBeGreaterThan(0);
    const acc = new callbacks.EarlyStopping({ monitor: 'val_accuracy', patience: 0 });
    const m2 = model();
    await m2.fit(x, y, {
      epochs: 3,
      verbose: 0,
      callbacks: [
        new Scripted([0.5, 0.6, 0.7]),
        new callbacks.EarlyStopping({ monitor: 'scripted', mode: 'max', patience: 0 }),
        acc,
      ],
    });
    expect(m2.history?.history.loss.length).toBe(3);
  });
});

describe('learning-rate callbacks', () => {
  it('LearningRateScheduler sets the rate each epoch and logs it', async () => {
    const m = model(0.1);
    const seen: number[] = [];
    const h = await m.fit(x, y, {
      epochs: 3,
      verbose: 0,
      callbacks: [
        new callbacks.LearningRateScheduler((epoch, lr) => (epoch === 0 ? lr : lr / 2)),
        { onEpochBegin: () => void seen.push(m.optimizer.currentLearningRate) },
      ],
    });
    expect(seen).toEqual([0.1, 0.05, 0.025]);
    expect(h.history.learning_rate).toEqual([0.1, 0.05, 0.025]);
  });

  it('ReduceLROnPlateau divides the rate after patience epochs without improvement', async () => {
    const m = model(0.1);
    const reduce = new callbacks.ReduceLROnPlateau({
      monitor: 'scripted',
      factor: 0.5,
      patience: 2,
      minLr: 0.02,
    });
    const h = await m.fit(x, y, {
      epochs: 8,
      verbose: 0,
      callbacks: [new Scripted([1, 1, 1, 1, 1, 1, 1, 1]), reduce],
    });
    expect(h.history.learning_rate).toEqual([0.1, 0.1, 0.1, 0.05, 0.05, 0.025, 0.025, 0.02]);
    expect(m.optimizer.currentLearningRate).toBe(0.02);
  });
});

describe('ModelCheckpoint and hooks', () => {
  it('saves the best model to files and the saved model loads', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'webdl-ckpt-'));
    try {
      const m = model();
      const ckpt = new callbacks.ModelCheckpoint({
        filepath: join(dir, 'epoch-{epoch}'),
        monitor: 'scripted',
        saveBestOnly: true,
      });
      await m.fit(x, y, { epochs: 4, verbose: 0, callbacks: [new Scripted([3, 2, 2.5, 1]), ckpt] });
      expect(ckpt.saved.map((p) => p.split('-').pop())).toEqual(['1', '2', '4']);
      expect((await readdir(dir)).sort()).toEqual(['epoch-1', 'epoch-2', 'epoch-4']);
      const loaded = await loadModel(join(dir, 'epoch-4'));
      const a = (await loaded.predict(x)) as Tensor;
      const b = (await m.predict(x)) as Tensor;
      expect(Array.from(await a.data())).toEqual(Array.from(await b.data()));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('CallbackList runs every hook in order with logs', async () => {
    setRandomSeed(1);
    const events: string[] = [];
    const m = model();
    await m.fit(x, tensor(Array.from({ length: 32 }, () => [0])), {
      epochs: 2,
      batchSize: 16,
      verbose: 0,
      callbacks: [
        {
          onTrainBegin: () => void events.push('train'),
          onEpochBegin: (e) => void events.push(`epoch${e}`),
          onBatchBegin: (b) => void events.push(`b${b}`),
          onBatchEnd: (b, logs) => void events.push(`e${b}:${logs && 'loss' in logs}`),
          onEpochEnd: (e, logs) => void events.push(`end${e}:${Object.keys(logs ?? {}).join(',')}`),
          onTrainEnd: () => void events.push('done'),
        },
      ],
    });
    // onBatchEnd(b) runs once step b+1 is submitted, so after onBatchBegin(b+1) (models/batch-logs.ts).
    expect(events).toEqual([
      'train',
      'epoch0',
      'b0',
      'b1',
      'e0:true',
      'e1:true',
      'end0:loss',
      'epoch1',
      'b0',
      'b1',
      'e0:true',
      'e1:true',
      'end1:loss',
      'done',
    ]);
  });
});
