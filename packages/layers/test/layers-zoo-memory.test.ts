// No leaks: every newer zoo layer, applied again and again (training and inference) inside tidy, leaves memory flat.
import { memory, randomNormal, setBackend, tensor, tidy, type Tensor } from '@webdl/core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Layer } from '../src/engine/layer.js';
import { layers } from '../src/index.js';

beforeAll(async () => {
  await setBackend('cpu');
});

const img = [2, 4, 4, 2];
const seq = [2, 3, 4];
const cases: [() => Layer, number[][]][] = [
  [() => new layers.ReLU({ maxValue: 2 }), [seq]],
  [() => new layers.PReLU(), [seq]],
  [() => new layers.Softmax({ axis: [1, 2] }), [seq]],
  [() => new layers.SeparableConv2D(2, 3), [img]],
  [() => new layers.Conv2D(2, 3, { groups: 2 }), [img]],
  [() => new layers.AveragePooling1D(2), [seq]],
  [() => new layers.GlobalMaxPooling2D(), [img]],
  [() => new layers.Cropping2D({ cropping: 1 }), [img]],
  [() => new layers.Permute([2, 1]), [seq]],
  [() => new layers.RepeatVector(2), [[2, 3]]],
  [() => new layers.TimeDistributed(new layers.Dense(2)), [seq]],
  [() => new layers.Dot(2), [seq, seq]],
  [() => new layers.Average(), [seq, seq]],
  [() => new layers.Normalization({ mean: 1, variance: 2 }), [seq]],
  [() => new layers.CenterCrop(6, 6), [img]],
  [() => new layers.Resizing(3, 3), [img]],
  [() => new layers.RandomFlip(), [img]],
  [() => new layers.RandomRotation(0.2), [img]],
  [() => new layers.RandomZoom(0.2), [img]],
  [() => new layers.RandomTranslation(0.2, 0.2), [img]],
  [() => new layers.GaussianNoise(0.1), [seq]],
  [() => new layers.GaussianDropout(0.1), [seq]],
  [() => new layers.SpatialDropout2D(0.3), [img]],
  [() => new layers.GroupNormalization({ groups: 2 }), [img]],
  [() => new layers.UnitNormalization(), [seq]],
  [() => new layers.Masking(), [seq]],
];

describe('memory', () => {
  it('stays flat over repeated calls of every layer', async () => {
    for (const [make, shapes] of cases) {
      const layer = make();
      const xs = shapes.map((s, i) => randomNormal(s, { seed: i + 1 }));
      const input = xs.length === 1 ? xs[0] : xs;
      const once = (training: boolean) =>
        tidy(() => {
          layer.apply(input, { training });
        });
      once(true);
      const before = memory().numTensors;
      for (let i = 0; i < 3; i++) {
        once(true);
        once(false);
      }
      expect(memory().numTensors, `${layer.getClassName()}: tensors after 6 calls`).toBe(before);
      layer.dispose();
      xs.forEach((x) => x.dispose());
    }
  });

  it('Embedding(maskZero) → LSTM (stateful) stays flat', async () => {
    const emb = new layers.Embedding(5, 3, { maskZero: true });
    const lstm = new layers.LSTM(2, { stateful: true, returnSequences: true });
    const pool = new layers.GlobalAveragePooling1D();
    const ids = tensor([[1, 2, 0]], [1, 3], 'int32');
    const once = () =>
      tidy(() => {
        pool.apply(lstm.apply(emb.apply(ids) as Tensor) as Tensor);
      });
    once();
    once();
    const before = memory().numTensors;
    for (let i = 0; i < 4; i++) once();
    expect(memory().numTensors).toBe(before);
    lstm.resetStates();
    expect(memory().numTensors).toBeLessThan(before);
  });
});
