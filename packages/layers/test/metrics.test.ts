// Stateful metrics: accumulation over batches, reset, and 'accuracy' resolved from the loss as Keras does.
import { setBackend, tensor } from '@webdl/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { metrics } from '../src/index.js';

beforeAll(async () => {
  await setBackend('cpu');
});

describe('metrics accumulate and reset', () => {
  it('categorical accuracy over two batches, then reset', async () => {
    const m = new metrics.CategoricalAccuracy();
    m.updateState(
      tensor([
        [0, 1],
        [1, 0],
      ]),
      tensor([
        [0.2, 0.8],
        [0.3, 0.7],
      ]),
    );
    expect(await m.value()).toBeCloseTo(0.5);
    m.updateState(
      tensor([
        [0, 1],
        [0, 1],
      ]),
      tensor([
        [0.2, 0.8],
        [0.1, 0.9],
      ]),
    );
    expect(await m.value()).toBeCloseTo(0.75);
    m.reset();
    expect(await m.value()).toBe(0);
    m.dispose();
  });

  it('sparse categorical and binary accuracy', async () => {
    const s = new metrics.SparseCategoricalAccuracy();
    s.updateState(
      tensor([1, 0, 2], [3], 'int32'),
      tensor([
        [0.1, 0.9, 0],
        [0.2, 0.7, 0.1],
        [0, 0, 1],
      ]),
    );
    expect(await s.value()).toBeCloseTo(2 / 3);
    const b = new metrics.BinaryAccuracy();
    b.updateState(tensor([[1], [0], [1], [0]]), tensor([[0.7], [0.2], [0.4], [0.6]]));
    expect(await b.value()).toBeCloseTo(0.5);
  });

  it('precision and recall at 0.5', async () => {
    const y = tensor([1, 0, 1, 1]);
    const p = tensor([0.9, 0.6, 0.4, 0.8]);
    const prec = new metrics.Precision();
    const rec = new metrics.Recall();
    prec.updateState(y, p);
    rec.updateState(y, p);
    expect(await prec.value()).toBeCloseTo(2 / 3);
    expect(await rec.value()).toBeCloseTo(2 / 3);
    prec.resetState();
    expect(await prec.value()).toBe(0);
  });

  it('AUC of a known ranking', async () => {
    const auc = new metrics.AUC();
    auc.updateState(tensor([0, 0, 1, 1]), tensor([0.1, 0.4, 0.35, 0.8]));
    expect(await auc.value()).toBeCloseTo(0.75, 3);
    const perfect = new metrics.AUC();
    perfect.updateState(tensor([0, 1, 0, 1]), tensor([0.1, 0.9, 0.2, 0.7]));
    expect(await perfect.value()).toBeCloseTo(1, 3);
  });

  it('MAE and MSE metrics average over all samples seen', async () => {
    const mae = metrics.getMetric('mae');
    mae.updateState(tensor([[1, 2]]), tensor([[2, 4]]));
    mae.updateState(tensor([[0, 0]]), tensor([[0, 0]]));
    expect(await mae.value()).toBeCloseTo(0.75);
    const mse = metrics.getMetric('mse');
    mse.updateState(tensor([[1, 2]]), tensor([[2, 4]]));
    expect(await mse.value()).toBeCloseTo(2.5);
  });
});

describe("'accuracy' resolves from the loss", () => {
  it('as Keras does', () => {
    expect(metrics.getMetric('accuracy', { lossName: 'categorical_crossentropy' })).toBeInstanceOf(
      metrics.CategoricalAccuracy,
    );
    expect(metrics.getMetric('accuracy', { lossName: 'sparse_categorical_crossentropy' })).toBeInstanceOf(
      metrics.SparseCategoricalAccuracy,
    );
    expect(metrics.getMetric('acc', { lossName: 'binary_crossentropy' })).toBeInstanceOf(
      metrics.BinaryAccuracy,
    );
    expect(metrics.getMetric('accuracy', { lossName: 'mean_squared_error', outputDim: 1 })).toBeInstanceOf(
      metrics.BinaryAccuracy,
    );
    expect(metrics.getMetric('accuracy', { lossName: 'mean_squared_error', outputDim: 4 })).toBeInstanceOf(
      metrics.CategoricalAccuracy,
    );
    expect(metrics.getMetric('accuracy').name).toBe('accuracy');
    expect(metrics.getMetric('sparseCategoricalAccuracy')).toBeInstanceOf(metrics.SparseCategoricalAccuracy);
    expect(metrics.getMetric('binary_accuracy')).toBeInstanceOf(metrics.BinaryAccuracy);
    expect(metrics.getMetric('auc')).toBeInstanceOf(metrics.AUC);
    expect(() => metrics.getMetric('f7')).toThrow(/Unknown metric/);
  });
});
