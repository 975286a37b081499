// Shared suite: fit's per-batch logs are read one step behind the device (models/batch-logs.ts) and stay
// the exact numbers of their batch: checked against trainOnBatch's per-batch values and jitCompile false,
// plus the stop / learning-rate semantics. Run on cpu (fit-batch-logs.test.ts) and webgpu in Node.
import { memory, tensor, type Tensor } from '@webdl/core';
import { describe, expect, it } from 'vitest';
import type { Logs } from '../src/callbacks.js';
import * as data from '../src/data/index.js';
import { setRandomSeed } from '../src/initializers.js';
import { Dense } from '../src/layers/dense.js';
import { Sequential } from '../src/models/sequential.js';
import { Adam } from '../src/optimizers/index.js';

/** 20 samples: batches of 8, 8 and a partial 4. */
const N = 20;
const BATCH = 8;
const xs = Array.from({ length: N * 5 }, (_, i) => Math.sin(i * 1.7) * 2);
const ysv = Array.from({ length: N * 2 }, (_, i) => (Math.cos(i * 0.9) + 1) / 2);
const batchRows = (b: number): [number, number] => [b * BATCH, Math.min(N, (b + 1) * BATCH)];

function model(jitCompile: boolean): Sequential {
  setRandomSeed(5);
  const m = new Sequential([
    new Dense(8, { activation: 'tanh', inputShape: [5] }),
    new Dense(2, { activation: 'sigmoid' }),
  ]);
  m.compile({ optimizer: new Adam({ learningRate: 0.05 }), loss: 'mse', metrics: ['mae'], jitCompile });
  return m;
}

interface Recorded {
  batches: Logs[][];
  epochs: Logs[];
}

async function fitRecording(jitCompile: boolean, epochs: number, onDataset = false): Promise<Recorded> {
  const m = model(jitCompile);
  const x = tensor(xs, [N, 5]);
  const y = tensor(ysv, [N, 2]);
  const rec: Recorded = { batches: [], epochs: [] };
  const callbacks = [
    {
      onEpochBegin: () => void rec.batches.push([]),
      onBatchEnd: (b: number, logs?: Logs) => {
        expect(b).toBe(rec.batches.at(-1)?.length);
        rec.batches.at(-1)?.push({ ...logs });
      },
    },
  ];
  const ds = data.tensors({ xs: x, ys: y }).batch(BATCH);
  const history = onDataset
    ? await m.fit(ds, { epochs, verbose: 0, callbacks })
    : await m.fit(x, y, { epochs, batchSize: BATCH, shuffle: false, verbose: 0, callbacks });
  rec.epochs = history.epoch.map((_, e) =>
    Object.fromEntries(Object.entries(history.history).map(([k, v]) => [k, v[e]])),
  );
  m.dispose();
  x.dispose();
  y.dispose();
  return rec;
}

/** The reference: trainOnBatch on each batch (one synchronous read each); running means weighted by batch size. */
async function reference(epochs: number): Promise<Recorded> {
  const m = model(false);
  const rec: Recorded = { batches: [], epochs: [] };
  for (let e = 0; e < epochs; e++) {
    let [loss, mae, count] = [0, 0, 0];
    const logs: Logs[] = [];
    for (let b = 0; b * BATCH < N; b++) {
      const [lo, hi] = batchRows(b);
      const x = tensor(xs.slice(lo * 5, hi * 5), [hi - lo, 5]);
      const y = tensor(ysv.slice(lo * 2, hi * 2), [hi - lo, 2]);
      const [l, a] = (await m.trainOnBatch(x, y)) as number[];
      x.dispose();
      y.dispose();
      loss += l * (hi - lo);
      mae += a * (hi - lo);
      count += hi - lo;
      logs.push({ loss: loss / count, mae: mae / count });
    }
    rec.batches.push(logs);
    rec.epochs.push(logs.at(-1) ?? {});
  }
  m.dispose();
  return rec;
}

function expectSame(a: Recorded, b: Recorded, tol: number): void {
  expect(a.batches.map((e) => e.length)).toEqual(b.batches.map((e) => e.length));
  const close = (p: Logs, q: Logs) => {
    expect(Object.keys(p).sort()).toEqual(Object.keys(q).sort());
    for (const k of Object.keys(p))
      expect(Math.abs(p[k] - q[k])).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(q[k])));
  };
  a.batches.forEach((e, i) => e.forEach((logs, j) => close(logs, b.batches[i][j])));
  expect(a.epochs.length).toBe(b.epochs.length);
  a.epochs.forEach((logs, i) => close(logs, b.epochs[i]));
}

/** Registers the suite; `tol` is the relative tolerance between compiled, eager and trainOnBatch values. */
export function fitBatchLogsSuite(where: string, tol: number): void {
  describe(`fit's per-batch logs, read one step behind (${where})`, () => {
    it('are each batch’s exact running values: jitCompile true = false = trainOnBatch, per batch and epoch', async () => {
      const before = memory().numTensors;
      const ref = await reference(2);
      const eager = await fitRecording(false, 2);
      const jitted = await fitRecording(true, 2);
      expectSame(eager, ref, tol);
      expectSame(jitted, eager, tol);
      // Epoch logs equal the last batch's logs exactly (the same trackers, read after every batch).
      eager.epochs.forEach((logs, e) => expect(logs).toEqual(eager.batches[e].at(-1)));
      jitted.epochs.forEach((logs, e) => expect(logs).toEqual(jitted.batches[e].at(-1)));
      expect(memory().numTensors).toBe(before);
    });

    it('fit(dataset) delivers the same per-batch and epoch logs as fit(x, y)', async () => {
      const before = memory().numTensors;
      const onTensors = await fitRecording(true, 2);
      const onDataset = await fitRecording(true, 2, true);
      expectSame(onDataset, onTensors, tol);
      expect(memory().numTensors).toBe(before);
    });

    it('a stop set in onBatchEnd(k) takes effect after step k+1; a learning rate set in onBatchBegin(k) applies to step k', async () => {
      const m = model(true);
      const x = tensor(xs, [N, 5]);
      const y = tensor(ysv, [N, 2]);
      const ended: number[] = [];
      await m.fit(x, y, {
        epochs: 3,
        batchSize: 4,
        shuffle: false,
        verbose: 0,
        callbacks: [
          {
            onBatchEnd: (b: number) => {
              ended.push(b);
              if (b === 1) m.stopTraining = true;
            },
          },
        ],
      });
      // Steps 0, 1 and 2 ran (2 was in flight when onBatchEnd(1) ran); each got its onBatchEnd.
      expect(ended).toEqual([0, 1, 2]);
      expect(m.optimizer.iterations).toBe(3);
      m.dispose();

      // Learning rate 0 from onBatchBegin(2): the weights are those after steps 0 and 1 exactly.
      const frozen = model(true);
      await frozen.fit(x, y, {
        epochs: 1,
        batchSize: BATCH,
        shuffle: false,
        verbose: 0,
        callbacks: [
          {
            onBatchBegin: (b: number) => {
              if (b === 2) frozen.optimizer.learningRate = 0;
            },
            onBatchEnd: () => undefined,
          },
        ],
      });
      const twoSteps = model(false);
      for (const b of [0, 1]) {
        const [lo, hi] = batchRows(b);
        const xb = x.slice([lo, 0], [hi - lo, 5]);
        const yb = y.slice([lo, 0], [hi - lo, 2]);
        await twoSteps.trainOnBatch(xb, yb);
        for (const t of [xb, yb] as Tensor[]) t.dispose();
      }
      const [got, want] = await Promise.all(
        [frozen, twoSteps].map((mm) => Promise.all(mm.weights.map((w) => w.data()))),
      );
      got.forEach((w, i) =>
        w.forEach((v, j) => expect(Math.abs(v - want[i][j])).toBeLessThanOrEqual(tol * 10)),
      );
      frozen.dispose();
      twoSteps.dispose();
      x.dispose();
      y.dispose();
    });

    it('an error thrown by onBatchEnd rejects fit and leaks no read in flight', async () => {
      const m = model(true);
      const x = tensor(xs, [N, 5]);
      const y = tensor(ysv, [N, 2]);
      // A first fit creates Adam's slots, which stay with the optimizer.
      await m.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0 });
      const before = memory().numTensors;
      const failing = m.fit(x, y, {
        epochs: 2,
        batchSize: 4,
        verbose: 0,
        callbacks: [
          {
            onBatchEnd: (b: number) => {
              if (b === 1) throw new Error('callback failed at batch 1');
            },
          },
        ],
      });
      await expect(failing).rejects.toThrow('callback failed at batch 1');
      expect(memory().numTensors).toBe(before);
      m.dispose();
      x.dispose();
      y.dispose();
    });

    it('evaluate accumulates on the device: jitCompile true = false', async () => {
      const x = tensor(xs, [N, 5]);
      const y = tensor(ysv, [N, 2]);
      const [a, b] = await Promise.all(
        [true, false].map(async (j) => {
          const m = model(j);
          const r = (await m.evaluate(x, y, { batchSize: BATCH })) as number[];
          m.dispose();
          return r;
        }),
      );
      a.forEach((v, i) => expect(Math.abs(v - b[i])).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(b[i]))));
      x.dispose();
      y.dispose();
    });
  });
}
