// A whole training step (forward, backward, Adam) under jit vs eager over 30 steps, for an MLP and
// a CNN: same losses and weights at 1e-4; 1000 jitted steps keep memory flat. Run on the CPU
// backend (jit-training.test.ts) and on WebGPU (jit-training-gpu.test.ts).
import {
  GradientTape,
  jit,
  memory,
  oneHot,
  randomNormal,
  randomUniform,
  setBackend,
  type Tensor,
} from '@webdl/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { setRandomSeed } from '../src/initializers.js';
import { Dense } from '../src/layers/dense.js';
import { Flatten } from '../src/layers/flatten.js';
import { Conv2D, MaxPooling2D } from '../src/layers/zoo.js';
import { categoricalCrossentropy } from '../src/losses.js';
import { Sequential } from '../src/models/sequential.js';
import { Adam } from '../src/optimizers/adam.js';

type Build = () => Sequential;

const mlp: Build = () =>
  new Sequential([
    new Dense(16, { activation: 'relu', inputShape: [12] }),
    new Dense(16, { activation: 'tanh' }),
    new Dense(4, { activation: 'softmax' }),
  ]);
const cnn: Build = () =>
  new Sequential([
    new Conv2D(4, 3, { activation: 'relu', padding: 'same', inputShape: [8, 8, 2] }),
    new MaxPooling2D(2),
    new Conv2D(6, 3, { activation: 'relu' }),
    new Flatten(),
    new Dense(4, { activation: 'softmax' }),
  ]);

function trainStep(model: Sequential, opt: Adam) {
  return (x: Tensor, y: Tensor): Tensor => {
    const tape = new GradientTape();
    const loss = tape.record(() =>
      categoricalCrossentropy(y, model.apply(x, { training: true }) as Tensor).mean(),
    );
    opt.applyGradients(tape.gradient(loss, model.trainableWeights), model.trainableWeights);
    return loss;
  };
}

function batch(inputShape: number[], step: number): [Tensor, Tensor] {
  const x = randomNormal([6, ...inputShape], { seed: 100 + step });
  const labels = randomUniform([6], { minval: 0, maxval: 4, seed: 200 + step })
    .floor()
    .cast('int32');
  const y = oneHot(labels, 4);
  labels.dispose();
  return [x, y];
}

async function compare(build: Build, inputShape: number[]) {
  setRandomSeed(3);
  const eagerModel = build();
  setRandomSeed(3);
  const jitModel = build();
  const eagerStep = trainStep(eagerModel, new Adam({ learningRate: 0.01 }));
  const jitStep = jit(trainStep(jitModel, new Adam({ learningRate: 0.01 })));
  for (let s = 0; s < 30; s++) {
    const [x, y] = batch(inputShape, s);
    const a = eagerStep(x, y);
    const b = jitStep(x, y);
    expect(Math.abs((await b.item()) - (await a.item())), `loss at step ${s}`).toBeLessThan(1e-4);
    for (const t of [x, y, a, b]) t.dispose();
  }
  expect(jitStep.traceCount).toBe(1);
  const we = eagerModel.trainableWeights;
  const wj = jitModel.trainableWeights;
  for (let i = 0; i < we.length; i++) {
    const [p, q] = [await we[i].data(), await wj[i].data()];
    p.forEach((v, k) => expect(Math.abs(v - q[k]), `${we[i].name}[${k}]`).toBeLessThan(1e-4));
  }
  jitStep.dispose();
}

/** The suite on a backend. */
export function jitTrainingSuite(backend: 'cpu' | 'webgpu'): void {
  describe(`jitted training steps on ${backend}`, () => {
    beforeAll(async () => {
      await setBackend(backend);
    });

    it('an MLP step with Adam gives the eager losses and weights over 30 steps', async () => {
      await compare(mlp, [12]);
    });

    it('a CNN step with Adam gives the eager losses and weights over 30 steps', async () => {
      await compare(cnn, [8, 8, 2]);
    });

    // 1000 steps on the CPU backend; 100 on WebGPU (software adapter) keep the suite short.
    const steps = backend === 'cpu' ? 1000 : 100;
    it(`${steps} jitted MLP steps keep memory flat`, async () => {
      setRandomSeed(1);
      const model = mlp();
      const step = jit(trainStep(model, new Adam()));
      const [x, y] = batch([12], 0);
      step(x, y).dispose();
      step(x, y).dispose();
      const before = memory();
      for (let i = 0; i < steps; i++) step(x, y).dispose();
      const after = memory();
      expect([after.numTensors, after.numBytes, after.numBytesInBackend]).toEqual([
        before.numTensors,
        before.numBytes,
        before.numBytesInBackend,
      ]);
      step.dispose();
    });
  });
}
