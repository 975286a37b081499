// "Keras user expectations" for string names: losses and metrics Keras users type, checked against hand-computed values.
import { setBackend, tensor } from '@webdl/core';
import { beforeAll, describe, expect } from 'vitest';
import { losses, metrics, optimizers } from '../src/index.js';
import { runExpectations, type Expectation } from './keras-expectations-harness.js';

beforeAll(async () => {
  await setBackend('cpu');
});

const loss = (name: string, y: number[][], p: number[][]) =>
  losses.getLoss(name).apply(tensor(y), tensor(p)).item();
const metric = async (name: string, y: number[][] | number[], p: number[][]) => {
  const m = metrics.getMetric(name);
  m.updateState(tensor(y), tensor(p));
  return m.value();
};
const close = (v: number) => expect.closeTo(v, 5);

/** Item 9: string names (values computed by hand from Keras's formulas). */
const names: Expectation[] = [
  {
    call: "loss 'hinge' (labels 0/1 become -1/1)",
    run: () => loss('hinge', [[1, 0]], [[0.3, -0.2]]),
    expect: close(0.75),
  },
  {
    call: "loss 'squared_hinge'",
    run: () => loss('squared_hinge', [[1, 0]], [[0.3, -0.2]]),
    expect: close(0.565),
  },
  {
    call: "loss 'log_cosh'",
    run: () => loss('log_cosh', [[0]], [[1]]),
    expect: close(Math.log(Math.cosh(1))),
  },
  { call: "loss 'huber' (delta 1)", run: () => loss('huber', [[0]], [[2]]), expect: close(1.5) },
  {
    call: "loss 'binary_focal_crossentropy' (gamma 2)",
    run: () => loss('binary_focal_crossentropy', [[1]], [[0.9]]),
    expect: close(0.01 * -Math.log(0.9)),
  },
  { call: "metric 'mape'", run: () => metric('mape', [[2]], [[1]]), expect: close(50) },
  { call: "metric 'mse'", run: () => metric('mse', [[0, 0]], [[3, 4]]), expect: close(12.5) },
  {
    call: "metric 'root_mean_squared_error'",
    run: () => metric('root_mean_squared_error', [[0, 0]], [[3, 4]]),
    expect: close(Math.sqrt(12.5)),
  },
  {
    call: "metric 'top_k_categorical_accuracy' (k 5 of 6 classes)",
    run: () =>
      metric(
        'top_k_categorical_accuracy',
        [
          [1, 0, 0, 0, 0, 0],
          [1, 0, 0, 0, 0, 0],
        ],
        [
          [0.1, 0.9, 0.8, 0.7, 0.6, 0.5],
          [0.6, 0.9, 0.8, 0.7, 0.1, 0.5],
        ],
      ),
    expect: 0.5,
  },
  {
    call: "metric 'sparse_top_k_categorical_accuracy'",
    run: () =>
      metric(
        'sparse_top_k_categorical_accuracy',
        [5, 0],
        [
          [0.1, 0.9, 0.8, 0.7, 0.6, 0.5],
          [0.1, 0.9, 0.8, 0.7, 0.6, 0.5],
        ],
      ),
    expect: 0.5,
  },
  {
    call: "metric 'binary_crossentropy'",
    run: () => metric('binary_crossentropy', [[1]], [[0.9]]),
    expect: close(-Math.log(0.9)),
  },
  {
    call: "metric 'r2_score'",
    run: () => metric('r2_score', [[1], [2], [3]], [[1], [2], [4]]),
    expect: close(0.5),
  },
  {
    call: "optimizer 'nadam' is Keras 3's Nadam with its defaults",
    run: () => {
      const o = optimizers.getOptimizer('nadam');
      return [o instanceof optimizers.Nadam, o.getConfig()];
    },
    expect: [true, expect.objectContaining({ learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 })],
  },
  {
    call: "optimizer 'lion' is Keras 3's Lion with its defaults",
    run: () => {
      const o = optimizers.getOptimizer('lion');
      return [o instanceof optimizers.Lion, o.getConfig()];
    },
    expect: [true, expect.objectContaining({ learningRate: 0.001, beta1: 0.9, beta2: 0.99 })],
  },
  {
    call: "an unknown optimizer 'nadamm' lists the known names",
    run: () => optimizers.getOptimizer('nadamm'),
    throws: /Unknown optimizer 'nadamm'; known: .*nadam, lion/,
  },
  {
    call: "an unknown metric 'accuracyy' lists the known names",
    run: () => metrics.getMetric('accuracyy'),
    throws: /Unknown metric 'accuracyy'; known: accuracy, .*root_mean_squared_error/,
  },
];

describe('Keras user expectations (names)', () => {
  describe('item 9: losses, metrics and optimizers by the names Keras users type', () =>
    runExpectations(names));
});
