// "Keras user expectations" for string names: losses and metrics Keras users type, checked against hand-computed values.
import { setBackend, tensor } from '@webdl/core';
import { beforeAll, describe, expect } from 'vitest';
import { layers, losses, metrics, optimizers, Sequential } from '../src/index.js';
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

/** Five samples of three classes for F1Score (argmax: classes 0, 0, 2, 1, 0). */
const F1_TRUE = [
  [1, 0, 0],
  [0, 1, 0],
  [0, 0, 1],
  [1, 0, 0],
  [1, 0, 0],
];
const F1_PRED = [
  [0.7, 0.2, 0.1],
  [0.6, 0.3, 0.1],
  [0.1, 0.2, 0.7],
  [0.2, 0.5, 0.3],
  [0.9, 0.05, 0.05],
];
const f1 = (args: metrics.F1ScoreArgs) => {
  const m = new metrics.F1Score(args);
  m.updateState(tensor(F1_TRUE), tensor(F1_PRED));
  return m.value();
};
/** A model whose output is its input (Dense with an identity kernel and zero bias). */
const f1Model = () => {
  const m = new Sequential([
    new layers.Dense(3, { inputShape: [3], kernelInitializer: 'identity', biasInitializer: 'zeros' }),
  ]);
  return m;
};

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
    call: "metric 'f1_score' (Keras default average None: one score per class, argmax as positive)",
    run: async () => {
      const m = metrics.getMetric('f1_score');
      m.updateState(tensor(F1_TRUE.slice(0, 2)), tensor(F1_PRED.slice(0, 2)));
      m.updateState(tensor(F1_TRUE.slice(2)), tensor(F1_PRED.slice(2))); // accumulates across batches
      return Array.from(await m.result().data());
    },
    // class 0: tp 2, fp 1, fn 1; class 1: tp 0; class 2: tp 1, fp 0, fn 0
    expect: [close(2 / 3), close(0), close(1)],
  },
  {
    call: "F1Score({ average: 'macro' })",
    run: () => f1({ average: 'macro' }),
    expect: close((2 / 3 + 0 + 1) / 3),
  },
  {
    call: "F1Score({ average: 'weighted' }) (weights: true counts 3, 1, 1)",
    run: () => f1({ average: 'weighted' }),
    expect: close((3 * (2 / 3) + 1 * 0 + 1 * 1) / 5),
  },
  {
    call: "F1Score({ average: 'micro', threshold: 0.5 }) (0.5 itself is not positive)",
    run: () => f1({ average: 'micro', threshold: 0.5 }),
    // tp 3 (s0c0, s2c2, s4c0), fp 1 (s1c0), fn 2 (s1c1, s3c0): P 3/4, R 3/5
    expect: close((2 * 0.75 * 0.6) / (0.75 + 0.6)),
  },
  {
    call: "F1Score({ average: 'mean' }) names the accepted values",
    run: () => new metrics.F1Score({ average: 'mean' as 'macro' }),
    throws: `F1Score: average must be one of null, 'micro', 'macro', 'weighted', got "mean"`,
  },
  {
    call: 'F1Score({ threshold: 1.5 })',
    run: () => new metrics.F1Score({ threshold: 1.5 }),
    throws: 'F1Score: threshold must be a number in (0, 1], got 1.5',
  },
  {
    call: 'F1Score({ averge: "macro" }) (misspelt option)',
    run: () => new metrics.F1Score({ averge: 'macro' } as metrics.F1ScoreArgs),
    throws: 'F1Score: unknown option averge; accepted: average, threshold, name',
  },
  {
    call: 'F1Score on 1-D labels names both shapes',
    run: () => new metrics.F1Score().updateState(tensor([1, 0]), tensor([0.2, 0.8])),
    throws:
      'F1Score: expects yTrue and yPred of the same shape [batch, classes], got yTrue [2] and yPred [2]',
  },
  {
    // Per class 2/3, 0, 1 (counts above); the logs hold their mean, what Keras's progress bar prints.
    call: "compile({ metrics: ['f1_score'] }): evaluate logs the mean of the per-class scores",
    run: async () => {
      const m = f1Model();
      m.compile({ optimizer: 'sgd', loss: 'categorical_crossentropy', metrics: ['f1_score'] });
      const out = await m.evaluate(tensor(F1_PRED), tensor(F1_TRUE), { returnDict: true });
      return out.f1_score;
    },
    expect: close((2 / 3 + 0 + 1) / 3),
  },
  {
    call: "compile({ metrics: ['F1Score'] }) (Keras's class-name spelling) is the per-class F1Score",
    run: () => {
      const m = metrics.getMetric('F1Score');
      return [m instanceof metrics.F1Score && m.average, m.name, m.scalarResult];
    },
    expect: [null, 'f1_score', false],
  },
  {
    call: 'compile({ metrics: [f1 = new F1Score()] }): after evaluate, f1.result() holds the per-class scores',
    run: async () => {
      const m = f1Model();
      const f1Metric = new metrics.F1Score();
      m.compile({ optimizer: 'sgd', loss: 'categorical_crossentropy', metrics: [f1Metric] });
      // Two batches: the counts accumulate over the whole pass.
      const [, logged] = (await m.evaluate(tensor(F1_PRED), tensor(F1_TRUE), { batchSize: 2 })) as number[];
      return [logged, ...(await f1Metric.result().data())];
    },
    expect: [close((2 / 3 + 0 + 1) / 3), close(2 / 3), close(0), close(1)],
  },
  {
    call: "fit with metrics: ['f1_score'] records one number per epoch and prints it in the progress line",
    run: async () => {
      const m = f1Model();
      m.compile({
        optimizer: new optimizers.SGD({ learningRate: 0 }),
        loss: 'categorical_crossentropy',
        metrics: ['f1_score'],
      });
      const h = await m.fit(tensor(F1_PRED), tensor(F1_TRUE), { epochs: 2, batchSize: 5, verbose: 1 });
      return h.history.f1_score;
    },
    expect: [close(5 / 9), close(5 / 9)],
    logs: [/f1_score: 0\.5556/],
  },
  {
    call: "evaluate with metrics: [new F1Score({ average: 'macro' })] logs it",
    run: async () => {
      const m = f1Model();
      m.compile({ optimizer: 'sgd', loss: 'mse', metrics: [new metrics.F1Score({ average: 'macro' })] });
      // The identity model predicts F1_PRED itself.
      const out = (await m.evaluate(tensor(F1_PRED), tensor(F1_TRUE), { returnDict: true })) as Record<
        string,
        number
      >;
      return out.f1_score;
    },
    expect: close((2 / 3 + 0 + 1) / 3),
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
