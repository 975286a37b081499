// Forward numerics against TensorFlow.js (dev-only oracle, CPU backend) on identical weights, within 1e-4.
import * as tf from '@tensorflow/tfjs';
import { setBackend, tensor, type Tensor } from '@webdl/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallArgs } from '../src/engine/layer.js';
import { Dense } from '../src/layers/dense.js';
import {
  AveragePooling2D,
  BatchNormalization,
  Conv1D,
  Conv2D,
  Conv2DTranspose,
  DepthwiseConv2D,
  Embedding,
  GRU,
  LayerNormalization,
  LSTM,
  MaxPooling2D,
  MultiHeadAttention,
  SimpleRNN,
  UpSampling2D,
} from '../src/layers/zoo.js';
import { compare, maxErrors, record, shared } from './tfjs-compare.js';

beforeAll(async () => {
  await setBackend('cpu');
  await tf.setBackend('cpu');
});

afterAll(() => {
  console.info('tfjs oracle max abs errors:', JSON.stringify(maxErrors));
});

describe('forward numerics match TensorFlow.js', () => {
  it('Dense', async () => {
    await compare(
      'Dense',
      new Dense(7, { activation: 'tanh' }),
      tf.layers.dense({ units: 7, activation: 'tanh' }),
      [5, 9],
    );
  });

  it('Conv2D: valid, same, strided, dilated', async () => {
    await compare('Conv2D', new Conv2D(4, 3), tf.layers.conv2d({ filters: 4, kernelSize: 3 }), [2, 7, 6, 3]);
    await compare(
      'Conv2D',
      new Conv2D(5, [3, 2], { strides: 2, padding: 'same', activation: 'relu' }),
      tf.layers.conv2d({ filters: 5, kernelSize: [3, 2], strides: 2, padding: 'same', activation: 'relu' }),
      [2, 8, 7, 2],
    );
    await compare(
      'Conv2D',
      new Conv2D(3, 3, { dilationRate: 2, padding: 'same' }),
      tf.layers.conv2d({ filters: 3, kernelSize: 3, dilationRate: 2, padding: 'same' }),
      [1, 9, 9, 2],
    );
  });

  it('Conv2DTranspose: valid, same, strided', async () => {
    await compare(
      'Conv2DTranspose',
      new Conv2DTranspose(4, 3),
      tf.layers.conv2dTranspose({ filters: 4, kernelSize: 3 }),
      [2, 5, 4, 3],
    );
    await compare(
      'Conv2DTranspose',
      new Conv2DTranspose(3, 3, { strides: 2, padding: 'same' }),
      tf.layers.conv2dTranspose({ filters: 3, kernelSize: 3, strides: 2, padding: 'same' }),
      [2, 4, 5, 2],
    );
    await compare(
      'Conv2DTranspose',
      new Conv2DTranspose(2, [4, 3], { strides: [2, 3] }),
      tf.layers.conv2dTranspose({ filters: 2, kernelSize: [4, 3], strides: [2, 3] }),
      [1, 3, 3, 2],
    );
  });

  it('Conv1D and DepthwiseConv2D', async () => {
    await compare(
      'Conv1D',
      new Conv1D(4, 3, { padding: 'same', strides: 2 }),
      tf.layers.conv1d({ filters: 4, kernelSize: 3, padding: 'same', strides: 2 }),
      [2, 9, 3],
    );
    await compare(
      'DepthwiseConv2D',
      new DepthwiseConv2D(3, { depthMultiplier: 2 }),
      tf.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2 }),
      [2, 6, 6, 3],
    );
  });

  it('pooling and upsampling', async () => {
    await compare(
      'MaxPooling2D',
      new MaxPooling2D(3, { strides: 2, padding: 'same' }),
      tf.layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same' }),
      [2, 7, 7, 2],
    );
    await compare(
      'AveragePooling2D',
      new AveragePooling2D(3, { strides: 2, padding: 'same' }),
      tf.layers.averagePooling2d({ poolSize: 3, strides: 2, padding: 'same' }),
      [2, 7, 7, 2],
    );
    await compare(
      'UpSampling2D',
      new UpSampling2D({ size: [2, 3] }),
      tf.layers.upSampling2d({ size: [2, 3] }),
      [2, 3, 4, 2],
    );
    // Bilinear follows Keras 3 (tf.image.resize): half-pixel centers.
    const [x, xt] = await shared([2, 3, 4, 2]);
    const y = new UpSampling2D({ size: [2, 3], interpolation: 'bilinear' }).apply(x) as Tensor;
    record(
      'UpSampling2D',
      await y.data(),
      await tf.image.resizeBilinear(xt as tf.Tensor4D, [6, 12], false, true).data(),
    );
  });

  it('SimpleRNN and LSTM (sequences, backwards)', async () => {
    await compare(
      'SimpleRNN',
      new SimpleRNN(5, { returnSequences: true }),
      tf.layers.simpleRNN({ units: 5, returnSequences: true }),
      [3, 6, 4],
    );
    await compare(
      'LSTM',
      new LSTM(6, { returnSequences: true }),
      tf.layers.lstm({ units: 6, returnSequences: true, recurrentActivation: 'sigmoid' }),
      [3, 7, 4],
    );
    await compare(
      'LSTM',
      new LSTM(5, { goBackwards: true }),
      tf.layers.lstm({ units: 5, goBackwards: true, recurrentActivation: 'sigmoid' }),
      [2, 5, 3],
    );
  });

  it('GRU (reset-before, the formulation TensorFlow.js implements)', async () => {
    await compare(
      'GRU',
      new GRU(6, { resetAfter: false, returnSequences: true }),
      tf.layers.gru({ units: 6, returnSequences: true, recurrentActivation: 'sigmoid' }),
      [3, 7, 4],
    );
    await compare(
      'GRU',
      new GRU(4, { resetAfter: false }),
      tf.layers.gru({ units: 4, recurrentActivation: 'sigmoid' }),
      [2, 5, 3],
    );
  });

  it('GRU reset-after (Keras 3 default), against its formula written with tfjs ops', async () => {
    const units = 5;
    const gru = new GRU(units, { returnSequences: true });
    const [x, xt] = await shared([2, 6, 3]);
    gru.apply(x);
    const values = await Promise.all(gru.weights.map((w) => shared(w.shape, 0.5)));
    gru.setWeights(values.map(([a]) => a));
    const y = gru.apply(x) as Tensor;
    const [k, rk, b] = values.map(([, t]) => t);
    const yt = tf.tidy(() => {
      const [bIn, bRec] = tf.split(b, 2, 0).map((t) => t.reshape([3 * units]));
      let h = tf.zeros([2, units]);
      const outs: tf.Tensor[] = [];
      for (let t = 0; t < 6; t++) {
        const xt1 = xt.slice([0, t, 0], [2, 1, 3]).reshape([2, 3]);
        const [xz, xr, xh] = tf.split(tf.matMul(xt1, k).add(bIn), 3, 1);
        const [hz, hr, hh] = tf.split(tf.matMul(h, rk).add(bRec), 3, 1);
        const z = tf.sigmoid(xz.add(hz));
        const r = tf.sigmoid(xr.add(hr));
        const cand = tf.tanh(xh.add(r.mul(hh)));
        h = z.mul(h).add(tf.scalar(1).sub(z).mul(cand));
        outs.push(h);
      }
      return tf.stack(outs, 1);
    });
    record('GRU', await y.data(), await yt.data());
  });

  it('BatchNormalization: inference, training output and moving statistics', async () => {
    const ours = new BatchNormalization({ momentum: 0.8, epsilon: 1e-3 });
    const theirs = tf.layers.batchNormalization({ momentum: 0.8, epsilon: 1e-3 });
    await compare('BatchNormalization', ours, theirs, [6, 5], [3]);
    const [x, xt] = await shared([8, 5], 2);
    const yTrain = ours.apply(x, { training: true }) as Tensor;
    const yTrainT = theirs.apply(xt, { training: true }) as tf.Tensor;
    record('BatchNormalization', await yTrain.data(), await yTrainT.data());
    const ws = ours.getWeights();
    const wt = theirs.getWeights();
    for (let i = 0; i < 4; i++) record('BatchNormalization', await ws[i].data(), await wt[i].data());
    record(
      'BatchNormalization',
      await (ours.apply(x) as Tensor).data(),
      await (theirs.apply(xt) as tf.Tensor).data(),
    );
  });

  it('LayerNormalization', async () => {
    await compare('LayerNormalization', new LayerNormalization(), tf.layers.layerNormalization(), [3, 4, 6]);
    await compare(
      'LayerNormalization',
      new LayerNormalization({ epsilon: 1e-5 }),
      tf.layers.layerNormalization({ epsilon: 1e-5 }),
      [5, 8],
    );
  });

  it('Embedding', async () => {
    const ours = new Embedding(10, 4);
    const theirs = tf.layers.embedding({ inputDim: 10, outputDim: 4 });
    const ids = [
      [1, 5, 9],
      [0, 0, 3],
    ];
    ours.apply(tensor(ids, [2, 3], 'int32'));
    theirs.apply(tf.tensor(ids, [2, 3], 'int32'));
    const [w, wt] = await shared([10, 4]);
    ours.setWeights([w]);
    theirs.setWeights([wt]);
    const y = ours.apply(tensor(ids, [2, 3], 'int32')) as Tensor;
    record(
      'Embedding',
      await y.data(),
      await (theirs.apply(tf.tensor(ids, [2, 3], 'int32')) as tf.Tensor).data(),
    );
  });

  it('MultiHeadAttention (Keras formulation written with tfjs einsum)', async () => {
    for (const [numHeads, keyDim, valueDim, t, s, masked] of [
      [2, 3, 3, 4, 4, false],
      [3, 4, 2, 3, 5, true],
    ] as const) {
      const dim = 6;
      const mha = new MultiHeadAttention({ numHeads, keyDim, valueDim });
      const [q, qt] = await shared([2, t, dim]);
      const [v, vt] = await shared([2, s, dim]);
      mha.apply([q, v]);
      const values = await Promise.all(mha.weights.map((w) => shared(w.shape, 0.5)));
      mha.setWeights(values.map(([a]) => a));
      const maskVals = Array.from({ length: 2 * t * s }, (_, i) => (i % 3 === 2 ? 0 : 1));
      const args = masked ? { attentionMask: tensor(maskVals, [2, t, s]) } : {};
      const y = mha.apply([q, v], args as CallArgs) as Tensor;
      const [wq, bq, wk, bk, wv, bv, wo, bo] = values.map(([, b]) => b);
      const yt = tf.tidy(() => {
        const query = tf
          .einsum('abc,cde->abde', qt, wq)
          .add(bq)
          .mul(1 / Math.sqrt(keyDim));
        const key = tf.einsum('abc,cde->abde', vt, wk).add(bk);
        const value = tf.einsum('abc,cde->abde', vt, wv).add(bv);
        let scores = tf.einsum('aecd,abcd->acbe', key, query);
        if (masked)
          scores = scores.add(
            tf
              .scalar(1)
              .sub(tf.tensor(maskVals, [2, t, s]).expandDims(1))
              .mul(-1e9),
          );
        const probs = tf.softmax(scores, -1);
        const ctx = tf.einsum('acbe,aecd->abcd', probs, value);
        return tf.einsum('abcd,cde->abe', ctx, wo).add(bo);
      });
      expect(y.shape).toEqual(yt.shape);
      record('MultiHeadAttention', await y.data(), await yt.data());
    }
  });
});
