// Losses against hand-computed values, numerical stability of the fromLogits forms, and name resolution.
import { GradientTape, setBackend, tensor, variable, type Tensor } from '@webdl/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { losses } from '../src/index.js';

beforeAll(async () => {
  await setBackend('cpu');
});

async function values(t: Tensor): Promise<number[]> {
  const v = Array.from(await t.data());
  t.dispose();
  return v;
}

async function expectValues(t: Tensor, expected: number[], tol = 1e-5): Promise<void> {
  const v = await values(t);
  expect(v.length).toBe(expected.length);
  v.forEach((x, i) => expect(Math.abs(x - expected[i])).toBeLessThan(tol));
}

describe('per-sample losses vs hand-computed values', () => {
  it('categorical crossentropy on probabilities and logits', async () => {
    await expectValues(
      losses.categoricalCrossentropy(
        tensor([
          [0, 1, 0],
          [1, 0, 0],
        ]),
        tensor([
          [0.1, 0.8, 0.1],
          [0.5, 0.25, 0.25],
        ]),
      ),
      [-Math.log(0.8), -Math.log(0.5)],
    );
    const lse = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3));
    await expectValues(losses.categoricalCrossentropy(tensor([[0, 0, 1]]), tensor([[1, 2, 3]]), true), [
      lse - 3,
    ]);
  });

  it('categorical crossentropy from huge logits stays finite, with finite gradients', async () => {
    await expectValues(
      losses.categoricalCrossentropy(tensor([[0, 1]]), tensor([[1000, 0]]), true),
      [1000],
      1e-2,
    );
    const logits = variable(tensor([[1000, -1000, 0]]));
    const tape = new GradientTape();
    const loss = tape.record(() => losses.categoricalCrossentropy(tensor([[0, 1, 0]]), logits, true).mean());
    const g = tape.gradient(loss, logits) as Tensor;
    const gv = await values(g);
    expect(gv.every(Number.isFinite)).toBe(true);
    // d/dlogits = softmax - y = [1, -1, 0].
    gv.forEach((x, i) => expect(Math.abs(x - [1, -1, 0][i])).toBeLessThan(1e-5));
    logits.dispose();
  });

  it('sparse categorical crossentropy with [n] and [n, 1] labels', async () => {
    const lse = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3));
    await expectValues(
      losses.sparseCategoricalCrossentropy(
        tensor([2, 0], [2], 'int32'),
        tensor([
          [1, 2, 3],
          [1, 2, 3],
        ]),
        true,
      ),
      [lse - 3, lse - 1],
    );
    await expectValues(losses.sparseCategoricalCrossentropy(tensor([[1]]), tensor([[0.2, 0.8]])), [
      -Math.log(0.8),
    ]);
    expect(() =>
      losses.sparseCategoricalCrossentropy(tensor([1, 2, 0], [3], 'int32'), tensor([[0.5, 0.5]])),
    ).toThrow(/labels/);
  });

  it('binary crossentropy on probabilities and (extreme) logits', async () => {
    await expectValues(losses.binaryCrossentropy(tensor([[1, 0]]), tensor([[0.9, 0.2]])), [
      (-Math.log(0.9) - Math.log(0.8)) / 2,
    ]);
    await expectValues(losses.binaryCrossentropy(tensor([[1, 1, 0]]), tensor([[0, 100, -100]]), true), [
      Math.log(2) / 3,
    ]);
    await expectValues(losses.binaryCrossentropy(tensor([[0]]), tensor([[100]]), true), [100], 1e-3);
  });

  it('MSE, MAE, Huber, KL divergence, cosine similarity', async () => {
    await expectValues(losses.meanSquaredError(tensor([[1, 2]]), tensor([[3, 2]])), [2]);
    await expectValues(losses.meanAbsoluteError(tensor([[1, 2]]), tensor([[3, 2]])), [1]);
    await expectValues(losses.huber(tensor([[0, 0]]), tensor([[0.5, 2]])), [(0.125 + 1.5) / 2]);
    await expectValues(losses.huber(tensor([[0]]), tensor([[3]]), 2), [2 * 3 - 2]);
    await expectValues(losses.klDivergence(tensor([[0.5, 0.5]]), tensor([[0.25, 0.75]])), [
      0.5 * Math.log(2) + 0.5 * Math.log(2 / 3),
    ]);
    await expectValues(losses.cosineSimilarity(tensor([[1, 0]]), tensor([[1, 1]])), [-Math.SQRT1_2]);
  });

  it('shape mismatches throw naming the loss', () => {
    expect(() => losses.meanSquaredError(tensor([[1, 2]]), tensor([[1, 2, 3]]))).toThrow(
      /meanSquaredError.*same shape/,
    );
  });
});

describe('Loss objects and resolution', () => {
  it('classes reduce by the batch mean (or sum / none)', async () => {
    const yt = tensor([
      [0, 1],
      [1, 0],
    ]);
    const yp = tensor([
      [0.2, 0.8],
      [0.5, 0.5],
    ]);
    const mean = (-Math.log(0.8) - Math.log(0.5)) / 2;
    await expectValues(new losses.CategoricalCrossentropy().apply(yt, yp), [mean]);
    await expectValues(new losses.CategoricalCrossentropy({ reduction: 'sum' }).apply(yt, yp), [2 * mean]);
    await expectValues(new losses.CategoricalCrossentropy({ reduction: 'none' }).apply(yt, yp), [
      -Math.log(0.8),
      -Math.log(0.5),
    ]);
    await expectValues(new losses.Huber({ delta: 0.5 }).apply(tensor([[0]]), tensor([[1]])), [0.5 - 0.125]);
  });

  it('snake_case and camelCase names resolve to the same losses', () => {
    const pairs: [string, string][] = [
      ['categorical_crossentropy', 'categoricalCrossentropy'],
      ['sparse_categorical_crossentropy', 'sparseCategoricalCrossentropy'],
      ['binary_crossentropy', 'binaryCrossentropy'],
      ['mean_squared_error', 'meanSquaredError'],
      ['kl_divergence', 'klDivergence'],
      ['cosine_similarity', 'cosineSimilarity'],
    ];
    for (const [a, b] of pairs) expect(losses.getLoss(a).name).toBe(losses.getLoss(b).name);
    expect(losses.getLoss('mse').name).toBe('mean_squared_error');
    expect(losses.getLoss('mae').name).toBe('mean_absolute_error');
    expect(losses.getLoss('huber').name).toBe('huber_loss');
    expect(() => losses.getLoss('nope')).toThrow(/Unknown loss 'nope'/);
  });
});
