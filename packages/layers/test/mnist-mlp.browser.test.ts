// Acceptance (issue 5) on WebGPU in headless Chromium: the Keras-introduction MLP on 8,000 MNIST digits reaches >= 0.92.
import { registerWebGPU } from '@webdl/webgpu';
import { getBackend, setBackend } from '@webdl/core';
import { beforeAll, expect, it } from 'vitest';
import { loadMnist } from '@webdl/datasets';
import { Sequential, layers, setRandomSeed } from '../src/index.js';

registerWebGPU();

beforeAll(async () => {
  await setBackend('webgpu');
});

it('MLP on MNIST on webgpu (8000 train digits, 4 epochs, batch 64, adam) reaches >= 0.92 on the held-out digits', async () => {
  expect(getBackend()).toBe('webgpu');
  setRandomSeed(1);
  const { xTrain, yTrain, xTest, yTest } = await loadMnist({ train: 8000, test: 2000 });
  const model = new Sequential([
    new layers.Flatten({ inputShape: [784] }),
    new layers.Dense(128, { activation: 'relu' }),
    new layers.Dense(128, { activation: 'relu' }),
    new layers.Dense(10, { activation: 'softmax' }),
  ]);
  model.compile({ optimizer: 'adam', loss: 'categorical_crossentropy', metrics: ['accuracy'] });
  const start = performance.now();
  const history = await model.fit(xTrain, yTrain, { epochs: 4, batchSize: 64, verbose: 0 });
  const [loss, accuracy] = (await model.evaluate(xTest, yTest, { batchSize: 256 })) as number[];
  console.log(
    `MNIST MLP on webgpu: 4 epochs in ${((performance.now() - start) / 1000).toFixed(1)} s, test loss ${loss.toFixed(4)}, accuracy ${accuracy.toFixed(4)}`,
  );
  expect(history.history.loss[3]).toBeLessThan(history.history.loss[0]);
  expect(accuracy).toBeGreaterThanOrEqual(0.92);
}, 300_000);
