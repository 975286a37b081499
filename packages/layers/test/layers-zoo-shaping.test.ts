// runLayerTest over the activation, 1-D/global pooling, shaping and merge layers, plus hand-computed values.
import { setBackend, tensor, type Tensor } from '@webdl/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { getActivation } from '../src/activations.js';
import { Dense } from '../src/layers/dense.js';
import {
  Average,
  AveragePooling1D,
  Cropping2D,
  Dot,
  ELU,
  GlobalAveragePooling1D,
  GlobalMaxPooling1D,
  GlobalMaxPooling2D,
  Identity,
  LeakyReLU,
  Maximum,
  MaxPooling1D,
  Minimum,
  Multiply,
  Permute,
  PReLU,
  ReLU,
  RepeatVector,
  Softmax,
  Subtract,
  TimeDistributed,
} from '../src/layers/zoo-extra.js';
import { layers } from '../src/index.js';
import { runLayerTest } from './layer-harness.js';

beforeAll(async () => {
  await setBackend('cpu');
});

const values = async (t: Tensor | Tensor[]) =>
  Array.from(await (t as Tensor).data()).map((v) => Math.round(v * 1e5) / 1e5 + 0);

describe('constructor forms', () => {
  it('Keras positional, TF.js config objects, factories, unknown-option errors', async () => {
    const x = tensor([-2, 3, 9]);
    expect(await values(new ReLU(6, 0.1).apply(x))).toEqual([-0.2, 3, 6]);
    expect(await values(layers.reLU({ maxValue: 6, negativeSlope: 0.1 }).apply(x))).toEqual([-0.2, 3, 6]);
    expect(() => new ReLU({ maxValu: 6 } as never)).toThrow(
      /ReLU: unknown option 'maxValu' \(did you mean 'maxValue'\?\)/,
    );
    expect(new Dot({ axes: [1, 1], normalize: true }).axes).toEqual([1, 1]);
    expect(layers.separableConv2d({ filters: 4, kernelSize: 3 }).filters).toBe(4);
    expect(new layers.RepeatVector({ n: 2 }).n).toBe(2);
    expect(new GlobalMaxPooling2D().name).toMatch(/^global_max_pooling2d/);
  });
});

describe('activation layers', () => {
  it('go through the harness', async () => {
    for (const make of [
      () => new ReLU({ maxValue: 1, negativeSlope: 0.1, threshold: 0.2 }),
      () => new LeakyReLU(),
      () => new ELU({ alpha: 0.5 }),
      () => new Softmax({ axis: 1 }),
      () => new Softmax({ axis: [1, 2] }),
    ])
      await runLayerTest({ make, inputShape: [2, 3, 4], expectedOutputShape: [2, 3, 4], expectedWeights: 0 });
    await runLayerTest({
      make: () => new PReLU({ alphaInitializer: 'ones' }),
      inputShape: [2, 3, 4],
      expectedOutputShape: [2, 3, 4],
      expectedWeights: 1,
      expectedParams: 12,
    });
    await runLayerTest({
      make: () => new PReLU({ sharedAxes: [1, 2], alphaInitializer: 'ones' }),
      inputShape: [2, 3, 3, 4],
      expectedOutputShape: [2, 3, 3, 4],
      expectedWeights: 1,
      expectedParams: 4,
    });
  });

  it('ReLU: maxValue, negativeSlope and threshold as Keras defines them', async () => {
    const x = tensor([-2, 0.5, 1, 3, 9]);
    const relu = new ReLU({ maxValue: 6, negativeSlope: 0.1, threshold: 1 });
    expect(await values(relu.apply(x))).toEqual([-0.3, -0.05, 0, 3, 6]);
    expect(await values(new ReLU().apply(x))).toEqual([0, 0.5, 1, 3, 9]);
    expect(await values(new ReLU({ maxValue: 2 }).apply(x))).toEqual([0, 0.5, 1, 2, 2]);
    expect(() => new ReLU({ maxValue: -1 })).toThrow(/ReLU: maxValue must be >= 0/);
    expect(await values(new LeakyReLU().apply(x))).toEqual([-0.6, 0.5, 1, 3, 9]);
    expect(await values(new LeakyReLU({ alpha: 0.5 }).apply(x))).toEqual([-1, 0.5, 1, 3, 9]);
    expect(await values(new ELU({ alpha: 2 }).apply(tensor([-1, 2])))).toEqual([
      Math.round(2 * (Math.exp(-1) - 1) * 1e5) / 1e5,
      2,
    ]);
  });

  it('Softmax over a non-last axis and over several axes', async () => {
    const x = tensor([
      [
        [0, 1],
        [2, 3],
      ],
    ]);
    const r = (v: number) => Math.round(v * 1e5) / 1e5;
    const e = Math.E ** 2;
    // Axis 1 pairs 0 with 2 and 1 with 3: each pair is [1, e^2] / (1 + e^2).
    expect(await values(new Softmax({ axis: 1 }).apply(x))).toEqual([1, 1, e, e].map((v) => r(v / (1 + e))));
    const z = 1 + Math.E + e + Math.E ** 3;
    expect(await values(new Softmax({ axis: [1, 2] }).apply(x))).toEqual(
      [0, 1, 2, 3].map((k) => r(Math.E ** k / z)),
    );
    expect(() => new Softmax({ axis: 3 }).apply(x)).toThrow(/axis 3 is out of range/);
  });

  it('PReLU learns its slope: alpha * x below zero, its gradient is min(x, 0)', async () => {
    const prelu = new PReLU({ alphaInitializer: 'ones' });
    const x = tensor([[-2, 3]]);
    prelu.apply(x);
    prelu.setWeights([tensor([0.25, 0.5])]);
    expect(await values(prelu.apply(x))).toEqual([-0.5, 3]);
    expect(() => new PReLU({ sharedAxes: [0] })).toThrow(/sharedAxes must be 1-based/);
  });

  it('activation names Keras configs use: hard_sigmoid, hard_silu/hard_swish, swish/silu, mish, exponential, linear', async () => {
    const x = tensor([-4, -1, 0, 1, 4]);
    const run = (name: string) => values(getActivation(name)(x));
    const r = (v: number) => Math.round(v * 1e5) / 1e5;
    // Keras 3: hard_sigmoid(x) = relu6(x + 3) / 6; hard_silu(x) = x * hard_sigmoid(x).
    expect(await run('hard_sigmoid')).toEqual([0, r(2 / 6), 0.5, r(4 / 6), 1]);
    expect(await run('hard_silu')).toEqual([0, r(-2 / 6), 0, r(4 / 6), 4]);
    expect(await run('hardSwish')).toEqual([0, r(-2 / 6), 0, r(4 / 6), 4]);
    const silu = [-4, -1, 0, 1, 4].map((v) => r(v / (1 + Math.exp(-v))));
    expect(await run('swish')).toEqual(silu);
    expect(await run('silu')).toEqual(silu);
    expect(await run('mish')).toEqual(
      [-4, -1, 0, 1, 4].map((v) => r(v * Math.tanh(Math.log1p(Math.exp(v))))),
    );
    expect(await run('exponential')).toEqual([-4, -1, 0, 1, 4].map((v) => r(Math.exp(v))));
    expect(await run('linear')).toEqual([-4, -1, 0, 1, 4]);
  });
});

describe('1-D and global pooling', () => {
  it('go through the harness', async () => {
    await runLayerTest({
      make: () => new MaxPooling1D(2),
      inputShape: [2, 7, 3],
      expectedOutputShape: [2, 3, 3],
      expectedWeights: 0,
    });
    await runLayerTest({
      make: () => new AveragePooling1D(3, { strides: 2, padding: 'same' }),
      inputShape: [2, 7, 3],
      expectedOutputShape: [2, 4, 3],
      expectedWeights: 0,
    });
    await runLayerTest({
      make: () => new GlobalMaxPooling2D(),
      inputShape: [2, 4, 5, 3],
      expectedOutputShape: [2, 3],
      expectedWeights: 0,
    });
    await runLayerTest({
      make: () => new GlobalMaxPooling2D({ keepdims: true }),
      inputShape: [2, 4, 5, 3],
      expectedOutputShape: [2, 1, 1, 3],
      expectedWeights: 0,
    });
    await runLayerTest({
      make: () => new GlobalAveragePooling1D(),
      inputShape: [2, 6, 3],
      expectedOutputShape: [2, 3],
      expectedWeights: 0,
    });
    await runLayerTest({
      make: () => new GlobalMaxPooling1D({ keepdims: true }),
      inputShape: [2, 6, 3],
      expectedOutputShape: [2, 1, 3],
      expectedWeights: 0,
    });
  });

  it('values by hand', async () => {
    const x = tensor([1, 5, 2, 8, 3, 0, 4], [1, 7, 1]);
    expect(await values(new MaxPooling1D(2).apply(x))).toEqual([5, 8, 3]);
    expect(await values(new AveragePooling1D(2, { strides: 3 }).apply(x))).toEqual([3, 5.5]);
    expect(await values(new GlobalMaxPooling1D().apply(x))).toEqual([8]);
    expect(await values(new GlobalAveragePooling1D().apply(x))).toEqual(
      [23 / 7].map((v) => Math.round(v * 1e5) / 1e5),
    );
    expect(() => new MaxPooling1D(2).apply(tensor([1, 2]))).toThrow(
      /expects input \[batch, steps, channels\]/,
    );
  });
});

describe('shaping layers', () => {
  it('go through the harness', async () => {
    await runLayerTest({
      make: () =>
        new Cropping2D({
          cropping: [
            [1, 0],
            [1, 2],
          ],
        }),
      inputShape: [2, 5, 6, 3],
      expectedOutputShape: [2, 4, 3, 3],
      expectedWeights: 0,
    });
    await runLayerTest({
      make: () => new Permute([3, 1, 2]),
      inputShape: [2, 3, 4, 5],
      expectedOutputShape: [2, 5, 3, 4],
      expectedWeights: 0,
    });
    await runLayerTest({
      make: () => new RepeatVector(3),
      inputShape: [2, 4],
      expectedOutputShape: [2, 3, 4],
      expectedWeights: 0,
    });
    await runLayerTest({
      make: () => new Identity(),
      inputShape: [2, 4],
      expectedOutputShape: [2, 4],
      expectedWeights: 0,
    });
    await runLayerTest({
      make: () => new TimeDistributed(new Dense(3)),
      inputShape: [2, 5, 4],
      expectedOutputShape: [2, 5, 3],
      expectedWeights: 2,
      expectedParams: 15,
    });
  });

  it('values by hand, and clear errors', async () => {
    const img = tensor(
      Array.from({ length: 12 }, (_, i) => i),
      [1, 3, 4, 1],
    );
    expect(await values(new Cropping2D({ cropping: [1, 1] }).apply(img))).toEqual([5, 6]);
    expect(() => new Cropping2D({ cropping: 2 }).apply(img)).toThrow(/removes every row/);
    expect(await (new Permute([2, 1]).apply(tensor([[[1, 2, 3]]])) as Tensor).array()).toEqual([
      [[1], [2], [3]],
    ]);
    expect(() => new Permute([1, 3])).toThrow(/Permute: dims must be a permutation/);
    expect(await (new RepeatVector(2).apply(tensor([[1, 2]])) as Tensor).array()).toEqual([
      [
        [1, 2],
        [1, 2],
      ],
    ]);
    // TimeDistributed shares one Dense over the steps: step t of the output is Dense(step t).
    const td = new TimeDistributed(new Dense(2));
    const seq = tensor([1, 2, 3, 4, 5, 6], [1, 3, 2]);
    const y = td.apply(seq) as Tensor;
    const dense = td.layer as Dense;
    const step1 = dense.apply(tensor([[3, 4]])) as Tensor;
    expect((await values(y)).slice(2, 4)).toEqual(await values(step1));
    expect(() => td.apply(tensor([[1, 2]]))).toThrow(/rank >= 3/);
  });
});

describe('merge layers', () => {
  const two = [
    [2, 3],
    [2, 3],
  ];
  it('go through the harness', async () => {
    for (const make of [
      () => new Multiply(),
      () => new Average(),
      () => new Maximum(),
      () => new Minimum(),
    ]) {
      await runLayerTest({
        make,
        inputShape: [...two, [2, 3]],
        expectedOutputShape: [2, 3],
        expectedWeights: 0,
      });
    }
    await runLayerTest({
      make: () => new Subtract(),
      inputShape: two,
      expectedOutputShape: [2, 3],
      expectedWeights: 0,
    });
    await runLayerTest({
      make: () => new Dot(1),
      inputShape: two,
      expectedOutputShape: [2, 1],
      expectedWeights: 0,
    });
    await runLayerTest({
      make: () => new Dot([2, 2], { normalize: true }),
      inputShape: [
        [2, 3, 4],
        [2, 5, 4],
      ],
      expectedOutputShape: [2, 3, 5],
      expectedWeights: 0,
    });
    await runLayerTest({
      make: () => new Dot([1, 2]),
      inputShape: [
        [2, 4],
        [2, 3, 4],
      ],
      expectedOutputShape: [2, 3],
      expectedWeights: 0,
    });
  });

  it('values by hand, and clear errors', async () => {
    const a = tensor([[1, -2, 3]]);
    const b = tensor([[4, 5, -6]]);
    expect(await values(new Multiply().apply([a, b]))).toEqual([4, -10, -18]);
    expect(await values(new Subtract().apply([a, b]))).toEqual([-3, -7, 9]);
    expect(await values(new Average().apply([a, b]))).toEqual([2.5, 1.5, -1.5]);
    expect(await values(new Maximum().apply([a, b]))).toEqual([4, 5, 3]);
    expect(await values(new Minimum().apply([a, b]))).toEqual([1, -2, -6]);
    expect(await values(new Dot(1).apply([a, b]))).toEqual([4 - 10 - 18]);
    const cos = (4 - 10 - 18) / (Math.sqrt(14) * Math.sqrt(77));
    expect(await values(new Dot(-1, { normalize: true }).apply([a, b]))).toEqual([
      Math.round(cos * 1e5) / 1e5,
    ]);
    expect(() => new Subtract().apply([a, b, a])).toThrow(/exactly 2 inputs, got 3/);
    expect(() => new Multiply().apply([a, tensor([[1, 2]])])).toThrow(/cannot be broadcast/);
    expect(() => new Dot(1).apply([a, tensor([[1, 2]])])).toThrow(/contracted dimensions differ: 3/);
  });
});
