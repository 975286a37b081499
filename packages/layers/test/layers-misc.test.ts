// runLayerTest over normalization, embedding, merge and attention layers, plus their specific behaviour.
import { setBackend, tensor, tidy, type Tensor } from '@webdl/core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  Add,
  BatchNormalization,
  Concatenate,
  Embedding,
  LayerNormalization,
  MultiHeadAttention,
  type MultiHeadAttentionCallArgs,
} from '../src/layers/zoo.js';
import { runLayerTest } from './layer-harness.js';

beforeAll(async () => {
  await setBackend('cpu');
});

describe('normalization layers', () => {
  it('BatchNormalization: harness, 2 trainable + 2 moving-statistics weights', async () => {
    await runLayerTest({
      make: () => new BatchNormalization(),
      inputShape: [4, 3],
      expectedOutputShape: [4, 3],
      expectedWeights: 4,
      expectedTrainableWeights: 2,
      expectedParams: 12,
    });
    await runLayerTest({
      make: () => new BatchNormalization({ axis: 1, center: false }),
      inputShape: [4, 2, 3, 3],
      expectedOutputShape: [4, 2, 3, 3],
      expectedWeights: 3,
      expectedTrainableWeights: 1,
    });
  });

  it('BatchNormalization: moving statistics follow momentum in training, are used in inference', async () => {
    const bn = new BatchNormalization({ momentum: 0.9, epsilon: 0 });
    const x = tensor([
      [1, 10],
      [3, 30],
    ]);
    const yTrain = bn.apply(x, { training: true }) as Tensor;
    expect(Array.from(await yTrain.data()).map((v) => Math.round(v * 1e4) / 1e4)).toEqual([-1, -1, 1, 1]);
    // mean [2, 20], biased variance [1, 100]; moving = 0.9 * init + 0.1 * batch.
    const [mm, mv] = [bn.movingMean!, bn.movingVariance!];
    expect(Array.from(await mm.data()).map((v) => +v.toFixed(5))).toEqual([0.2, 2]);
    expect(Array.from(await mv.data()).map((v) => +v.toFixed(5))).toEqual([1, 10.9]);
    const yInfer = bn.apply(x) as Tensor;
    const expected = [(1 - 0.2) / 1, (10 - 2) / Math.sqrt(10.9), (3 - 0.2) / 1, (30 - 2) / Math.sqrt(10.9)];
    Array.from(await yInfer.data()).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 5));
    // A frozen layer runs in inference mode even when training (Keras 3) and leaves the statistics alone.
    bn.trainable = false;
    tidy(() => bn.apply(x, { training: true }));
    expect(Array.from(await mm.data()).map((v) => +v.toFixed(5))).toEqual([0.2, 2]);
  });

  it('LayerNormalization over one and two axes', async () => {
    await runLayerTest({
      make: () => new LayerNormalization(),
      inputShape: [2, 5, 4],
      expectedOutputShape: [2, 5, 4],
      expectedWeights: 2,
      expectedParams: 8,
    });
    await runLayerTest({
      make: () => new LayerNormalization({ axis: [1, 2], scale: false }),
      inputShape: [2, 3, 4],
      expectedOutputShape: [2, 3, 4],
      expectedWeights: 1,
      expectedParams: 12,
    });
  });
});

describe('embedding, merge and attention', () => {
  it('Embedding looks up rows by index', async () => {
    const idx = () =>
      tensor(
        [
          [0, 3, 9],
          [2, 2, 1],
        ],
        [2, 3],
        'int32',
      );
    await runLayerTest({
      make: () => new Embedding(10, 4),
      inputShape: [2, 3],
      inputs: idx,
      expectedOutputShape: [2, 3, 4],
      expectedWeights: 1,
      expectedParams: 40,
    });
    const emb = new Embedding(5, 2);
    const y = emb.apply(tensor([[4, 0]], [1, 2])) as Tensor;
    const table = (await emb.embeddings!.array()) as number[][];
    expect(await y.array()).toEqual([[table[4], table[0]]]);
  });

  it('Add and Concatenate', async () => {
    await runLayerTest({
      make: () => new Add(),
      inputShape: [
        [2, 3],
        [2, 3],
        [2, 3],
      ],
      expectedOutputShape: [2, 3],
      expectedWeights: 0,
    });
    await runLayerTest({
      make: () => new Concatenate(),
      inputShape: [
        [2, 3],
        [2, 5],
      ],
      expectedOutputShape: [2, 8],
      expectedWeights: 0,
    });
    await runLayerTest({
      make: () => new Concatenate({ axis: 1 }),
      inputShape: [
        [2, 1, 4],
        [2, 3, 4],
      ],
      expectedOutputShape: [2, 4, 4],
      expectedWeights: 0,
    });
  });

  it('MultiHeadAttention: self, cross, key, mask', async () => {
    await runLayerTest({
      make: () => new MultiHeadAttention({ numHeads: 2, keyDim: 3 }),
      inputShape: [
        [2, 4, 6],
        [2, 4, 6],
      ],
      expectedOutputShape: [2, 4, 6],
      expectedWeights: 8,
      expectedParams: 3 * (6 * 2 * 3 + 2 * 3) + (2 * 3 * 6 + 6),
    });
    await runLayerTest({
      make: () =>
        new MultiHeadAttention({ numHeads: 3, keyDim: 2, valueDim: 4, outputShape: 5, dropout: 0.1 }),
      inputShape: [
        [2, 3, 6],
        [2, 5, 7],
        [2, 5, 8],
      ],
      expectedOutputShape: [2, 3, 5],
      expectedWeights: 8,
    });
    await runLayerTest({
      make: () => new MultiHeadAttention({ numHeads: 2, keyDim: 2, useBias: false }),
      inputShape: [
        [1, 4, 3],
        [1, 4, 3],
      ],
      expectedOutputShape: [1, 4, 3],
      expectedWeights: 4,
      callArgs: { useCausalMask: true } as MultiHeadAttentionCallArgs,
    });
  });

  it('MultiHeadAttention: a causal mask blocks attention to later steps', async () => {
    const mha = new MultiHeadAttention({ numHeads: 2, keyDim: 4 });
    const q = tensor([
      [
        [1, 0],
        [0, 1],
        [1, 1],
      ],
    ]);
    const [, scores] = mha.apply([q, q], {
      useCausalMask: true,
      returnAttentionScores: true,
    } as MultiHeadAttentionCallArgs) as Tensor[];
    expect(scores.shape).toEqual([1, 2, 3, 3]);
    const s = (await scores.array()) as number[][][][];
    for (const head of s[0]) {
      expect(head[0][1]).toBeLessThan(1e-6);
      expect(head[0][2]).toBeLessThan(1e-6);
      expect(head[1][2]).toBeLessThan(1e-6);
      expect(head[0][0]).toBeCloseTo(1, 5);
      for (const row of head) expect(row.reduce((a, b) => a + b)).toBeCloseTo(1, 5);
    }
    // The same mask given as a tensor (fourth input) gives the same result.
    const mask = tensor([
      [
        [1, 0, 0],
        [1, 1, 0],
        [1, 1, 1],
      ],
    ]);
    const [, scores2] = mha.apply([q, q, q, mask], {
      returnAttentionScores: true,
    } as MultiHeadAttentionCallArgs) as Tensor[];
    expect(await scores2.array()).toEqual(s);
  });
});
