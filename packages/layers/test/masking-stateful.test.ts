// Masking and Embedding(maskZero) through the RNN layers (against TensorFlow.js), and stateful RNNs (resetStates).
import * as tf from '@tensorflow/tfjs';
import { concat, memory, randomNormal, setBackend, slice, tensor, type Tensor } from '@webdl/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sequential, deserializeLayer, layers, optimizers } from '../src/index.js';
import { runLayerTest } from './layer-harness.js';
import { maxErrors, record } from './tfjs-compare.js';

beforeAll(async () => {
  await setBackend('cpu');
  await tf.setBackend('cpu');
});

afterAll(() => {
  console.info('tfjs oracle (masking) max abs errors:', JSON.stringify(maxErrors));
});

/** Copies our weights into a tfjs layer (same Keras layout). */
async function copyWeights(ours: layers.Layer, theirs: tf.layers.Layer): Promise<void> {
  theirs.setWeights(
    await Promise.all(ours.weights.map(async (w) => tf.tensor(await w.data(), [...w.shape]))),
  );
}

describe('masking', () => {
  it('Masking goes through the harness and zeroes masked steps', async () => {
    await runLayerTest({
      make: () => new layers.Masking({ maskValue: 0 }),
      inputShape: [2, 3, 4],
      expectedOutputShape: [2, 3, 4],
      expectedWeights: 0,
    });
    const x = tensor([
      [
        [1, 2],
        [0, 0],
        [0, 3],
      ],
    ]);
    expect(await (new layers.Masking().apply(x) as Tensor).array()).toEqual([
      [
        [1, 2],
        [0, 0],
        [0, 3],
      ],
    ]);
    expect(
      await (
        new layers.Masking({ maskValue: 1 }).apply(
          tensor([
            [
              [1, 1],
              [1, 2],
            ],
          ]),
        ) as Tensor
      ).array(),
    ).toEqual([
      [
        [0, 0],
        [1, 2],
      ],
    ]);
  });

  it('Masking → LSTM / GRU / SimpleRNN (sequences too) match TensorFlow.js', async () => {
    // Sample 0 has padding steps at the end and in the middle, sample 1 none.
    const data = [
      [
        [0.5, -1],
        [0, 0],
        [1, 2],
        [0, 0],
      ],
      [
        [1, 0.3],
        [-0.2, 0.7],
        [0.4, 0.4],
        [2, -1],
      ],
    ];
    const x = tensor(data);
    const xt = tf.tensor(data);
    const cases: [string, () => layers.Layer, () => tf.layers.Layer][] = [
      ['LSTM', () => new layers.LSTM(3), () => tf.layers.lstm({ units: 3, recurrentActivation: 'sigmoid' })],
      [
        'GRU',
        () => new layers.GRU(3, { returnSequences: true, resetAfter: false }),
        () => tf.layers.gru({ units: 3, returnSequences: true, recurrentActivation: 'sigmoid' }),
      ],
      [
        'SimpleRNN',
        () => new layers.SimpleRNN(2, { goBackwards: true }),
        () => tf.layers.simpleRNN({ units: 2, goBackwards: true }),
      ],
    ];
    for (const [label, makeOurs, makeTheirs] of cases) {
      const rnn = makeOurs();
      const model = new Sequential([new layers.Masking({ inputShape: [4, 2] }), rnn]);
      const theirs = makeTheirs();
      const ref = tf.sequential({ layers: [tf.layers.masking({ inputShape: [4, 2] }), theirs] });
      model.apply(x);
      await copyWeights(rnn, theirs);
      const y = model.apply(x) as Tensor;
      record(`Masking+${label}`, await y.data(), await (ref.predict(xt) as tf.Tensor).data());
    }
  });

  it('Masking → Bidirectional(LSTM) matches TensorFlow.js (both directions skip the padding)', async () => {
    const data = [
      [
        [0.5, -1],
        [0, 0],
        [1, 2],
        [0, 0],
      ],
      [
        [1, 0.3],
        [-0.2, 0.7],
        [0.4, 0.4],
        [2, -1],
      ],
    ];
    const bi = new layers.Bidirectional(new layers.LSTM(2, { returnSequences: true }));
    const model = new Sequential([new layers.Masking({ inputShape: [4, 2] }), bi]);
    const tBi = tf.layers.bidirectional({
      layer: tf.layers.lstm({ units: 2, returnSequences: true, recurrentActivation: 'sigmoid' }) as tf.RNN,
    });
    const ref = tf.sequential({ layers: [tf.layers.masking({ inputShape: [4, 2] }), tBi] });
    const x = tensor(data);
    model.apply(x);
    await copyWeights(bi, tBi);
    record(
      'Masking+Bidirectional',
      await (model.apply(x) as Tensor).data(),
      await (ref.predict(tf.tensor(data)) as tf.Tensor).data(),
    );
  });

  it('Embedding(maskZero) → LSTM(returnSequences) matches TensorFlow.js; GlobalAveragePooling1D skips masked steps', async () => {
    const ids = [
      [3, 1, 0, 0],
      [2, 4, 1, 3],
    ];
    const emb = new layers.Embedding(5, 3, { maskZero: true });
    const lstm = new layers.LSTM(2, { returnSequences: true });
    const input = () => new layers.InputLayer({ shape: [4], dtype: 'int32' });
    const seqModel = new Sequential([input(), emb, lstm]);
    const tEmb = tf.layers.embedding({ inputDim: 5, outputDim: 3, maskZero: true, inputLength: 4 });
    const tLstm = tf.layers.lstm({ units: 2, returnSequences: true, recurrentActivation: 'sigmoid' });
    const ref = tf.sequential({ layers: [tEmb, tLstm] });
    const x = tensor(ids, [2, 4], 'int32');
    const xt = tf.tensor(ids, [2, 4], 'int32');
    seqModel.apply(x);
    ref.predict(xt);
    await copyWeights(emb, tEmb);
    await copyWeights(lstm, tLstm);
    const seq = (await (seqModel.apply(x) as Tensor).array()) as number[][][];
    record('Embedding(maskZero)+LSTM', seq.flat(2), await (ref.predict(xt) as tf.Tensor).data());
    // TF.js's GlobalAveragePooling1D ignores masks, so the masked mean is checked by hand: sample 0
    // averages its 2 unmasked steps, sample 1 all 4.
    const pooled = new Sequential([input(), emb, lstm, new layers.GlobalAveragePooling1D()]);
    const y = (await (pooled.apply(x) as Tensor).array()) as number[][];
    const mean = (rows: number[][]) =>
      rows[0].map((_, j) => rows.reduce((acc, r) => acc + r[j], 0) / rows.length);
    mean(seq[0].slice(0, 2)).forEach((v, j) => expect(y[0][j]).toBeCloseTo(v, 6));
    mean(seq[1]).forEach((v, j) => expect(y[1][j]).toBeCloseTo(v, 6));
  });
});

describe('stateful RNNs', () => {
  it('two halves with stateful: true give the whole sequence; resetStates starts over', async () => {
    const x = randomNormal([2, 6, 3], { seed: 11 });
    for (const make of [
      (stateful: boolean) => new layers.LSTM(4, { stateful, returnSequences: true }),
      (stateful: boolean) => new layers.GRU(4, { stateful }),
    ]) {
      const whole = make(false);
      const yWhole = whole.apply(x) as Tensor;
      const st = make(true);
      st.apply(slice(x, [0, 0, 0], [2, 3, 3]));
      st.setWeights(whole.getWeights());
      st.resetStates();
      const first = st.apply(slice(x, [0, 0, 0], [2, 3, 3])) as Tensor;
      const second = st.apply(slice(x, [0, 3, 0], [2, 3, 3])) as Tensor;
      const joined = yWhole.rank === 3 ? concat([first, second], 1) : second;
      record('stateful', await joined.data(), await yWhole.data());
      st.resetStates();
      const again = st.apply(slice(x, [0, 0, 0], [2, 3, 3])) as Tensor;
      expect(Array.from(await again.data())).toEqual(Array.from(await first.data()));
      expect(() => st.apply(slice(x, [0, 0, 0], [1, 3, 3]))).toThrow(
        /holds states for batches of 2, got a batch of 1/,
      );
      st.resetStates(
        [tensor([[1, 1, 1, 1]]), tensor([[0, 0, 0, 0]])].slice(
          0,
          make === undefined ? 0 : st.getClassName() === 'LSTM' ? 2 : 1,
        ),
      );
      expect((st.apply(slice(x, [0, 0, 0], [1, 3, 3])) as Tensor).shape[0]).toBe(1);
    }
    expect(() => new layers.LSTM(2).resetStates()).toThrow(/not stateful/);
  });

  it('fit carries states between batches and memory stays flat; harness and config', async () => {
    // The harness's clone check would see carried states, so the config round trip is checked here.
    const rnn = new layers.SimpleRNN(2, { stateful: true });
    const clone = deserializeLayer(
      JSON.parse(JSON.stringify({ className: 'SimpleRNN', config: rnn.getConfig() })),
    );
    expect((clone as layers.SimpleRNN).stateful).toBe(true);
    const model = new Sequential([
      new layers.LSTM(3, { stateful: true, batchInputShape: [2, 4, 2] }),
      new layers.Dense(1),
    ]);
    model.compile({ optimizer: new optimizers.SGD({ learningRate: 0.01 }), loss: 'mse' });
    const x = randomNormal([8, 4, 2], { seed: 3 });
    const y = randomNormal([8, 1], { seed: 4 });
    await model.fit(x, y, { batchSize: 2, shuffle: false, verbose: 0 });
    const before = memory().numTensors;
    await model.fit(x, y, { batchSize: 2, shuffle: false, epochs: 2, verbose: 0 });
    (model.layers[0] as layers.LSTM).resetStates();
    expect(memory().numTensors).toBeLessThanOrEqual(before);
    expect(model.layers[0].getConfig().stateful).toBe(true);
  });
});
