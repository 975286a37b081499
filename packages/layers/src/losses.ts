// Losses: per-sample functions (Keras's functional forms) and Loss classes that reduce them over the batch.
import {
  abs,
  cast,
  clipByValue,
  log,
  logSoftmax,
  maximum,
  mean,
  neg,
  oneHot,
  checkIndexRange,
  softplus,
  square,
  sum,
  where,
  type Tensor,
} from '@webdl/core';
import { snakeCase } from './initializers.js';
import { binaryFocalCrossentropy, hinge, logCosh, squaredHinge } from './losses-extra.js';

export { binaryFocalCrossentropy, hinge, logCosh, squaredHinge };

/**
 * Keras's fuzz factor for clipping probabilities away from 0 and 1.
 *
 * ```ts
 * clipByValue(probs, losses.EPSILON, 1 - losses.EPSILON); // how the losses keep log() finite
 * ```
 */
export const EPSILON = 1e-7;

/**
 * How per-sample losses become one number.
 *
 * ```ts
 * const reduction: losses.Reduction = 'none';
 * new losses.MeanSquaredError({ reduction }).apply(yTrue, yPred); // one loss per sample
 * ```
 */
export type Reduction = 'sum_over_batch_size' | 'sum' | 'none';

/**
 * yTrue shaped like yPred: labels [N] for predictions [N, 1] gain the trailing axis, as Keras's
 * losses do (squeeze_or_expand_to_same_rank); any other mismatch is an error.
 */
function checkShapes(name: string, yTrue: Tensor, yPred: Tensor): Tensor {
  if (
    yTrue.rank === yPred.rank - 1 &&
    yPred.shape[yPred.rank - 1] === 1 &&
    yTrue.shape.every((d, i) => d === yPred.shape[i])
  )
    return yTrue.reshape([...yPred.shape]);
  if (yTrue.rank !== yPred.rank || yTrue.shape.some((d, i) => d !== yPred.shape[i])) {
    throw new Error(`${name}: yTrue [${yTrue.shape}] and yPred [${yPred.shape}] must have the same shape`);
  }
  return yTrue;
}

/**
 * Cross-entropy of one-hot (or soft) targets, per sample. With fromLogits it uses logSoftmax, so
 * large logits stay finite; otherwise probabilities are renormalized and clipped to [ε, 1-ε].
 *
 * ```ts
 * losses.categoricalCrossentropy(tensor([[0, 1]]), tensor([[0.2, 0.8]])); // [-log 0.8]
 * ```
 */
export function categoricalCrossentropy(
  yTrue: Tensor,
  yPred: Tensor,
  fromLogits = false,
  labelSmoothing = 0,
): Tensor {
  const classes = yPred.shape[yPred.rank - 1];
  if (yTrue.rank === yPred.rank - 1 || (yTrue.shape.at(-1) === 1 && classes > 1)) {
    // Keras refuses class indices here too (its message, plus the loss that takes them).
    throw new Error(
      `categoricalCrossentropy: yTrue and yPred must have the same rank and shape, got yTrue [${yTrue.shape}] and yPred [${yPred.shape}]; for integer class labels use 'sparse_categorical_crossentropy' (or one-hot encode them)`,
    );
  }
  yTrue = checkShapes('categoricalCrossentropy', yTrue, yPred);
  let y = yTrue.dtype === 'float32' ? yTrue : cast(yTrue, 'float32');
  if (labelSmoothing > 0) {
    const k = yPred.shape[yPred.rank - 1];
    y = y.mul(1 - labelSmoothing).add(labelSmoothing / k);
  }
  const logp = fromLogits
    ? logSoftmax(yPred, -1)
    : log(clipByValue(yPred.div(sum(yPred, -1, true)), EPSILON, 1 - EPSILON));
  return neg(sum(y.mul(logp), -1));
}

/**
 * Cross-entropy of integer class labels ([batch] or [batch, 1]) against class scores, per sample.
 *
 * ```ts
 * losses.sparseCategoricalCrossentropy(tensor([1], [1], 'int32'), tensor([[2, 5]]), true);
 * ```
 */
export function sparseCategoricalCrossentropy(yTrue: Tensor, yPred: Tensor, fromLogits = false): Tensor {
  const labels = sparseLabels('sparseCategoricalCrossentropy', yTrue, yPred);
  const depth = yPred.shape[yPred.rank - 1];
  // CPU: checked now; WebGPU: a device-side flag, reported at the next readback (no stall).
  checkIndexRange(
    `sparseCategoricalCrossentropy: label value outside the ${depth} classes`,
    labels,
    0,
    depth,
  );
  return categoricalCrossentropy(oneHot(labels, depth), yPred, fromLogits);
}

/**
 * Integer labels shaped like yPred without its last axis (a trailing size-1 axis is dropped).
 *
 * ```ts
 * losses.sparseLabels('myLoss', tensor([[1], [0]]), zeros([2, 3])); // labels [1, 0], shape [2]
 * ```
 */
export function sparseLabels(name: string, yTrue: Tensor, yPred: Tensor): Tensor {
  let labels = yTrue;
  if (labels.rank === yPred.rank && labels.shape[labels.rank - 1] === 1)
    labels = labels.reshape(labels.shape.slice(0, -1));
  if (labels.rank !== yPred.rank - 1 || labels.shape.some((d, i) => d !== yPred.shape[i])) {
    throw new Error(
      `${name}: labels [${yTrue.shape}] do not match predictions [${yPred.shape}] (expected [${yPred.shape.slice(0, -1)}])`,
    );
  }
  return labels.dtype === 'int32' ? labels : cast(labels, 'int32');
}

/**
 * Binary cross-entropy averaged over the last axis. With fromLogits: `softplus(x) - x·y`, stable for any x.
 *
 * ```ts
 * losses.binaryCrossentropy(tensor([[1]]), tensor([[0.9]])); // [-log 0.9]
 * ```
 */
export function binaryCrossentropy(
  yTrue: Tensor,
  yPred: Tensor,
  fromLogits = false,
  labelSmoothing = 0,
): Tensor {
  yTrue = checkShapes('binaryCrossentropy', yTrue, yPred);
  let y = yTrue.dtype === 'float32' ? yTrue : cast(yTrue, 'float32');
  if (labelSmoothing > 0) y = y.mul(1 - labelSmoothing).add(0.5 * labelSmoothing);
  if (fromLogits) return mean(softplus(yPred).sub(yPred.mul(y)), -1);
  const p = clipByValue(yPred, EPSILON, 1 - EPSILON);
  return neg(
    mean(
      y.mul(log(p)).add(
        neg(y)
          .add(1)
          .mul(log(neg(p).add(1))),
      ),
      -1,
    ),
  );
}

/**
 * Mean squared error over the last axis. `meanSquaredError(yTrue, yPred)`
 *
 * ```ts
 * losses.meanSquaredError(tensor([[1, 2]]), tensor([[1, 4]])); // [2]
 * ```
 */
export function meanSquaredError(yTrue: Tensor, yPred: Tensor): Tensor {
  yTrue = checkShapes('meanSquaredError', yTrue, yPred);
  return mean(square(yTrue.sub(yPred)), -1);
}

/**
 * Mean absolute error over the last axis. `meanAbsoluteError(yTrue, yPred)`
 *
 * ```ts
 * losses.meanAbsoluteError(tensor([[1, 2]]), tensor([[1, 4]])); // [1]
 * ```
 */
export function meanAbsoluteError(yTrue: Tensor, yPred: Tensor): Tensor {
  yTrue = checkShapes('meanAbsoluteError', yTrue, yPred);
  return mean(abs(yTrue.sub(yPred)), -1);
}

/**
 * Mean absolute percentage error over the last axis. `meanAbsolutePercentageError(yTrue, yPred)`
 *
 * ```ts
 * losses.meanAbsolutePercentageError(tensor([[2, 4]]), tensor([[1, 4]])); // [25]
 * ```
 */
export function meanAbsolutePercentageError(yTrue: Tensor, yPred: Tensor): Tensor {
  yTrue = checkShapes('meanAbsolutePercentageError', yTrue, yPred);
  return mean(abs(yTrue.sub(yPred)).div(maximum(abs(yTrue), EPSILON)), -1).mul(100);
}

/**
 * Huber loss over the last axis: quadratic within delta, linear beyond. `huber(yTrue, yPred, 1)`
 *
 * ```ts
 * losses.huber(tensor([[0, 0]]), tensor([[0.5, 3]]), 1); // [(0.125 + 2.5) / 2]
 * ```
 */
export function huber(yTrue: Tensor, yPred: Tensor, delta = 1): Tensor {
  yTrue = checkShapes('huber', yTrue, yPred);
  const err = abs(yPred.sub(yTrue));
  return mean(where(err.lessEqual(delta), square(err).mul(0.5), err.mul(delta).sub(0.5 * delta * delta)), -1);
}

/**
 * Kullback–Leibler divergence Σ y·log(y/p) over the last axis (both clipped to [ε, 1]). `klDivergence(yTrue, yPred)`
 *
 * ```ts
 * losses.klDivergence(tensor([[0.5, 0.5]]), tensor([[0.9, 0.1]]));
 * ```
 */
export function klDivergence(yTrue: Tensor, yPred: Tensor): Tensor {
  yTrue = checkShapes('klDivergence', yTrue, yPred);
  const y = clipByValue(yTrue, EPSILON, 1);
  const p = clipByValue(yPred, EPSILON, 1);
  return sum(y.mul(log(y.div(p))), -1);
}

/**
 * Negative cosine similarity over the last axis (-1 for parallel vectors). `cosineSimilarity(yTrue, yPred)`
 *
 * ```ts
 * losses.cosineSimilarity(tensor([[1, 0]]), tensor([[1, 0]])); // [-1]: identical directions
 * ```
 */
export function cosineSimilarity(yTrue: Tensor, yPred: Tensor): Tensor {
  yTrue = checkShapes('cosineSimilarity', yTrue, yPred);
  const normalize = (t: Tensor) => t.mul(sum(square(t), -1, true).maximum(1e-12).rsqrt());
  return neg(sum(normalize(yTrue).mul(normalize(yPred)), -1));
}

/**
 * A per-sample loss function (yTrue, yPred) → [batch].
 *
 * ```ts
 * const myLoss: losses.LossFn = (t, p) => t.sub(p).abs().mean(-1);
 * model.compile({ optimizer: 'adam', loss: myLoss });
 * ```
 */
export type LossFn = (yTrue: Tensor, yPred: Tensor) => Tensor;

/**
 * A loss object: `call` gives per-sample values, `apply` reduces them (mean over the batch by default).
 *
 * ```ts
 * const loss = new losses.CategoricalCrossentropy({ fromLogits: true });
 * loss.apply(yTrue, logits); // scalar
 * ```
 */
export class Loss {
  readonly name: string;
  readonly reduction: Reduction;
  constructor(
    private readonly fn: LossFn,
    args: { name?: string; reduction?: Reduction } = {},
    private readonly config: Record<string, unknown> = {},
  ) {
    this.name = args.name ?? 'loss';
    this.reduction = args.reduction ?? 'sum_over_batch_size';
  }
  /** Per-sample losses. */
  call(yTrue: Tensor, yPred: Tensor): Tensor {
    return this.fn(yTrue, yPred);
  }
  /** The reduced loss (a scalar unless reduction is 'none'). */
  apply(yTrue: Tensor, yPred: Tensor): Tensor {
    const values = this.call(yTrue, yPred);
    if (this.reduction === 'none') return values;
    return this.reduction === 'sum' ? sum(values) : mean(values);
  }
  getConfig(): Record<string, unknown> {
    return { name: this.name, reduction: this.reduction, ...this.config };
  }
}

type CEArgs = { fromLogits?: boolean; labelSmoothing?: number; name?: string; reduction?: Reduction };

/**
 * Categorical cross-entropy loss. `new CategoricalCrossentropy({ fromLogits: true })`
 *
 * ```ts
 * const loss = new losses.CategoricalCrossentropy({ labelSmoothing: 0.1 });
 * loss.apply(tensor([[0, 1]]), tensor([[0.2, 0.8]]));
 * ```
 */
export class CategoricalCrossentropy extends Loss {
  constructor(args: CEArgs = {}) {
    const { fromLogits = false, labelSmoothing = 0 } = args;
    super(
      (t, p) => categoricalCrossentropy(t, p, fromLogits, labelSmoothing),
      { name: 'categorical_crossentropy', ...args },
      { fromLogits, labelSmoothing },
    );
  }
}
/**
 * Sparse categorical cross-entropy loss (integer labels). `new SparseCategoricalCrossentropy({ fromLogits: true })`
 *
 * ```ts
 * const loss = new losses.SparseCategoricalCrossentropy({ fromLogits: true });
 * model.compile({ optimizer: 'adam', loss, metrics: ['accuracy'] });
 * ```
 */
export class SparseCategoricalCrossentropy extends Loss {
  constructor(args: Omit<CEArgs, 'labelSmoothing'> = {}) {
    const { fromLogits = false } = args;
    super(
      (t, p) => sparseCategoricalCrossentropy(t, p, fromLogits),
      { name: 'sparse_categorical_crossentropy', ...args },
      { fromLogits },
    );
  }
}
/**
 * Binary cross-entropy loss. `new BinaryCrossentropy({ fromLogits: true })`
 *
 * ```ts
 * new losses.BinaryCrossentropy().apply(tensor([[1], [0]]), tensor([[0.9], [0.2]]));
 * ```
 */
export class BinaryCrossentropy extends Loss {
  constructor(args: CEArgs = {}) {
    const { fromLogits = false, labelSmoothing = 0 } = args;
    super(
      (t, p) => binaryCrossentropy(t, p, fromLogits, labelSmoothing),
      { name: 'binary_crossentropy', ...args },
      { fromLogits, labelSmoothing },
    );
  }
}
/**
 * Mean squared error loss. `new MeanSquaredError()`
 *
 * ```ts
 * model.compile({ optimizer: 'sgd', loss: new losses.MeanSquaredError() });
 * ```
 */
export class MeanSquaredError extends Loss {
  constructor(args: { name?: string; reduction?: Reduction } = {}) {
    super(meanSquaredError, { name: 'mean_squared_error', ...args });
  }
}
/**
 * Mean absolute error loss. `new MeanAbsoluteError()`
 *
 * ```ts
 * new losses.MeanAbsoluteError().apply(tensor([[1, 2]]), tensor([[1, 4]])); // 1
 * ```
 */
export class MeanAbsoluteError extends Loss {
  constructor(args: { name?: string; reduction?: Reduction } = {}) {
    super(meanAbsoluteError, { name: 'mean_absolute_error', ...args });
  }
}
/**
 * Huber loss. `new Huber({ delta: 2 })`
 *
 * ```ts
 * model.compile({ optimizer: 'adam', loss: new losses.Huber({ delta: 2 }) });
 * ```
 */
export class Huber extends Loss {
  constructor(args: { delta?: number; name?: string; reduction?: Reduction } = {}) {
    const delta = args.delta ?? 1;
    super((t, p) => huber(t, p, delta), { name: 'huber_loss', ...args }, { delta });
  }
}
/**
 * KL divergence loss. `new KLDivergence()`
 *
 * ```ts
 * new losses.KLDivergence().apply(tensor([[0.5, 0.5]]), tensor([[0.9, 0.1]]));
 * ```
 */
export class KLDivergence extends Loss {
  constructor(args: { name?: string; reduction?: Reduction } = {}) {
    super(klDivergence, { name: 'kl_divergence', ...args });
  }
}
/**
 * Cosine similarity loss (negative similarity). `new CosineSimilarity()`
 *
 * ```ts
 * new losses.CosineSimilarity().apply(tensor([[1, 0]]), tensor([[0, 1]])); // 0: orthogonal
 * ```
 */
export class CosineSimilarity extends Loss {
  constructor(args: { name?: string; reduction?: Reduction } = {}) {
    super(cosineSimilarity, { name: 'cosine_similarity', ...args });
  }
}

/**
 * A loss name, Loss instance or per-sample function.
 *
 * ```ts
 * const loss: losses.LossLike = 'categorical_crossentropy'; // or new losses.CategoricalCrossentropy(), or (t, p) => ...
 * model.compile({ optimizer: 'adam', loss });
 * ```
 */
export type LossLike = string | Loss | LossFn;

const BY_NAME: Record<string, () => Loss> = {
  categorical_crossentropy: () => new CategoricalCrossentropy(),
  sparse_categorical_crossentropy: () => new SparseCategoricalCrossentropy(),
  binary_crossentropy: () => new BinaryCrossentropy(),
  mean_squared_error: () => new MeanSquaredError(),
  mse: () => new MeanSquaredError(),
  mean_absolute_error: () => new MeanAbsoluteError(),
  mae: () => new MeanAbsoluteError(),
  mean_absolute_percentage_error: () =>
    new Loss(meanAbsolutePercentageError, { name: 'mean_absolute_percentage_error' }),
  mape: () => new Loss(meanAbsolutePercentageError, { name: 'mean_absolute_percentage_error' }),
  huber: () => new Huber(),
  huber_loss: () => new Huber(),
  kl_divergence: () => new KLDivergence(),
  kld: () => new KLDivergence(),
  kullback_leibler_divergence: () => new KLDivergence(),
  cosine_similarity: () => new CosineSimilarity(),
  hinge: () => new Loss(hinge, { name: 'hinge' }),
  squared_hinge: () => new Loss(squaredHinge, { name: 'squared_hinge' }),
  log_cosh: () => new Loss(logCosh, { name: 'log_cosh' }),
  logcosh: () => new Loss(logCosh, { name: 'log_cosh' }),
  binary_focal_crossentropy: () => new Loss(binaryFocalCrossentropy, { name: 'binary_focal_crossentropy' }),
};

/**
 * Resolves a loss: Keras names in snake_case or camelCase ('categorical_crossentropy',
 * 'categoricalCrossentropy', 'mse', ...), a Loss instance or a per-sample function.
 *
 * ```ts
 * losses.getLoss('sparse_categorical_crossentropy').apply(labels, probs);
 * ```
 */
export function getLoss(loss: LossLike): Loss {
  if (loss instanceof Loss) return loss;
  if (typeof loss === 'function') return new Loss(loss, { name: loss.name ? snakeCase(loss.name) : 'loss' });
  const key = snakeCase(loss).replace(/^k_l_/, 'kl_');
  const make = BY_NAME[key] ?? BY_NAME[loss.toLowerCase()];
  if (!make) throw new Error(`Unknown loss '${loss}'; known: ${Object.keys(BY_NAME).join(', ')}`);
  return make();
}
