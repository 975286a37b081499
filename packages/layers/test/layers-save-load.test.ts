// Zoo layers inside models survive save() → loadModel(): same config, same predictions (Sequential and functional).
import { randomNormal, setBackend, tensor, type Tensor } from '@webdl/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Input, Model, Sequential, layers, loadModel, type SymbolicTensor } from '@webdl/layers';

beforeAll(async () => {
  await setBackend('cpu');
});

async function expectSamePredictions(a: Model, b: Model, x: Tensor | Tensor[]): Promise<void> {
  const ya = a.apply(x) as Tensor;
  const yb = b.apply(x) as Tensor;
  expect(yb.shape).toEqual(ya.shape);
  expect(Array.from(await yb.data())).toEqual(Array.from(await ya.data()));
}

describe('save and load models made of zoo layers', () => {
  it('a Sequential CNN with BatchNormalization (moving statistics included)', async () => {
    const model = new Sequential([
      new layers.ZeroPadding2D({ padding: 1, inputShape: [8, 8, 2] }),
      new layers.Conv2D(4, 3, { activation: 'relu' }),
      new layers.BatchNormalization(),
      new layers.DepthwiseConv2D(3, { padding: 'same' }),
      new layers.MaxPooling2D(2),
      new layers.Conv2DTranspose(3, 3, { strides: 2, padding: 'same' }),
      new layers.UpSampling2D({ size: 2 }),
      new layers.AveragePooling2D(2),
      new layers.GlobalAveragePooling2D(),
      new layers.Dense(2),
    ]);
    const x = randomNormal([3, 8, 8, 2], { seed: 1 });
    model.apply(x, { training: true }); // moves the BatchNormalization statistics away from their initial values
    const loaded = await loadModel(await model.save());
    await expectSamePredictions(model, loaded, x);
  });

  it('a functional model with Embedding, LSTM, Bidirectional GRU, MultiHeadAttention, LayerNormalization, Add and Concatenate', async () => {
    const tokens = new Input({ shape: [5], dtype: 'int32' });
    const emb = new layers.Embedding(20, 6).apply(tokens) as SymbolicTensor;
    const seq = new layers.LSTM(6, { returnSequences: true }).apply(emb) as SymbolicTensor;
    const att = new layers.MultiHeadAttention({ numHeads: 2, keyDim: 3 }).apply([seq, emb]) as SymbolicTensor;
    const res = new layers.LayerNormalization().apply(
      new layers.Add().apply([seq, att]) as SymbolicTensor,
    ) as SymbolicTensor;
    const bi = new layers.Bidirectional(new layers.GRU(4)).apply(res) as SymbolicTensor;
    const conv = new layers.GlobalAveragePooling2D().apply(
      new layers.Reshape([5, 6, 1]).apply(
        new layers.Conv1D(6, 3, { padding: 'same' }).apply(emb) as SymbolicTensor,
      ) as SymbolicTensor,
    ) as SymbolicTensor;
    const out = new layers.Concatenate().apply([
      bi,
      conv,
      new layers.SimpleRNN(2).apply(emb) as SymbolicTensor,
    ]) as SymbolicTensor;
    const model = new Model({ inputs: tokens, outputs: out });
    expect(out.shape).toEqual([null, 8 + 1 + 2]);
    const x = tensor(
      [
        [1, 2, 3, 4, 5],
        [19, 0, 7, 7, 2],
      ],
      [2, 5],
      'int32',
    );
    const loaded = await loadModel(await model.save());
    await expectSamePredictions(model, loaded, x);
  });
});
