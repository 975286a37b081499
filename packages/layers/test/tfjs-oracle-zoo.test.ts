// Forward numerics of the newer zoo layers against TensorFlow.js (dev-only oracle, CPU backend), within 1e-4.
import * as tf from '@tensorflow/tfjs';
import { setBackend, type Tensor } from '@webdl/core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { Activation } from '../src/layers/activation.js';
import { Conv2D } from '../src/layers/conv.js';
import { Dense } from '../src/layers/dense.js';
import type { Layer } from '../src/engine/layer.js';
import {
  Average,
  AveragePooling1D,
  Cropping2D,
  Dot,
  ELU,
  GlobalAveragePooling1D,
  GlobalMaxPooling1D,
  GlobalMaxPooling2D,
  LeakyReLU,
  Maximum,
  MaxPooling1D,
  Minimum,
  Multiply,
  Permute,
  PReLU,
  ReLU,
  RepeatVector,
  SeparableConv2D,
  Softmax,
  TimeDistributed,
} from '../src/layers/zoo-extra.js';
import { compare, maxErrors, record, shared } from './tfjs-compare.js';

beforeAll(async () => {
  await setBackend('cpu');
  await tf.setBackend('cpu');
});

afterAll(() => {
  console.info('tfjs oracle (zoo) max abs errors:', JSON.stringify(maxErrors));
});

/** Merges: the same random inputs through both layers. */
async function compareMerge(label: string, ours: Layer, theirs: tf.layers.Layer, shapes: number[][]) {
  const pairs = await Promise.all(shapes.map((s) => shared(s)));
  const y = ours.apply(pairs.map(([a]) => a)) as Tensor;
  const yt = theirs.apply(pairs.map(([, b]) => b)) as tf.Tensor;
  record(label, await y.data(), await yt.data());
}

describe('newer zoo layers match TensorFlow.js', () => {
  it('activation layers and activations', async () => {
    await compare('ReLU', new ReLU({ maxValue: 0.7 }), tf.layers.reLU({ maxValue: 0.7 }), [3, 5]);
    await compare(
      'LeakyReLU',
      new LeakyReLU({ negativeSlope: 0.2 }),
      tf.layers.leakyReLU({ alpha: 0.2 }),
      [3, 5],
    );
    await compare('PReLU', new PReLU(), tf.layers.prelu({}), [2, 4, 3]);
    await compare(
      'PReLU',
      new PReLU({ sharedAxes: [1, 2] }),
      tf.layers.prelu({ sharedAxes: [1, 2] }),
      [2, 3, 3, 4],
    );
    await compare('ELU', new ELU(), tf.layers.elu(), [3, 5]);
    await compare('Softmax', new Softmax(), tf.layers.softmax({ axis: 2 }), [2, 4, 3]);
    for (const name of ['swish', 'mish', 'elu', 'selu', 'softplus', 'softsign', 'gelu'] as const)
      await compare(
        `activation ${name}`,
        new Activation(name),
        tf.layers.activation({ activation: name }),
        [4, 6],
      );
  });

  it('pooling', async () => {
    await compare(
      'MaxPooling1D',
      new MaxPooling1D(3, { strides: 2 }),
      tf.layers.maxPooling1d({ poolSize: 3, strides: 2 }),
      [2, 9, 3],
    );
    await compare(
      'AveragePooling1D',
      new AveragePooling1D(3, { strides: 2, padding: 'same' }),
      tf.layers.averagePooling1d({ poolSize: 3, strides: 2, padding: 'same' }),
      [2, 8, 3],
    );
    await compare(
      'GlobalMaxPooling2D',
      new GlobalMaxPooling2D(),
      tf.layers.globalMaxPooling2d({}),
      [2, 4, 5, 3],
    );
    await compare('GlobalMaxPooling1D', new GlobalMaxPooling1D(), tf.layers.globalMaxPooling1d(), [2, 6, 3]);
    await compare(
      'GlobalAveragePooling1D',
      new GlobalAveragePooling1D(),
      tf.layers.globalAveragePooling1d(),
      [2, 6, 3],
    );
  });

  it('shaping', async () => {
    await compare(
      'Cropping2D',
      new Cropping2D({
        cropping: [
          [1, 2],
          [0, 1],
        ],
      }),
      tf.layers.cropping2D({
        cropping: [
          [1, 2],
          [0, 1],
        ],
      }),
      [2, 6, 5, 2],
    );
    await compare('Permute', new Permute([2, 3, 1]), tf.layers.permute({ dims: [2, 3, 1] }), [2, 3, 4, 5]);
    await compare('RepeatVector', new RepeatVector(3), tf.layers.repeatVector({ n: 3 }), [2, 4]);
    await compare(
      'TimeDistributed',
      new TimeDistributed(new Dense(3, { activation: 'tanh' })),
      tf.layers.timeDistributed({ layer: tf.layers.dense({ units: 3, activation: 'tanh' }) }),
      [2, 5, 4],
    );
  });

  it('SeparableConv2D, and Conv2D with groups against per-group tf.conv2d', async () => {
    await compare(
      'SeparableConv2D',
      new SeparableConv2D(4, 3, { depthMultiplier: 2, strides: 2, padding: 'same', activation: 'relu' }),
      tf.layers.separableConv2d({
        filters: 4,
        kernelSize: 3,
        depthMultiplier: 2,
        strides: 2,
        padding: 'same',
        activation: 'relu',
      }),
      [2, 7, 6, 3],
    );
    await compare(
      'SeparableConv2D',
      new SeparableConv2D(2, [2, 3], { dilationRate: 2 }),
      tf.layers.separableConv2d({ filters: 2, kernelSize: [2, 3], dilationRate: 2 }),
      [1, 7, 8, 2],
    );
    const conv = new Conv2D(6, 3, { groups: 3, padding: 'same' });
    const [x, xt] = await shared([2, 5, 6, 6]);
    conv.apply(x);
    const [k, kt] = await shared([3, 3, 2, 6]);
    const [b, bt] = await shared([6]);
    conv.setWeights([k, b]);
    const y = conv.apply(x) as Tensor;
    const xg = tf.split(xt, 3, 3);
    const kg = tf.split(kt, 3, 3);
    const yt = tf
      .concat(
        xg.map((xi, g) => tf.conv2d(xi as tf.Tensor4D, kg[g] as tf.Tensor4D, 1, 'same')),
        3,
      )
      .add(bt);
    record('Conv2D groups', await y.data(), await yt.data());
  });

  it('merges', async () => {
    const s = [
      [3, 4],
      [3, 4],
      [3, 4],
    ];
    await compareMerge('Multiply', new Multiply(), tf.layers.multiply(), s);
    await compareMerge('Average', new Average(), tf.layers.average(), s);
    await compareMerge('Maximum', new Maximum(), tf.layers.maximum(), s);
    await compareMerge('Minimum', new Minimum(), tf.layers.minimum(), s);
    await compareMerge('Dot', new Dot(1), tf.layers.dot({ axes: 1 }), s.slice(0, 2));
    await compareMerge(
      'Dot',
      new Dot(-1, { normalize: true }),
      tf.layers.dot({ axes: -1, normalize: true }),
      s.slice(0, 2),
    );
    await compareMerge('Dot', new Dot([2, 2]), tf.layers.dot({ axes: [2, 2] }), [
      [2, 3, 4],
      [2, 5, 4],
    ]);
    await compareMerge('Dot', new Dot([1, 1]), tf.layers.dot({ axes: [1, 1] }), [
      [2, 3, 4],
      [2, 3, 5],
    ]);
  });
});
