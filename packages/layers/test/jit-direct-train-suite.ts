// The trainer's compiled step without shadow runs (jit's `direct`): a learning rate set between
// steps, a schedule, a changed step count, weight decay, a weight written from outside, a layer
// made non-trainable and a LearningRateScheduler callback all act as in eager training (losses and
// weights at 1e-5), and the step's JavaScript runs only for the trace and its verifying replay.
// On the CPU backend (jit-direct-train.test.ts) and WebGPU (jit-direct-train-gpu.test.ts).
import { oneHot, randomNormal, randomUniform, setBackend, tensor, type Tensor } from '@webdl/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { LearningRateScheduler } from '../src/callbacks.js';
import { setRandomSeed } from '../src/initializers.js';
import { Dense } from '../src/layers/dense.js';
import { Sequential } from '../src/models/sequential.js';
import { Adam, AdamW } from '../src/optimizers/adam.js';
import type { Optimizer } from '../src/optimizers/optimizer.js';
import { ExponentialDecay } from '../src/optimizers/schedules.js';
import { SGD } from '../src/optimizers/sgd.js';

/** A model whose first layer counts its calls (how often the step's JavaScript ran). */
function build(opt: Optimizer, jitCompile: boolean): { model: Sequential; calls: () => number } {
  setRandomSeed(11);
  const first = new Dense(8, { activation: 'relu', inputShape: [5] });
  const model = new Sequential([
    first,
    new Dense(8, { activation: 'tanh' }),
    new Dense(3, { activation: 'softmax' }),
  ]);
  let n = 0;
  const call = first.call.bind(first);
  first.call = (...a: Parameters<typeof call>) => (n++, call(...a));
  model.compile({ optimizer: opt, loss: 'categorical_crossentropy', jitCompile });
  return { model, calls: () => n };
}

function batch(step: number): [Tensor, Tensor] {
  const x = randomNormal([6, 5], { seed: 300 + step });
  const labels = randomUniform([6], { minval: 0, maxval: 3, seed: 400 + step })
    .floor()
    .cast('int32');
  const y = oneHot(labels, 3);
  labels.dispose();
  return [x, y];
}

async function expectSameWeights(a: Sequential, b: Sequential) {
  const [wa, wb] = [a.trainableWeights, b.trainableWeights];
  for (let i = 0; i < wa.length; i++) {
    const [p, q] = [await wa[i].data(), await wb[i].data()];
    p.forEach((v, k) => expect(Math.abs(v - q[k]), `${wa[i].name}[${k}]`).toBeLessThan(1e-5));
  }
}

/** Runs `steps` trainOnBatch steps on an eager and a compiled model, `between(step, model)` before each. */
async function compare(
  makeOpt: () => Optimizer,
  steps: number,
  between: (step: number, m: Sequential) => void = () => undefined,
) {
  const eager = build(makeOpt(), false);
  const jitted = build(makeOpt(), true);
  for (let s = 0; s < steps; s++) {
    for (const m of [eager.model, jitted.model]) between(s, m);
    const [x, y] = batch(s);
    const a = (await eager.model.trainOnBatch(x, y)) as number;
    const b = (await jitted.model.trainOnBatch(x, y)) as number;
    expect(Math.abs(a - b), `loss at step ${s}`).toBeLessThan(1e-5);
    x.dispose();
    y.dispose();
  }
  await expectSameWeights(eager.model, jitted.model);
  expect(jitted.model.optimizer.iterations).toBe(eager.model.optimizer.iterations);
  return { eager, jitted };
}

export function jitDirectTrainSuite(backend: 'cpu' | 'webgpu'): void {
  describe(`compiled train step without shadow runs on ${backend}`, () => {
    beforeAll(async () => {
      await setBackend(backend);
    });

    it('follows a learning rate set between steps, a changed step count and a weight written outside', async () => {
      const { jitted } = await compare(
        () => new Adam({ learningRate: 0.01 }),
        8,
        (s, m) => {
          if (s === 3) m.optimizer.learningRate = 0.05;
          if (s === 5) m.optimizer.iterations = 40;
          if (s === 6)
            m.trainableWeights[0].assign(
              tensor(
                Array.from({ length: 40 }, (_, i) => (i % 7) / 10 - 0.3),
                [5, 8],
              ),
            );
        },
      );
      // The trace and the replay that verified it ran the JavaScript; the 6 later steps did not.
      expect(jitted.calls()).toBe(2);
    });

    it('follows a schedule with weight decay, and SGD with Nesterov momentum', async () => {
      const decay = () =>
        new AdamW({
          learningRate: new ExponentialDecay({ initialLearningRate: 0.05, decaySteps: 2, decayRate: 0.5 }),
          weightDecay: 0.1,
        });
      expect((await compare(decay, 6)).jitted.calls()).toBe(2);
      const sgd = () => new SGD({ learningRate: 0.1, momentum: 0.9, nesterov: true });
      expect(
        (await compare(sgd, 6, (s, m) => s === 3 && (m.optimizer.learningRate = 0.02))).jitted.calls(),
      ).toBe(2);
    });

    it('traces again when a layer is made non-trainable or weight decay is turned on', async () => {
      const { jitted } = await compare(
        () => new Adam({ learningRate: 0.02 }),
        8,
        (s, m) => {
          if (s === 3) m.layers[1].trainable = false;
          if (s === 6) m.optimizer.weightDecay = 0.5;
        },
      );
      expect(jitted.calls()).toBe(6);
    });

    it('fit with a LearningRateScheduler gives the eager per-epoch losses', async () => {
      const histories: number[][] = [];
      for (const jitCompile of [false, true]) {
        const { model } = build(new Adam({ learningRate: 0.01 }), jitCompile);
        const x = randomNormal([24, 5], { seed: 5 });
        const y = oneHot(randomUniform([24], { minval: 0, maxval: 3, seed: 6 }).floor().cast('int32'), 3);
        const lr = new LearningRateScheduler((epoch, rate) => (epoch === 0 ? rate : rate * 3));
        const h = await model.fit(x, y, {
          epochs: 4,
          batchSize: 8,
          shuffle: false,
          verbose: 0,
          callbacks: [lr],
        });
        histories.push(h.history.loss as number[]);
        x.dispose();
        y.dispose();
      }
      histories[0].forEach((v, e) => expect(Math.abs(v - histories[1][e]), `epoch ${e}`).toBeLessThan(1e-5));
    });
  });
}
