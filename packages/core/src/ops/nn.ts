// Neural-network composites: softmax, logSoftmax and dropout, written with primitives.
import { ENGINE } from '../engine.js';
import { normAxis } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { randomUniform } from './creation.js';
import { max } from './reduce.js';
import { stopGradient } from './stop-gradient.js';

/**
 * Softmax along an axis, stable (the max is subtracted first). `softmax(logits)`
 *
 * ```ts
 * softmax(tensor([[1, 2, 3]])); // [[0.090, 0.245, 0.665]]
 * ```
 */
export function softmax(x: Tensor, axis = -1): Tensor {
  const ax = normAxis('softmax', axis, x.rank);
  // Empty input: nothing to normalize (and the max over an empty axis is undefined).
  if (x.size === 0) return x.mul(1);
  return ENGINE.tidy(() => {
    const e = x.sub(stopGradient(max(x, ax, true))).exp();
    return e.div(e.sum(ax, true));
  });
}

/**
 * log(softmax(x)) computed as x - logSumExp(x): finite even when softmax saturates.
 *
 * ```ts
 * logSoftmax(tensor([[1000, 0]])); // [[0, -1000]], finite
 * ```
 */
export function logSoftmax(x: Tensor, axis = -1): Tensor {
  const ax = normAxis('logSoftmax', axis, x.rank);
  if (x.size === 0) return x.mul(1);
  return ENGINE.tidy(() => {
    const shifted = x.sub(stopGradient(max(x, ax, true)));
    return shifted.sub(shifted.exp().sum(ax, true).log());
  });
}

/**
 * Zeroes elements with probability rate and scales the rest by 1/(1-rate). `dropout(x, 0.5, { seed: 1 })`
 *
 * ```ts
 * dropout(ones([2, 4]), 0.5, { seed: 1 }); // half 0, the rest 2
 * ```
 */
export function dropout(x: Tensor, rate: number, options: { seed?: number } = {}): Tensor {
  if (!(rate >= 0 && rate < 1)) throw new Error(`dropout: rate must be in [0, 1), got ${rate}`);
  if (rate === 0) return x.mul(1);
  return ENGINE.tidy(() => {
    const keepMask = randomUniform(x.shape, { seed: options.seed }).greaterEqual(rate).cast('float32');
    return x.mul(keepMask).mul(1 / (1 - rate));
  });
}
