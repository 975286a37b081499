// The four models every format round trip is checked on: an MLP, a CNN with BatchNorm, a two-input functional model, an LSTM model.
import { randomNormal, randomUniform, tensor, tidy, type Tensor } from '@webdl/core';
import { Input, Model, Sequential, layers, setRandomSeed, type SymbolicTensor } from '../src/index.js';

/** A model with inputs to predict on. */
export interface Case {
  name: string;
  model: Model;
  x: Tensor | Tensor[];
}

/** Moves BatchNorm's moving statistics away from 0/1 so inference numerics are exercised. */
function perturbBatchNorm(model: Model): void {
  tidy(() => {
    for (const w of model.weights) {
      if (w.name.endsWith('moving_variance'))
        w.assign(randomUniform(w.shape, { minval: 0.5, maxval: 1.5, seed: 4 }));
      if (w.name.endsWith('moving_mean')) w.assign(randomNormal(w.shape, { stddev: 0.3, seed: 5 }));
      if (w.name.endsWith('gamma')) w.assign(randomUniform(w.shape, { minval: 0.5, maxval: 1.5, seed: 6 }));
      if (w.name.endsWith('beta')) w.assign(randomNormal(w.shape, { stddev: 0.2, seed: 7 }));
    }
  });
}

/** The four models, seeded (fresh instances each call). */
export function fourModels(): Case[] {
  setRandomSeed(123);
  const mlp = new Sequential([
    new layers.Dense(8, { activation: 'relu', inputShape: [5] }),
    new layers.Dropout(0.2),
    new layers.Dense(3, { activation: 'softmax' }),
  ]);
  const cnn = new Sequential([
    new layers.Conv2D(4, 3, { activation: 'relu', padding: 'same', inputShape: [6, 6, 2] }),
    new layers.BatchNormalization(),
    new layers.MaxPooling2D(2),
    new layers.Flatten(),
    new layers.Dense(2),
  ]);
  perturbBatchNorm(cnn);
  const a = new Input({ shape: [4], name: 'a' });
  const b = new Input({ shape: [3], name: 'b' });
  const ha = new layers.Dense(5, { activation: 'tanh' }).apply(a) as SymbolicTensor;
  const hb = new layers.Dense(5, { activation: 'sigmoid' }).apply(b) as SymbolicTensor;
  const merged = new layers.Concatenate().apply([ha, hb]) as SymbolicTensor;
  const sum = new layers.Add().apply([ha, hb]) as SymbolicTensor;
  const out = new layers.Dense(2).apply(new layers.Concatenate().apply([merged, sum]) as SymbolicTensor);
  const twoInputs = new Model({ inputs: [a, b], outputs: out as SymbolicTensor, name: 'two_in' });
  const lstm = new Sequential([
    new layers.Embedding(12, 4, { inputShape: [6] }),
    new layers.LSTM(5),
    new layers.Dense(1, { activation: 'sigmoid' }),
  ]);
  return [
    { name: 'MLP', model: mlp, x: randomNormal([3, 5], { seed: 1 }) },
    { name: 'CNN with BatchNorm', model: cnn, x: randomNormal([2, 6, 6, 2], { seed: 2 }) },
    {
      name: 'two-input functional',
      model: twoInputs,
      x: [randomNormal([3, 4], { seed: 3 }), randomNormal([3, 3], { seed: 4 })],
    },
    {
      name: 'Embedding + LSTM',
      model: lstm,
      x: tensor([1, 4, 7, 0, 11, 3, 2, 2, 9, 10, 5, 6], [2, 6], 'int32'),
    },
  ];
}
