// Type test (issue 14 item 7): Keras/TF.js-style snippets that must compile with no casts; `tsc -p tsconfig.test.json` checks it.
import { ones, type Tensor } from '@webdl/core';
import {
  Input,
  Model,
  Sequential,
  input,
  layers,
  model as makeModel,
  sequential,
  type SymbolicTensor,
} from '@webdl/layers';

export async function kerasSnippets(): Promise<number[]> {
  // Functional API: apply on a SymbolicTensor is a SymbolicTensor, merges of a list are one.
  const a: SymbolicTensor = new Input({ shape: [3], name: 'a' });
  const b = input({ shape: [2], name: 'b' });
  const ha: SymbolicTensor = new layers.Dense(4, 'relu').apply(a);
  const hb: SymbolicTensor = layers.dense({ units: 4 }).apply(b);
  const merged: SymbolicTensor = new layers.Concatenate().apply([ha, hb]);
  const summed: SymbolicTensor = new layers.Add().apply([ha, hb]);
  const outA = new layers.Dense(1, { name: 'out_a' }).apply(merged);
  const outB = new layers.Dense(2, { activation: 'softmax', name: 'out_b' }).apply(summed);
  const twoOut = new Model({ inputs: [a, b], outputs: [outA, outB] });
  const tf = makeModel({ inputs: a, outputs: new layers.Dense(1).apply(a) });

  // Constructors in every spelling Keras and TF.js users type.
  const cnn = new Sequential([
    new layers.Conv2D({ filters: 4, kernelSize: 3, inputShape: [8, 8, 1] }),
    new layers.MaxPooling2D({ poolSize: 2 }),
    new layers.Conv2D(4, 3, { padding: 'same' }),
    layers.globalAveragePooling2d(),
    new layers.Dense(3, 'softmax'),
  ]);
  const mlp = sequential({ layers: [layers.dense({ units: 2, inputShape: [3] })] });

  // predict on a single-output model is a Tensor; a dict of named inputs is accepted.
  cnn.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  const probs: Tensor = await cnn.predict(ones([2, 8, 8, 1]));
  const eager: Tensor = new layers.Dense(2).apply(ones([1, 3]));
  const both = await twoOut.predict({ a: ones([1, 3]), b: ones([1, 2]) });
  const scores = await cnn.evaluate(ones([2, 8, 8, 1]), [0, 1], { returnDict: true });
  const accuracy: number = scores.accuracy;

  // @ts-expect-error units given twice (positionally and in the options)
  new layers.Dense(4, { units: 5 });
  // @ts-expect-error an option Dense does not have
  new layers.Dense(4, { activaton: 'relu' });

  void [tf, mlp, both, probs, eager];
  return [accuracy];
}
