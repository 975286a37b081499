// runLayerTest over SimpleRNN, LSTM, GRU and Bidirectional, plus sequence/state/direction behaviour.
import { concat, randomNormal, setBackend, type Tensor } from '@webdl/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Bidirectional, GRU, LSTM, SimpleRNN } from '../src/layers/zoo.js';
import { runLayerTest } from './layer-harness.js';

beforeAll(async () => {
  await setBackend('cpu');
});

describe('recurrent layers', () => {
  it('SimpleRNN', async () => {
    await runLayerTest({
      make: () => new SimpleRNN(4),
      inputShape: [2, 5, 3],
      expectedOutputShape: [2, 4],
      expectedWeights: 3,
      expectedParams: 3 * 4 + 4 * 4 + 4,
    });
    await runLayerTest({
      make: () => new SimpleRNN(4, { returnSequences: true, goBackwards: true, activation: 'relu' }),
      inputShape: [2, 5, 3],
      expectedOutputShape: [2, 5, 4],
      expectedWeights: 3,
    });
  });

  it('LSTM with sequences, states and dropout', async () => {
    await runLayerTest({
      make: () => new LSTM(4),
      inputShape: [2, 5, 3],
      expectedOutputShape: [2, 4],
      expectedWeights: 3,
      expectedParams: 4 * (3 * 4 + 4 * 4 + 4),
    });
    await runLayerTest({
      make: () =>
        new LSTM(3, { returnSequences: true, returnState: true, dropout: 0.2, recurrentDropout: 0.2 }),
      inputShape: [2, 4, 2],
      expectedOutputShape: [
        [2, 4, 3],
        [2, 3],
        [2, 3],
      ],
      expectedWeights: 3,
    });
  });

  it('LSTM unit forget bias', async () => {
    const lstm = new LSTM(2);
    lstm.apply(randomNormal([1, 2, 3]));
    expect(Array.from(await lstm.bias!.data())).toEqual([0, 0, 1, 1, 0, 0, 0, 0]);
  });

  it('GRU reset-after (Keras 3 default) and reset-before (TensorFlow.js)', async () => {
    await runLayerTest({
      make: () => new GRU(4),
      inputShape: [2, 5, 3],
      expectedOutputShape: [2, 4],
      expectedWeights: 3,
      expectedParams: 3 * (3 * 4 + 4 * 4 + 2 * 4),
    });
    await runLayerTest({
      make: () => new GRU(4, { resetAfter: false, returnSequences: true }),
      inputShape: [2, 5, 3],
      expectedOutputShape: [2, 5, 4],
      expectedWeights: 3,
      expectedParams: 3 * (3 * 4 + 4 * 4 + 4),
    });
    await runLayerTest({
      make: () => new GRU(2, { returnState: true, goBackwards: true }),
      inputShape: [1, 3, 2],
      expectedOutputShape: [
        [1, 2],
        [1, 2],
      ],
      expectedWeights: 3,
    });
  });

  it('initial states and the last step of a sequence', async () => {
    const lstm = new LSTM(3, { returnSequences: true, returnState: true });
    const x = randomNormal([2, 4, 2], { seed: 1 });
    const [seq, h, c] = lstm.apply(x) as Tensor[];
    expect(await seq.slice([0, 3, 0], [2, 1, 3]).reshape([2, 3]).array()).toEqual(await h.array());
    // Continuing from the final states equals running the longer sequence.
    const x2 = randomNormal([2, 1, 2], { seed: 2 });
    const [, h2] = lstm.apply([x2, h, c]) as Tensor[];
    const [, hAll] = lstm.apply(concat([x, x2], 1)) as Tensor[];
    const [a, b] = [await h2.data(), await hAll.data()];
    a.forEach((v, i) => expect(v).toBeCloseTo(b[i], 5));
  });

  it('Bidirectional merge modes', async () => {
    await runLayerTest({
      make: () => new Bidirectional(new LSTM(3)),
      inputShape: [2, 4, 2],
      expectedOutputShape: [2, 6],
      expectedWeights: 6,
    });
    await runLayerTest({
      make: () => new Bidirectional(new GRU(3, { returnSequences: true }), { mergeMode: 'sum' }),
      inputShape: [2, 4, 2],
      expectedOutputShape: [2, 4, 3],
      expectedWeights: 6,
    });
    await runLayerTest({
      make: () => new Bidirectional(new SimpleRNN(2, { returnSequences: true }), { mergeMode: null }),
      inputShape: [2, 4, 2],
      expectedOutputShape: [
        [2, 4, 2],
        [2, 4, 2],
      ],
      expectedWeights: 6,
    });
    await runLayerTest({
      make: () => new Bidirectional(new LSTM(2, { returnState: true }), { mergeMode: 'ave' }),
      inputShape: [1, 3, 2],
      expectedOutputShape: [
        [1, 2],
        [1, 2],
        [1, 2],
        [1, 2],
        [1, 2],
      ],
      expectedWeights: 6,
    });
  });

  it('Bidirectional backward half equals a goBackwards layer, reversed into time order', async () => {
    const bi = new Bidirectional(new SimpleRNN(2, { returnSequences: true }), { mergeMode: null });
    const x = randomNormal([1, 3, 2], { seed: 3 });
    const [, yb] = bi.apply(x) as Tensor[];
    const back = new SimpleRNN(2, { returnSequences: true, goBackwards: true });
    back.apply(x);
    back.setWeights(bi.backwardLayer.getWeights());
    const yRev = back.apply(x) as Tensor;
    const r = (await yRev.array()) as number[][][];
    expect(await yb.array()).toEqual([[r[0][2], r[0][1], r[0][0]]]);
  });
});
