// runLayerTest over the basic layers: Dense, Activation, Flatten, Reshape, Dropout.
import { setBackend } from '@webdl/core';
import { beforeAll, describe, it } from 'vitest';
import { Activation } from '../src/layers/activation.js';
import { Dense } from '../src/layers/dense.js';
import { Dropout } from '../src/layers/dropout.js';
import { Flatten } from '../src/layers/flatten.js';
import { Reshape } from '../src/layers/reshape.js';
import { runLayerTest } from './layer-harness.js';

beforeAll(async () => {
  await setBackend('cpu');
});

describe('basic layers through runLayerTest', () => {
  it('Dense on rank 2 and rank 3 inputs', async () => {
    await runLayerTest({
      make: () => new Dense(3),
      inputShape: [2, 4],
      expectedOutputShape: [2, 3],
      expectedWeights: 2,
      expectedParams: 15,
    });
    await runLayerTest({
      make: () => new Dense(5, { activation: 'relu', useBias: false }),
      inputShape: [2, 3, 4],
      expectedOutputShape: [2, 3, 5],
      expectedWeights: 1,
      expectedParams: 20,
    });
  });

  it('Activation', async () => {
    await runLayerTest({
      make: () => new Activation('tanh'),
      inputShape: [2, 4],
      expectedOutputShape: [2, 4],
      expectedWeights: 0,
    });
    await runLayerTest({
      make: () => new Activation('softmax'),
      inputShape: [2, 3, 4],
      expectedOutputShape: [2, 3, 4],
      expectedWeights: 0,
    });
  });

  it('Flatten and Reshape', async () => {
    await runLayerTest({
      make: () => new Flatten(),
      inputShape: [2, 3, 4, 5],
      expectedOutputShape: [2, 60],
      expectedWeights: 0,
    });
    await runLayerTest({
      make: () => new Reshape([3, 4]),
      inputShape: [2, 12],
      expectedOutputShape: [2, 3, 4],
      expectedWeights: 0,
    });
    await runLayerTest({
      make: () => new Reshape([-1, 2]),
      inputShape: [2, 3, 4],
      expectedOutputShape: [2, 6, 2],
      expectedWeights: 0,
    });
  });

  it('Dropout', async () => {
    await runLayerTest({
      make: () => new Dropout(0.5),
      inputShape: [4, 6],
      expectedOutputShape: [4, 6],
      expectedWeights: 0,
    });
  });
});
