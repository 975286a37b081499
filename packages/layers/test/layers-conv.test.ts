// runLayerTest over the convolution, pooling, upsampling and padding layers.
import { setBackend } from '@webdl/core';
import { beforeAll, describe, it } from 'vitest';
import {
  AveragePooling2D,
  Conv1D,
  Conv2D,
  Conv2DTranspose,
  DepthwiseConv2D,
  GlobalAveragePooling2D,
  MaxPooling2D,
  UpSampling2D,
  ZeroPadding2D,
} from '../src/layers/zoo.js';
import { runLayerTest } from './layer-harness.js';

beforeAll(async () => {
  await setBackend('cpu');
});

describe('convolution layers', () => {
  it('Conv1D valid and same, strided and dilated', async () => {
    await runLayerTest({
      make: () => new Conv1D(4, 3),
      inputShape: [2, 10, 3],
      expectedOutputShape: [2, 8, 4],
      expectedWeights: 2,
      expectedParams: 3 * 3 * 4 + 4,
    });
    await runLayerTest({
      make: () => new Conv1D(4, 3, { padding: 'same', strides: 2, activation: 'relu' }),
      inputShape: [2, 9, 3],
      expectedOutputShape: [2, 5, 4],
      expectedWeights: 2,
    });
    await runLayerTest({
      make: () => new Conv1D(2, 3, { dilationRate: 2, useBias: false }),
      inputShape: [1, 10, 2],
      expectedOutputShape: [1, 6, 2],
      expectedWeights: 1,
    });
  });

  it('Conv2D valid, same, strided, dilated', async () => {
    await runLayerTest({
      make: () => new Conv2D(5, 3),
      inputShape: [2, 6, 7, 3],
      expectedOutputShape: [2, 4, 5, 5],
      expectedWeights: 2,
      expectedParams: 3 * 3 * 3 * 5 + 5,
    });
    await runLayerTest({
      make: () => new Conv2D(4, [3, 2], { padding: 'same', strides: [2, 1], activation: 'tanh' }),
      inputShape: [2, 7, 5, 2],
      expectedOutputShape: [2, 4, 5, 4],
      expectedWeights: 2,
    });
    await runLayerTest({
      make: () => new Conv2D(2, 3, { dilationRate: 2, kernelInitializer: 'he_normal' }),
      inputShape: [1, 8, 8, 1],
      expectedOutputShape: [1, 4, 4, 2],
      expectedWeights: 2,
    });
  });

  it('Conv2DTranspose valid and same', async () => {
    await runLayerTest({
      make: () => new Conv2DTranspose(3, 3),
      inputShape: [2, 4, 5, 2],
      expectedOutputShape: [2, 6, 7, 3],
      expectedWeights: 2,
      expectedParams: 3 * 3 * 3 * 2 + 3,
    });
    await runLayerTest({
      make: () => new Conv2DTranspose(4, 3, { strides: 2, padding: 'same' }),
      inputShape: [2, 4, 4, 3],
      expectedOutputShape: [2, 8, 8, 4],
      expectedWeights: 2,
    });
    await runLayerTest({
      make: () => new Conv2DTranspose(2, [2, 3], { strides: [2, 3], useBias: false }),
      inputShape: [1, 3, 3, 2],
      expectedOutputShape: [1, 6, 9, 2],
      expectedWeights: 1,
    });
  });

  it('DepthwiseConv2D with a depth multiplier', async () => {
    await runLayerTest({
      make: () => new DepthwiseConv2D(3),
      inputShape: [2, 5, 5, 3],
      expectedOutputShape: [2, 3, 3, 3],
      expectedWeights: 2,
      expectedParams: 3 * 3 * 3 + 3,
    });
    await runLayerTest({
      make: () => new DepthwiseConv2D(3, { depthMultiplier: 2, padding: 'same', strides: 2 }),
      inputShape: [1, 6, 6, 2],
      expectedOutputShape: [1, 3, 3, 4],
      expectedWeights: 2,
    });
  });
});

describe('pooling, upsampling and padding layers', () => {
  it('MaxPooling2D and AveragePooling2D', async () => {
    await runLayerTest({
      make: () => new MaxPooling2D(2),
      inputShape: [2, 6, 7, 3],
      expectedOutputShape: [2, 3, 3, 3],
      expectedWeights: 0,
    });
    await runLayerTest({
      make: () => new MaxPooling2D([3, 3], { strides: 2, padding: 'same' }),
      inputShape: [1, 7, 7, 2],
      expectedOutputShape: [1, 4, 4, 2],
      expectedWeights: 0,
    });
    await runLayerTest({
      make: () => new AveragePooling2D(2),
      inputShape: [2, 4, 4, 3],
      expectedOutputShape: [2, 2, 2, 3],
      expectedWeights: 0,
    });
    await runLayerTest({
      make: () => new AveragePooling2D(3, { strides: 1, padding: 'same' }),
      inputShape: [1, 5, 5, 1],
      expectedOutputShape: [1, 5, 5, 1],
      expectedWeights: 0,
    });
  });

  it('GlobalAveragePooling2D', async () => {
    await runLayerTest({
      make: () => new GlobalAveragePooling2D(),
      inputShape: [2, 4, 5, 3],
      expectedOutputShape: [2, 3],
      expectedWeights: 0,
    });
    await runLayerTest({
      make: () => new GlobalAveragePooling2D({ keepdims: true }),
      inputShape: [2, 4, 5, 3],
      expectedOutputShape: [2, 1, 1, 3],
      expectedWeights: 0,
    });
  });

  it('UpSampling2D nearest and bilinear', async () => {
    await runLayerTest({
      make: () => new UpSampling2D(),
      inputShape: [2, 3, 4, 2],
      expectedOutputShape: [2, 6, 8, 2],
      expectedWeights: 0,
    });
    await runLayerTest({
      make: () => new UpSampling2D({ size: [2, 3], interpolation: 'bilinear' }),
      inputShape: [1, 3, 2, 2],
      expectedOutputShape: [1, 6, 6, 2],
      expectedWeights: 0,
    });
  });

  it('ZeroPadding2D', async () => {
    await runLayerTest({
      make: () => new ZeroPadding2D(),
      inputShape: [2, 3, 4, 2],
      expectedOutputShape: [2, 5, 6, 2],
      expectedWeights: 0,
    });
    await runLayerTest({
      make: () =>
        new ZeroPadding2D({
          padding: [
            [1, 0],
            [2, 3],
          ],
        }),
      inputShape: [1, 3, 3, 1],
      expectedOutputShape: [1, 4, 8, 1],
      expectedWeights: 0,
    });
  });
});
