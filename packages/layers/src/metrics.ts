// Stateful metrics (accuracy family, AUC, precision, recall, F1, MAE, MSE, Mean) that accumulate on the device and reset.
import {
  argMax,
  cast,
  concat,
  equal,
  oneHot,
  greater,
  mean,
  sum,
  tensor,
  tidy,
  zeros,
  type Tensor,
  type Variable,
} from '@webdl/core';
import { snakeCase } from './initializers.js';
import {
  binaryCrossentropy,
  meanAbsoluteError,
  meanAbsolutePercentageError,
  meanSquaredError,
  sparseLabels,
} from './losses.js';

export { Metric, Mean, MeanMetricWrapper } from './metric-base.js';
import { Metric, Mean, MeanMetricWrapper } from './metric-base.js';

/**
 * 1 where prediction and label agree on the argmax class, per sample. `categoricalAccuracy(yTrue, yPred)`
 *
 * ```ts
 * metrics.categoricalAccuracy(tensor([[0, 1], [1, 0]]), tensor([[0.2, 0.8], [0.3, 0.7]])); // [1, 0]
 * ```
 */
export function categoricalAccuracy(yTrue: Tensor, yPred: Tensor): Tensor {
  return cast(equal(argMax(yTrue, -1), argMax(yPred, -1)), 'float32');
}
/**
 * 1 where the integer label equals the argmax class, per sample. `sparseCategoricalAccuracy(labels, yPred)`
 *
 * ```ts
 * metrics.sparseCategoricalAccuracy(tensor([1, 0]), tensor([[0.2, 0.8], [0.3, 0.7]])); // [1, 0]
 * ```
 */
export function sparseCategoricalAccuracy(yTrue: Tensor, yPred: Tensor): Tensor {
  return cast(equal(sparseLabels('sparseCategoricalAccuracy', yTrue, yPred), argMax(yPred, -1)), 'float32');
}
/**
 * Mean over the last axis of (yPred > threshold) == yTrue. `binaryAccuracy(yTrue, yPred, 0.5)`
 *
 * ```ts
 * metrics.binaryAccuracy(tensor([[1, 0]]), tensor([[0.8, 0.6]]), 0.5); // [0.5]
 * ```
 */
export function binaryAccuracy(yTrue: Tensor, yPred: Tensor, threshold = 0.5): Tensor {
  return mean(cast(equal(cast(yTrue, 'float32'), cast(greater(yPred, threshold), 'float32')), 'float32'), -1);
}
/**
 * Exact equality, per element (Keras's Accuracy). `accuracy(yTrue, yPred)`
 *
 * ```ts
 * metrics.accuracy(tensor([1, 2, 3]), tensor([1, 0, 3])); // [1, 0, 1]
 * ```
 */
export function accuracy(yTrue: Tensor, yPred: Tensor): Tensor {
  return cast(equal(yTrue, yPred), 'float32');
}

/**
 * Categorical accuracy metric. `new CategoricalAccuracy()`
 *
 * ```ts
 * const acc = new metrics.CategoricalAccuracy();
 * acc.updateState(tensor([[0, 1]]), tensor([[0.3, 0.7]]));
 * await acc.result().item(); // 1
 * ```
 */
export class CategoricalAccuracy extends MeanMetricWrapper {
  constructor(name = 'categorical_accuracy') {
    super(categoricalAccuracy, name);
  }
}
/**
 * Sparse categorical accuracy metric. `new SparseCategoricalAccuracy()`
 *
 * ```ts
 * model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: [new metrics.SparseCategoricalAccuracy()] });
 * ```
 */
export class SparseCategoricalAccuracy extends MeanMetricWrapper {
  constructor(name = 'sparse_categorical_accuracy') {
    super(sparseCategoricalAccuracy, name);
  }
}
/**
 * Binary accuracy metric. `new BinaryAccuracy({ threshold: 0.5 })`
 *
 * ```ts
 * const acc = new metrics.BinaryAccuracy({ threshold: 0.7 });
 * acc.updateState(tensor([[1], [0]]), tensor([[0.8], [0.75]])); // result: 0.5
 * ```
 */
export class BinaryAccuracy extends MeanMetricWrapper {
  constructor(args: { threshold?: number; name?: string } = {}) {
    const threshold = args.threshold ?? 0.5;
    super((t, p) => binaryAccuracy(t, p, threshold), args.name ?? 'binary_accuracy');
  }
}
/**
 * Exact-match accuracy metric. `new Accuracy()`
 *
 * ```ts
 * const acc = new metrics.Accuracy();
 * acc.updateState(tensor([1, 2]), tensor([1, 3])); // result: 0.5
 * ```
 */
export class Accuracy extends MeanMetricWrapper {
  constructor(name = 'accuracy') {
    super(accuracy, name);
  }
}
/**
 * Mean absolute error metric. `new MeanAbsoluteErrorMetric()`
 *
 * ```ts
 * model.compile({ optimizer: 'adam', loss: 'mse', metrics: [new metrics.MeanAbsoluteErrorMetric()] });
 * ```
 */
export class MeanAbsoluteErrorMetric extends MeanMetricWrapper {
  constructor(name = 'mean_absolute_error') {
    super(meanAbsoluteError, name);
  }
}
/**
 * Mean squared error metric. `new MeanSquaredErrorMetric()`
 *
 * ```ts
 * const mse = new metrics.MeanSquaredErrorMetric();
 * mse.updateState(tensor([[1, 2]]), tensor([[1, 4]])); // result: 2
 * ```
 */
export class MeanSquaredErrorMetric extends MeanMetricWrapper {
  constructor(name = 'mean_squared_error') {
    super(meanSquaredError, name);
  }
}

/** Counts of true/false positives/negatives at thresholds, for binary predictions in [0, 1]. */
abstract class ConfusionMetric extends Metric {
  protected readonly tp: Variable;
  protected readonly fp: Variable;
  protected readonly tn: Variable;
  protected readonly fn: Variable;
  constructor(
    name: string,
    protected readonly thresholds: number[],
  ) {
    super(name);
    const n = thresholds.length;
    this.tp = this.addState([n]);
    this.fp = this.addState([n]);
    this.tn = this.addState([n]);
    this.fn = this.addState([n]);
  }
  updateState(yTrue: Tensor, yPred: Tensor): void {
    tidy(() => {
      const y = cast(yTrue, 'float32').reshape([-1, 1]);
      const p = yPred.reshape([-1, 1]);
      const thr = tensor(this.thresholds, [1, this.thresholds.length]);
      const pos = cast(greater(p, thr), 'float32'); // [n, T]
      const neg = pos.neg().add(1);
      const notY = y.neg().add(1);
      this.tp.assignAdd(sum(pos.mul(y), 0));
      this.fp.assignAdd(sum(pos.mul(notY), 0));
      this.tn.assignAdd(sum(neg.mul(notY), 0));
      this.fn.assignAdd(sum(neg.mul(y), 0));
    });
  }
}

/**
 * tp / (tp + fp) at a threshold (0 when nothing is predicted positive). `new Precision({ threshold: 0.5 })`
 *
 * ```ts
 * const p = new metrics.Precision({ threshold: 0.5 });
 * p.updateState(tensor([1, 0, 1]), tensor([0.9, 0.8, 0.2])); // 1 true positive of 2 predicted: 0.5
 * ```
 */
export class Precision extends ConfusionMetric {
  constructor(args: { threshold?: number; name?: string } = {}) {
    super(args.name ?? 'precision', [args.threshold ?? 0.5]);
  }
  result(): Tensor {
    return tidy(() => this.tp.div(this.tp.add(this.fp).maximum(1e-12)).reshape([]));
  }
}

/**
 * tp / (tp + fn) at a threshold. `new Recall()`
 *
 * ```ts
 * const r = new metrics.Recall();
 * r.updateState(tensor([1, 0, 1]), tensor([0.9, 0.8, 0.2])); // 1 of 2 positives found: 0.5
 * ```
 */
export class Recall extends ConfusionMetric {
  constructor(args: { threshold?: number; name?: string } = {}) {
    super(args.name ?? 'recall', [args.threshold ?? 0.5]);
  }
  result(): Tensor {
    return tidy(() => this.tp.div(this.tp.add(this.fn).maximum(1e-12)).reshape([]));
  }
}

/**
 * Area under the ROC curve by the trapezoid rule over evenly spaced thresholds (Keras default 200,
 * with the end points just outside [0, 1]).
 *
 * ```ts
 * const auc = new metrics.AUC();
 * auc.updateState(tensor([0, 1, 1]), tensor([0.1, 0.8, 0.6]));
 * ```
 */
export class AUC extends ConfusionMetric {
  constructor(args: { numThresholds?: number; name?: string } = {}) {
    const n = args.numThresholds ?? 200;
    if (n < 3) throw new Error(`AUC: numThresholds must be at least 3, got ${n}`);
    const eps = 1e-7;
    // Evenly spaced: -ε, 1/(n-1), ..., 1+ε (only the ends move, as Keras does).
    const t = Array.from({ length: n }, (_, i) => i / (n - 1));
    t[0] = -eps;
    t[n - 1] = 1 + eps;
    super(args.name ?? 'auc', t);
  }
  result(): Tensor {
    return tidy(() => {
      const n = this.thresholds.length;
      const tpr = this.tp.div(this.tp.add(this.fn).maximum(1e-12));
      const fpr = this.fp.div(this.fp.add(this.tn).maximum(1e-12));
      const x0 = fpr.slice([0], [n - 1]);
      const x1 = fpr.slice([1], [n - 1]);
      const y0 = tpr.slice([0], [n - 1]);
      const y1 = tpr.slice([1], [n - 1]);
      return sum(x0.sub(x1).mul(y0.add(y1)).mul(0.5));
    });
  }
}

/**
 * A metric name, instance, or per-sample function.
 *
 * ```ts
 * const metricList: metrics.MetricLike[] = ['accuracy', new metrics.AUC(), (t, p) => t.sub(p).abs()];
 * model.compile({ optimizer: 'adam', loss: 'mse', metrics: metricList });
 * ```
 */
export type MetricLike = string | Metric | ((yTrue: Tensor, yPred: Tensor) => Tensor);

/**
 * Which loss a model was compiled with, to resolve 'accuracy' as Keras does.
 *
 * ```ts
 * const ctx: metrics.MetricContext = { lossName: 'binary_crossentropy', outputDim: 1 };
 * metrics.getMetric('accuracy', ctx); // a BinaryAccuracy named 'accuracy'
 * ```
 */
export interface MetricContext {
  lossName?: string;
  /** Size of the model output's last axis. */
  outputDim?: number | null;
}

/**
 * Resolves a metric: 'accuracy'/'acc' (by the loss: categorical, sparse or binary accuracy),
 * 'binary_accuracy', 'categorical_accuracy', 'sparse_categorical_accuracy', 'auc', 'precision',
 * 'recall', 'mae', 'mse' (snake_case or camelCase), an instance or a function.
 *
 * ```ts
 * metrics.getMetric('accuracy', { lossName: 'sparse_categorical_crossentropy' }); // SparseCategoricalAccuracy named 'accuracy'
 * ```
 */
export function getMetric(metric: MetricLike, context: MetricContext = {}): Metric {
  if (metric instanceof Metric) return metric;
  if (typeof metric === 'function')
    return new MeanMetricWrapper(metric, metric.name ? snakeCase(metric.name) : 'metric');
  const key = snakeCase(metric);
  if (key === 'accuracy' || key === 'acc') {
    const loss = context.lossName ?? '';
    if (loss.includes('sparse_categorical')) return new SparseCategoricalAccuracy(metric);
    if (loss.includes('binary') || loss.includes('hinge')) return new BinaryAccuracy({ name: metric });
    if (loss.includes('categorical')) return new CategoricalAccuracy(metric);
    // Keras: a single output unit means binary accuracy, otherwise categorical.
    return context.outputDim === 1 ? new BinaryAccuracy({ name: metric }) : new CategoricalAccuracy(metric);
  }
  switch (key) {
    case 'binary_accuracy':
      return new BinaryAccuracy();
    case 'categorical_accuracy':
      return new CategoricalAccuracy();
    case 'sparse_categorical_accuracy':
      return new SparseCategoricalAccuracy();
    case 'auc':
    case 'a_u_c':
      return new AUC();
    case 'precision':
      return new Precision();
    case 'recall':
      return new Recall();
    case 'mae':
    case 'mean_absolute_error':
      return new MeanAbsoluteErrorMetric(key === 'mae' ? 'mae' : 'mean_absolute_error');
    case 'mse':
    case 'mean_squared_error':
      return new MeanSquaredErrorMetric(key === 'mse' ? 'mse' : 'mean_squared_error');
    default: {
      const make = EXTRA_METRICS[key];
      if (make) return make();
      const known = [
        'accuracy',
        'binary_accuracy',
        'categorical_accuracy',
        'sparse_categorical_accuracy',
        'auc',
        'precision',
        'recall',
        'mae',
        'mse',
        ...Object.keys(EXTRA_METRICS),
      ];
      throw new Error(`Unknown metric '${metric}'; known: ${known.join(', ')}`);
    }
  }
}

/**
 * 1 where the true class's score is among the k highest, per sample (ties count as in, as in_top_k).
 *
 * ```ts
 * metrics.topKCategoricalAccuracy(tensor([[0, 0, 1]]), tensor([[0.5, 0.3, 0.2]]), 2); // [0]: third of 3
 * ```
 */
export function topKCategoricalAccuracy(yTrue: Tensor, yPred: Tensor, k = 5): Tensor {
  const trueScore = sum(cast(yTrue, 'float32').mul(yPred), -1, true);
  return cast(sum(cast(yPred.greater(trueScore), 'float32'), -1).less(k), 'float32');
}

/**
 * Top-k accuracy for integer labels. `sparseTopKCategoricalAccuracy(labels, yPred, 5)`
 *
 * ```ts
 * metrics.sparseTopKCategoricalAccuracy(tensor([2]), tensor([[0.5, 0.2, 0.3]]), 2); // [1]
 * ```
 */
export function sparseTopKCategoricalAccuracy(yTrue: Tensor, yPred: Tensor, k = 5): Tensor {
  const labels = sparseLabels('sparseTopKCategoricalAccuracy', yTrue, yPred);
  return topKCategoricalAccuracy(oneHot(labels, yPred.shape[yPred.rank - 1]), yPred, k);
}

/**
 * √(mean squared error) over everything seen. `new RootMeanSquaredError()`
 *
 * ```ts
 * const rmse = new metrics.RootMeanSquaredError();
 * rmse.updateState(tensor([0, 0]), tensor([3, 4])); // √((9 + 16) / 2)
 * ```
 */
export class RootMeanSquaredError extends Mean {
  constructor(name = 'root_mean_squared_error') {
    super(name);
  }
  override updateState(yTrue: Tensor, yPred: Tensor): void {
    tidy(() => this.update(cast(yTrue, 'float32').sub(yPred).square().reshape([-1])));
  }
  override result(): Tensor {
    return tidy(() => super.result().sqrt());
  }
}

/**
 * Coefficient of determination 1 - SS_res / SS_tot over everything seen (Keras's R2Score). `new R2Score()`
 *
 * ```ts
 * const r2 = new metrics.R2Score();
 * r2.updateState(tensor([1, 2, 3]), tensor([1, 2, 3]));
 * await r2.result().item(); // 1: a perfect fit
 * ```
 */
export class R2Score extends Metric {
  private readonly sums: Variable;
  constructor(name = 'r2_score') {
    super(name);
    // [Σy, Σy², Σ(y - p)², n]
    this.sums = this.addState([4]);
  }
  updateState(yTrue: Tensor, yPred: Tensor): void {
    tidy(() => {
      const y = cast(yTrue, 'float32').reshape([-1]);
      const p = yPred.reshape([-1]);
      const n = y.size;
      const parts = [y.sum(), y.square().sum(), y.sub(p).square().sum(), zeros([]).add(n)];
      this.sums.assignAdd(concat(parts.map((t) => t.reshape([1]))));
    });
  }
  result(): Tensor {
    return tidy(() => {
      const [s, s2, res, n] = [0, 1, 2, 3].map((i) => this.sums.slice([i], [1]).reshape([]));
      const total = s2.sub(s.square().div(n.maximum(1)));
      return res.div(total.maximum(1e-12)).neg().add(1);
    });
  }
}

/**
 * How F1Score combines the classes (Keras's `average`); null gives one score per class.
 *
 * ```ts
 * const average: metrics.F1Average = 'macro';
 * new metrics.F1Score({ average });
 * ```
 */
export type F1Average = null | 'micro' | 'macro' | 'weighted';

/**
 * Options of F1Score, as Keras 3's.
 *
 * ```ts
 * const args: metrics.F1ScoreArgs = { average: 'weighted', threshold: 0.5 };
 * new metrics.F1Score(args);
 * ```
 */
export interface F1ScoreArgs {
  /** null (default: a score per class), 'micro', 'macro' or 'weighted'. */
  average?: F1Average;
  /** Scores above it count as positive; default: the highest score of each sample. In (0, 1]. */
  threshold?: number | null;
  name?: string;
}

const EPS = 1e-7;
const AVERAGES = [null, 'micro', 'macro', 'weighted'];

/**
 * F1 score, Keras 3's `F1Score`: accumulates true positives, false positives and false negatives
 * per class over everything seen; with `average: null` the result has one score per class.
 *
 * ```ts
 * const f1 = new metrics.F1Score({ average: 'macro', threshold: 0.5 });
 * f1.updateState(yTrue, yPred); // both [batch, classes]
 * await f1.value();
 * ```
 */
export class F1Score extends Metric {
  readonly average: F1Average;
  readonly threshold: number | null;
  /** Shape [4, classes]: true positives, false positives, false negatives, true counts (created on first update). */
  private counts: Variable | null = null;
  constructor(args: F1ScoreArgs = {}) {
    super(args.name ?? 'f1_score');
    const known = new Set(['average', 'threshold', 'name']);
    const unknown = Object.keys(args).filter((k) => !known.has(k));
    if (unknown.length > 0)
      throw new Error(`F1Score: unknown option ${unknown.join(', ')}; accepted: average, threshold, name`);
    const average = args.average ?? null;
    if (!AVERAGES.includes(average))
      throw new Error(
        `F1Score: average must be one of null, 'micro', 'macro', 'weighted', got ${JSON.stringify(args.average)}`,
      );
    const threshold = args.threshold ?? null;
    if (threshold !== null && !(typeof threshold === 'number' && threshold > 0 && threshold <= 1))
      throw new Error(`F1Score: threshold must be a number in (0, 1], got ${String(args.threshold)}`);
    this.average = average;
    this.threshold = threshold;
  }
  /** Whether result() is one number (false for average null: one score per class). */
  override get scalarResult(): boolean {
    return this.average !== null;
  }
  updateState(yTrue: Tensor, yPred: Tensor): void {
    if (yTrue.rank !== 2 || yPred.rank !== 2 || yTrue.shape.some((d, i) => d !== yPred.shape[i]))
      throw new Error(
        `F1Score: expects yTrue and yPred of the same shape [batch, classes], got yTrue [${yTrue.shape}] and yPred [${yPred.shape}]`,
      );
    const classes = yPred.shape[1];
    if (this.counts && this.counts.shape[1] !== classes)
      throw new Error(`F1Score: ${classes} classes after ${this.counts.shape[1]} in an earlier batch`);
    const counts = (this.counts ??= this.addState([4, classes]));
    tidy(() => {
      // Keras: without a threshold, the highest score of each sample (ties all count) unless it is 0.
      const positive =
        this.threshold === null
          ? yPred.greaterEqual(yPred.max(-1, true)).logicalAnd(yPred.abs().greater(1e-9))
          : yPred.greater(this.threshold);
      const p = cast(positive, 'float32');
      const t = cast(yTrue, 'float32');
      const rows = [p.mul(t), p.mul(t.neg().add(1)), p.neg().add(1).mul(t), t];
      counts.assignAdd(
        concat(
          rows.map((r) => r.sum(0).reshape([1, classes])),
          0,
        ),
      );
    });
  }
  result(): Tensor {
    return tidy(() => {
      const counts = this.counts;
      if (!counts) throw new Error('F1Score.result: no batch seen yet (call updateState first)');
      const classes = counts.shape[1];
      const row = (i: number) => counts.slice([i, 0], [1, classes]).reshape([classes]);
      let [tp, fp, fn] = [row(0), row(1), row(2)];
      if (this.average === 'micro') [tp, fp, fn] = [tp.sum(), fp.sum(), fn.sum()];
      const precision = tp.div(tp.add(fp).add(EPS));
      const recall = tp.div(tp.add(fn).add(EPS));
      const f1 = precision.mul(recall).div(precision.add(recall).add(EPS)).mul(2);
      if (this.average === 'weighted') {
        const w = row(3);
        return f1.mul(w.div(w.sum().add(EPS))).sum();
      }
      return this.average === null ? f1 : f1.mean();
    });
  }
}

/** More metrics by Keras name (getMetric's table). */
const EXTRA_METRICS: Record<string, () => Metric> = {
  mape: () => new MeanMetricWrapper(meanAbsolutePercentageError, 'mape'),
  mean_absolute_percentage_error: () =>
    new MeanMetricWrapper(meanAbsolutePercentageError, 'mean_absolute_percentage_error'),
  binary_crossentropy: () => new MeanMetricWrapper((t, p) => binaryCrossentropy(t, p), 'binary_crossentropy'),
  root_mean_squared_error: () => new RootMeanSquaredError(),
  rmse: () => new RootMeanSquaredError('rmse'),
  top_k_categorical_accuracy: () =>
    new MeanMetricWrapper((t, p) => topKCategoricalAccuracy(t, p), 'top_k_categorical_accuracy'),
  sparse_top_k_categorical_accuracy: () =>
    new MeanMetricWrapper((t, p) => sparseTopKCategoricalAccuracy(t, p), 'sparse_top_k_categorical_accuracy'),
  r2_score: () => new R2Score(),
  f1_score: () => new F1Score(),
};
