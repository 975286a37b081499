// Shared suite: fit survives a WebGPU device loss (getDevice().destroy() mid-epoch); the last epoch-end
// snapshot is restored on the new device and the epoch reruns. Run in Node (device-loss-fit.test.ts)
// and in headless Chromium (device-loss-fit.browser.test.ts); eager and jit-compiled steps, fit(x, y) and
// fit(dataset) (the dataset is iterated afresh for the rerun).
import {
  getBackend,
  memory,
  randomNormal,
  randomUniform,
  ready,
  setBackend,
  tensor,
  type Tensor,
} from '@webdl/core';
import { getDevice } from '@webdl/webgpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { generator } from '../src/data/sources.js';
import { setRandomSeed } from '../src/initializers.js';
import { Dense } from '../src/layers/dense.js';
import { Sequential } from '../src/models/sequential.js';

const EPOCHS = 4;

interface Run {
  weights: Float32Array[];
  epochs: number[];
  losses: number[];
  lostIn: number[];
  lostErrors: Error[];
  leaked: number;
  leakedBytes: number;
}

/**
 * Batches of 8 made afresh from host copies on every pass: after a device loss, re-iterating the
 * dataset yields them on the new device.
 */
async function hostBatches(x: Tensor, y: Tensor) {
  const [xh, yh] = await Promise.all([x.data(), y.data()]);
  const [cx, cy] = [x.shape[1], y.shape[1]];
  return generator(function* () {
    for (let lo = 0; lo < x.shape[0]; lo += 8)
      yield {
        xs: tensor(xh.slice(lo * cx, (lo + 8) * cx), [8, cx]),
        ys: tensor(yh.slice(lo * cy, (lo + 8) * cy), [8, cy]),
      };
  });
}

/** How fit gets its data: tensors, a dataset iterated once per epoch, or a repeated one with stepsPerEpoch. */
type Source = 'tensors' | 'dataset' | 'stepsPerEpoch';

/**
 * Trains a seeded MLP with shuffle:false on `source`; `destroyAt` = [epoch, batch] destroys the
 * device after that batch.
 */
async function train(
  jitCompile: boolean,
  destroyAt: [number, number] | null,
  source: Source = 'tensors',
): Promise<Run> {
  const before = memory();
  const x = randomNormal([24, 5], { seed: 1 });
  const y = randomUniform([24, 2], { seed: 2 });
  const xv = randomNormal([8, 5], { seed: 3 });
  const yv = randomUniform([8, 2], { seed: 4 });
  setRandomSeed(11);
  const model = new Sequential([
    new Dense(8, { activation: 'tanh', inputShape: [5] }),
    new Dense(2, { activation: 'sigmoid' }),
  ]);
  model.compile({ optimizer: 'adam', loss: 'mse', metrics: ['mae'], jitCompile });
  let epoch = -1;
  const lostIn: number[] = [];
  const lostErrors: Error[] = [];
  let destroyed = false;
  const batches = source === 'tensors' ? null : await hostBatches(x, y);
  const ds = source === 'stepsPerEpoch' ? batches?.repeat() : batches;
  const fitArgs = {
    epochs: EPOCHS,
    verbose: 0,
    validationData: [xv, yv] as [Tensor, Tensor],
    callbacks: [
      {
        onEpochBegin: (e: number) => {
          epoch = e;
        },
        onBatchEnd: (b: number) => {
          if (destroyAt && !destroyed && epoch === destroyAt[0] && b === destroyAt[1]) {
            destroyed = true;
            getDevice().destroy();
          }
        },
        onDeviceLost: (e: number, err: Error) => {
          lostIn.push(e);
          lostErrors.push(err);
        },
      },
    ],
  };
  const history = ds
    ? await model.fit(ds, source === 'stepsPerEpoch' ? { ...fitArgs, stepsPerEpoch: 3 } : fitArgs)
    : await model.fit(x, y, { ...fitArgs, batchSize: 8, shuffle: false });
  const weights = await Promise.all(model.weights.map(async (w) => (await w.data()) as Float32Array));
  model.dispose();
  // x, y and the validation data were lost with the device: fit trained on host copies of them.
  for (const t of [x, y, xv, yv] as Tensor[]) t.dispose();
  const epochs = history.epoch;
  const losses = (history.history.loss as number[]).slice();
  return {
    weights,
    epochs,
    losses,
    lostIn,
    lostErrors,
    leaked: memory().numTensors - before.numTensors,
    leakedBytes: memory().numBytes - before.numBytes,
  };
}

/** Registers the device-loss fit suite; `where` names the runtime (Node/Dawn or headless Chromium). */
export function deviceLossFitSuite(where: string): void {
  describe(`fit across a WebGPU device loss (${where})`, () => {
    beforeAll(async () => {
      await setBackend('webgpu');
      expect(getBackend()).toBe('webgpu');
    });

    for (const [jitCompile, source] of [
      [false, 'tensors'],
      [true, 'tensors'],
      [true, 'dataset'],
      [true, 'stepsPerEpoch'],
    ] as const) {
      const on = {
        tensors: '',
        dataset: 'fit(dataset), ',
        stepsPerEpoch: 'fit(dataset) with stepsPerEpoch, ',
      }[source];
      it(`restores the epoch-end snapshot and reruns the epoch (${on}jitCompile ${jitCompile})`, async () => {
        const clean = await train(jitCompile, null, source);
        expect(clean.lostIn).toEqual([]);
        expect(clean.leaked).toBe(0);
        expect(clean.leakedBytes).toBe(0);
        const first = getDevice();
        const lost = await train(jitCompile, [2, 1], source);
        await ready();
        expect(getDevice()).not.toBe(first);
        expect(lost.lostIn).toEqual([2]);
        expect(lost.lostErrors[0].message).toMatch(/lost/);
        expect(lost.epochs).toEqual([0, 1, 2, 3]);
        expect(lost.losses).toHaveLength(EPOCHS);
        lost.losses.forEach((l, i) => expect(l).toBeCloseTo(clean.losses[i], 5));
        expect(lost.weights).toHaveLength(clean.weights.length);
        lost.weights.forEach((w, i) => {
          const maxDiff = Math.max(...w.map((v, j) => Math.abs(v - clean.weights[i][j])));
          expect(maxDiff).toBeLessThan(1e-5);
        });
        expect(lost.leaked).toBe(0);
        expect(lost.leakedBytes).toBe(0);
      });
    }
  });
}
