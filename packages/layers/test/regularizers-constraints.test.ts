// Regularizers (L1, L2, L1L2) added to the loss in fit, activity regularization, and constraints applied after each update.
import { memory, setBackend, tensor, tidy, zeros, type Tensor } from '@webdl/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Sequential, constraints, layers, optimizers, regularizers } from '../src/index.js';
import { runLayerTest } from './layer-harness.js';

beforeAll(async () => {
  await setBackend('cpu');
});

const vals = async (t: Tensor) => Array.from(await t.data()).map((v) => Math.round(v * 1e5) / 1e5 + 0);

describe('regularizers', () => {
  it('L1, L2 and L1L2 by hand, by name and from configs', async () => {
    const w = tensor([1, -2, 3]);
    expect(await new regularizers.L1({ l1: 0.1 }).apply(w).item()).toBeCloseTo(0.6, 6);
    expect(await new regularizers.L2().apply(w).item()).toBeCloseTo(0.14, 6);
    expect(await new regularizers.L1L2({ l1: 0.1, l2: 0.5 }).apply(w).item()).toBeCloseTo(0.6 + 7, 5);
    expect(regularizers.getRegularizer('l1_l2')?.getConfig()).toEqual({ l1: 0, l2: 0 });
    expect(regularizers.getRegularizer({ className: 'L2', config: { l2: 0.3 } })?.getConfig()).toEqual({
      l2: 0.3,
    });
    expect(regularizers.getRegularizer(null)).toBeNull();
    expect(() => regularizers.getRegularizer('l3')).toThrow(/Unknown regularizer 'l3'/);
    expect(() => new regularizers.L2({ l2: -1 })).toThrow(/l2 must be a finite number >= 0/);
  });

  it('a kernel regularizer joins the loss and its gradient (hand-computed SGD step)', async () => {
    // x = 0, so the data loss is mean(y²) = 4 and its gradient is 0: only the penalty moves the kernel.
    const model = new Sequential([
      new layers.Dense(1, {
        useBias: false,
        kernelInitializer: 'ones',
        kernelRegularizer: new regularizers.L2({ l2: 0.5 }),
        inputShape: [2],
      }),
    ]);
    model.compile({ optimizer: new optimizers.SGD({ learningRate: 0.1 }), loss: 'mse' });
    const loss = (await model.trainOnBatch(zeros([3, 2]), tensor([[2], [2], [2]]))) as number;
    expect(loss).toBeCloseTo(4 + 0.5 * 2, 5);
    // w ← w - 0.1 · (2 · 0.5 · w) = 0.9.
    expect(await vals(model.layers[0].weights[0])).toEqual([0.9, 0.9]);
    // evaluate includes the penalty too (as Keras); predict computes none.
    expect((await model.evaluate(zeros([3, 2]), tensor([[2], [2], [2]]))) as number).toBeCloseTo(
      4 + 0.5 * 1.62,
      5,
    );
  });

  it('an activity regularizer adds a penalty on the layer output', async () => {
    const model = new Sequential([
      new layers.Dense(1, {
        useBias: false,
        kernelInitializer: 'ones',
        activityRegularizer: 'l1',
        inputShape: [2],
      }),
    ]);
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    // Output 3, target 3: the loss is only 0.01 · |3|.
    expect((await model.trainOnBatch(tensor([[1, 2]]), tensor([[3]]))) as number).toBeCloseTo(0.03, 6);
    expect(model.layers[0].getConfig().activityRegularizer).toEqual({
      className: 'L1',
      config: { l1: 0.01 },
    });
  });

  it('configs round-trip through the harness; predict leaks nothing', async () => {
    await runLayerTest({
      make: () =>
        new layers.Dense(3, {
          kernelRegularizer: 'l2',
          biasRegularizer: new regularizers.L1({ l1: 0.2 }),
          kernelConstraint: 'max_norm',
          biasConstraint: 'non_neg',
          activityRegularizer: 'l1_l2',
        }),
      inputShape: [2, 4],
      expectedOutputShape: [2, 3],
      expectedWeights: 2,
    });
    await runLayerTest({
      make: () => new layers.LSTM(2, { recurrentRegularizer: 'l2', kernelConstraint: 'unit_norm' }),
      inputShape: [2, 3, 2],
      expectedOutputShape: [2, 2],
      expectedWeights: 3,
    });
    await runLayerTest({
      make: () => new layers.Conv2D(2, 3, { kernelRegularizer: { className: 'L1L2', config: { l1: 0.1 } } }),
      inputShape: [1, 4, 4, 2],
      expectedOutputShape: [1, 2, 2, 2],
      expectedWeights: 2,
    });
    const dense = new layers.Dense(2, { activityRegularizer: 'l2', kernelRegularizer: 'l2' });
    tidy(() => dense.apply(zeros([1, 3])));
    const before = memory().numTensors;
    for (let i = 0; i < 5; i++)
      tidy(() => {
        dense.apply(zeros([1, 3]));
      });
    expect(memory().numTensors).toBe(before);
    expect(() => new layers.Dense(2, { kernelRegularizer: 'l5' })).toThrow(
      /Dense: kernel option: Unknown regularizer 'l5'/,
    );
  });
});

describe('constraints', () => {
  it('MaxNorm, NonNeg, UnitNorm and MinMaxNorm by hand', async () => {
    // Columns [3, 4] (norm 5) and [0, 1] (norm 1).
    const w = tensor([
      [3, 0],
      [4, 1],
    ]);
    expect(await vals(new constraints.MaxNorm({ maxValue: 2 }).apply(w))).toEqual([1.2, 0, 1.6, 1]);
    expect(await vals(new constraints.NonNeg().apply(tensor([-1, 2])))).toEqual([0, 2]);
    expect(await vals(new constraints.UnitNorm().apply(w))).toEqual([0.6, 0, 0.8, 1]);
    expect(await vals(new constraints.UnitNorm({ axis: 1 }).apply(tensor([[3, 4]])))).toEqual([0.6, 0.8]);
    const mm = new constraints.MinMaxNorm({ minValue: 2, maxValue: 4, rate: 0.5 });
    // Column norms 5 → 0.5·4 + 0.5·5 = 4.5; 1 → 0.5·2 + 0.5·1 = 1.5.
    expect(await vals(mm.apply(w))).toEqual([2.7, 0, 3.6, 1.5]);
    expect(constraints.getConstraint('nonNeg')?.className).toBe('NonNeg');
    expect(() => constraints.getConstraint('positive')).toThrow(/Unknown constraint 'positive'/);
  });

  it('are applied after each optimizer update, in fit and in custom loops', async () => {
    const model = new Sequential([
      new layers.Dense(1, {
        useBias: false,
        kernelInitializer: 'ones',
        kernelConstraint: 'non_neg',
        inputShape: [2],
      }),
    ]);
    model.compile({ optimizer: new optimizers.SGD({ learningRate: 1 }), loss: 'mse' });
    // Prediction 3 for target -3: the gradient 2 · 6 · x pushes both weights far below zero; NonNeg clips to 0.
    await model.trainOnBatch(tensor([[1, 2]]), tensor([[-3]]));
    expect(await vals(model.layers[0].weights[0])).toEqual([0, 0]);
    const dense = new layers.Dense(2, { kernelConstraint: new constraints.MaxNorm({ maxValue: 1 }) });
    dense.apply(zeros([1, 2]));
    const k = dense.weights[0];
    new optimizers.SGD({ learningRate: 1 }).applyGradients(
      [
        tensor([
          [-10, 0],
          [0, 0],
        ]),
        zeros([2]),
      ],
      dense.weights,
    );
    const cols = (await k.array()) as number[][];
    expect(Math.hypot(cols[0][0], cols[1][0])).toBeLessThanOrEqual(1 + 1e-6);
  });
});
