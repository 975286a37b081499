// The newer zoo layers survive io.toKeras → loadModel (Keras 3 config keys, h5 weights): same classes, weights and predictions.
import { randomNormal, setBackend, type Tensor } from '@webdl/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Sequential, io, layers, loadModel } from '../src/index.js';

beforeAll(async () => {
  await setBackend('cpu');
});

async function roundTrip(model: Sequential): Promise<void> {
  const x = randomNormal([2, ...(model.inputs[0].shape.slice(1) as number[])], { seed: 1 });
  const back = await loadModel(await io.toKeras(model));
  expect(back.layers.map((l) => l.getClassName())).toEqual(model.layers.map((l) => l.getClassName()));
  const weights = async (m: Sequential | typeof back) =>
    Promise.all(m.weights.map(async (w) => Array.from(await w.data())));
  expect(await weights(back)).toEqual(await weights(model));
  expect(Array.from(await (back.apply(x) as Tensor).data())).toEqual(
    Array.from(await (model.apply(x) as Tensor).data()),
  );
  back.dispose();
  model.dispose();
}

describe('.keras round trips of the newer zoo layers', () => {
  it('sequence layers, activation layers, regularizers and constraints', async () => {
    await roundTrip(
      new Sequential([
        new layers.Masking({ inputShape: [4, 3] }),
        new layers.LSTM(2, {
          returnSequences: true,
          kernelRegularizer: 'l2',
          recurrentConstraint: 'unit_norm',
        }),
        new layers.TimeDistributed(new layers.Dense(2)),
        new layers.GlobalAveragePooling1D(),
        new layers.ReLU({ maxValue: 6, threshold: 0.1 }),
        new layers.RepeatVector(2),
        new layers.Permute([2, 1]),
        new layers.Flatten(),
        new layers.Dense(3, { kernelConstraint: 'max_norm', activityRegularizer: 'l1' }),
        new layers.LeakyReLU(),
        new layers.PReLU({ alphaRegularizer: 'l1_l2' }),
        new layers.ELU(),
        new layers.Softmax(),
      ]),
    );
  });

  it('image preprocessing, augmentation, convolutions and normalization', async () => {
    await roundTrip(
      new Sequential([
        new layers.Rescaling(0.5, { inputShape: [6, 6, 2] }),
        new layers.RandomFlip('horizontal', { seed: 3 }),
        new layers.RandomRotation(0.1),
        new layers.RandomZoom(0.1, { widthFactor: [-0.1, 0.2] }),
        new layers.RandomTranslation(0.1, 0.1, { fillMode: 'constant' }),
        new layers.Resizing(5, 5),
        new layers.CenterCrop(4, 4),
        new layers.Cropping2D({
          cropping: [
            [1, 0],
            [0, 1],
          ],
        }),
        new layers.SeparableConv2D(4, 2, { pointwiseRegularizer: 'l2' }),
        new layers.Conv2D(4, 1, { groups: 2 }),
        new layers.GroupNormalization({ groups: 2 }),
        new layers.SpatialDropout2D(0.2),
        new layers.GaussianNoise(0.1),
        new layers.GaussianDropout(0.1),
        new layers.GlobalMaxPooling2D(),
        new layers.UnitNormalization(),
        new layers.Identity(),
      ]),
    );
  });

  it('an adapted Normalization keeps its mean, variance and count; 1-D pooling', async () => {
    const model = new Sequential([new layers.Normalization({ inputShape: [3] }), new layers.Dense(2)]);
    (model.layers[0] as layers.Normalization).adapt(randomNormal([5, 3], { seed: 2, mean: 3 }));
    await roundTrip(model);
    await roundTrip(
      new Sequential([
        new layers.MaxPooling1D(2, { inputShape: [6, 2] }),
        new layers.AveragePooling1D(2, { padding: 'same' }),
        new layers.GlobalMaxPooling1D(),
      ]),
    );
  });
});
