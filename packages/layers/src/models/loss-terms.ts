// What fit adds to the plain loss: regularization penalties (weights and activity) and sample/class weights.
import { tensor, type Tensor } from '@webdl/core';
import { collectLosses } from '../engine/loss-collector.js';
import type { CallArgs } from '../engine/layer.js';
import type { Loss } from '../losses.js';
import { weightRegularizer } from '../regularizers.js';
import type { Data, Model } from './model.js';

/** Per-sample and per-class weighting options of fit (Keras's sample_weight and class_weight). */
export interface WeightingArgs {
  /** One weight per training sample ([n]), or per sample and step ([n, steps]) for sequence outputs. */
  sampleWeight?: Tensor;
  /** Weight of each class index; classes not listed weigh 1. Labels are argmax of one-hot targets. */
  classWeight?: Record<number, number>;
}

/**
 * Runs the model and returns its outputs plus the sum of its regularization penalties (activity
 * penalties of this pass and the penalties of regularized trainable weights), or null when none.
 */
export function forwardWithPenalties(
  model: Model,
  xb: Tensor[],
  args: CallArgs,
): { preds: Tensor[]; penalty: Tensor | null } {
  const [out, activity] = collectLosses(() => model.apply(xb.length === 1 ? xb[0] : xb, args));
  const weights = model.trainableWeights.flatMap((w) => {
    const r = weightRegularizer(w);
    return r ? [r.apply(w)] : [];
  });
  const terms = [...activity, ...weights];
  return {
    preds: Array.isArray(out) ? out : [out],
    penalty: terms.length === 0 ? null : terms.reduce((a, b) => a.add(b)),
  };
}

/**
 * The per-sample weights fit uses for the first n samples (after a validation split) from
 * sampleWeight and classWeight, or null when neither is given. Checked against the data.
 */
export async function sampleWeightsFor(
  args: WeightingArgs,
  ys: Data,
  total: number,
  n: number,
): Promise<Tensor | null> {
  const { sampleWeight, classWeight } = args;
  if (sampleWeight === undefined && classWeight === undefined) return null;
  const targets = Array.isArray(ys) ? ys : [ys];
  let weights: Float32Array | null = null;
  let shape: number[] = [n];
  if (sampleWeight !== undefined) {
    if (sampleWeight.shape[0] !== total || sampleWeight.rank < 1 || sampleWeight.rank > 2)
      throw new Error(
        `fit: sampleWeight must have shape [${total}] or [${total}, steps] (one weight per sample), got [${sampleWeight.shape.join(',')}]`,
      );
    const all = Float32Array.from(await sampleWeight.data());
    if (all.some((w) => !(w >= 0) || !Number.isFinite(w)))
      throw new Error('fit: sampleWeight values must be finite and >= 0');
    const per = sampleWeight.rank === 2 ? sampleWeight.shape[1] : 1;
    shape = sampleWeight.rank === 2 ? [n, per] : [n];
    weights = all.slice(0, n * per);
  }
  if (classWeight !== undefined) {
    if (targets.length !== 1)
      throw new Error(
        `fit: classWeight works for single-output models; this one has ${targets.length} targets`,
      );
    const cw = classWeight;
    for (const [k, v] of Object.entries(cw))
      if (!/^\d+$/.test(k) || typeof v !== 'number' || !(v >= 0))
        throw new Error(`fit: classWeight maps class indices to weights >= 0, got ${k}: ${String(v)}`);
    const y = targets[0];
    const oneHot = y.rank > 1 && y.shape[y.rank - 1] > 1;
    const labels = oneHot ? y.argMax(-1) : y.reshape([y.shape[0], -1]);
    const values = await labels.data();
    if (labels !== y) labels.dispose();
    const per = values.length / y.shape[0];
    if (per !== 1 && (weights === null || shape.length !== 2))
      throw new Error(
        `fit: classWeight needs one label per sample, got targets of shape [${y.shape.join(',')}]`,
      );
    const w = weights ?? new Float32Array(n).fill(1);
    for (let i = 0; i < w.length; i++) w[i] *= cw[Math.round(values[i])] ?? 1;
    weights = w;
  }
  return tensor(weights as Float32Array, shape);
}

/** The loss of one output with per-sample weights (Keras: sum(loss · w) / number of loss values). */
export function weightedLoss(loss: Loss, yTrue: Tensor, yPred: Tensor, sampleWeight: Tensor | null): Tensor {
  if (sampleWeight === null) return loss.apply(yTrue, yPred);
  const values = loss.call(yTrue, yPred);
  let w = sampleWeight;
  if (w.rank < values.rank) w = w.reshape([...w.shape, ...new Array<number>(values.rank - w.rank).fill(1)]);
  if (w.rank > values.rank || w.shape.some((d, i) => d !== 1 && d !== values.shape[i]))
    throw new Error(
      `fit: sampleWeight of shape [${sampleWeight.shape.join(',')}] does not match the per-sample losses [${values.shape.join(',')}] of ${loss.name}`,
    );
  const weighted = values.mul(w);
  if (loss.reduction === 'none') return weighted;
  return loss.reduction === 'sum' ? weighted.sum() : weighted.sum().div(values.size);
}
