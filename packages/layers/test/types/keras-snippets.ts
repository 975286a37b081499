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

  // Model is generic over its outputs: predict and evaluate follow them (Keras's return rules).
  const [pa, pb]: [Tensor, Tensor] = both;
  const single: Tensor = await makeModel({ inputs: a, outputs: outA }).predict(ones([1, 3]));
  const listOfOne: Tensor = await new Model({ inputs: a, outputs: [outA] }).predict(ones([1, 3]));
  const fromTf: Tensor = await tf.predict(ones([1, 3]));
  const mlpOut: Tensor = await mlp.predict(ones([1, 3]));
  twoOut.compile({ optimizer: 'adam', loss: ['mse', 'sparse_categorical_crossentropy'] });
  const [loss, lossA, lossB]: number[] = await twoOut.evaluate(
    { a: ones([1, 3]), b: ones([1, 2]) },
    { out_a: ones([1, 1]), out_b: [1] },
  );
  const stepLosses: number[] = await twoOut.trainOnBatch([ones([1, 3]), ones([1, 2])], [ones([1, 1]), [1]]);
  const cnnScores: number | number[] = await cnn.evaluate(ones([2, 8, 8, 1]), [0, 1]);
  // @ts-expect-error a two-output model predicts two tensors, not one
  const notOne: Tensor = await twoOut.predict([ones([1, 3]), ones([1, 2])]);
  // @ts-expect-error a single-output model predicts one tensor, not a list
  const notList: Tensor[] = await tf.predict(ones([1, 3]));
  // @ts-expect-error a Sequential predicts one tensor
  const notSeqList: Tensor[] = await cnn.predict(ones([2, 8, 8, 1]));
  // @ts-expect-error a two-output model's evaluate is [loss, ...per-output losses], never one number
  const notScalar: number = await twoOut.evaluate([ones([1, 3]), ones([1, 2])], [ones([1, 1]), [1]]);
  // @ts-expect-error a list of outputs holds symbolic tensors only
  new Model({ inputs: a, outputs: [outA, 3] });

  void [tf, mlp, both, probs, eager, pa, pb, single, listOfOne, fromTf, mlpOut, cnnScores];
  void [notOne, notList, notSeqList, notScalar];
  return [accuracy, loss, lossA, lossB, ...stepLosses];
}
