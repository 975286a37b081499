// More Keras losses by name: hinge, squared_hinge, log_cosh, binary_focal_crossentropy (per-sample functions over the last axis).
import {
  cast,
  clipByValue,
  equal,
  log,
  logicalOr,
  maximum,
  mean,
  neg,
  pow,
  softplus,
  square,
  type Tensor,
} from '@webdl/core';

const EPS = 1e-7;

/** Keras maps 0/1 labels to -1/1 for the hinge losses (when every label is 0 or 1). */
function hingeLabels(yTrue: Tensor): Tensor {
  const y = cast(yTrue, 'float32');
  const binary = cast(logicalOr(equal(y, 0), equal(y, 1)), 'float32').min();
  return y
    .mul(2)
    .sub(1)
    .mul(binary)
    .add(y.mul(neg(binary).add(1)));
}

/**
 * Hinge loss, `mean(max(1 - y·p, 0))` over the last axis (labels 0/1 or -1/1).
 *
 * ```ts
 * losses.hinge(tensor([[1, 0]]), tensor([[0.3, -0.2]])); // [(0.7 + 0.8) / 2]
 * ```
 */
export function hinge(yTrue: Tensor, yPred: Tensor): Tensor {
  return mean(maximum(neg(hingeLabels(yTrue).mul(yPred)).add(1), 0), -1);
}

/**
 * Squared hinge loss, `mean(max(1 - y·p, 0)²)`. `squaredHinge(yTrue, yPred)`
 *
 * ```ts
 * losses.squaredHinge(tensor([[1, 0]]), tensor([[0.3, -0.2]])); // [(0.49 + 0.64) / 2]
 * ```
 */
export function squaredHinge(yTrue: Tensor, yPred: Tensor): Tensor {
  return mean(square(maximum(neg(hingeLabels(yTrue).mul(yPred)).add(1), 0)), -1);
}

/**
 * Log-cosh loss, `mean(log(cosh(p - y)))`, computed as x + softplus(-2x) - log 2 (no overflow). `logCosh(yTrue, yPred)`
 *
 * ```ts
 * losses.logCosh(tensor([[0, 0]]), tensor([[1, -1]])); // [log(cosh 1)]
 * ```
 */
export function logCosh(yTrue: Tensor, yPred: Tensor): Tensor {
  const x = yPred.sub(cast(yTrue, 'float32'));
  return mean(x.add(softplus(x.mul(-2))).sub(Math.LN2), -1);
}

/**
 * Binary focal cross-entropy (Keras defaults gamma 2, no class balancing): `(1 - p_t)^gamma · bce`.
 *
 * ```ts
 * losses.binaryFocalCrossentropy(tensor([[1]]), tensor([[0.9]])); // [0.01 · -log 0.9]
 * ```
 */
export function binaryFocalCrossentropy(yTrue: Tensor, yPred: Tensor, gamma = 2): Tensor {
  const y = cast(yTrue, 'float32');
  const p = clipByValue(yPred, EPS, 1 - EPS);
  const bce = neg(
    y.mul(log(p)).add(
      neg(y)
        .add(1)
        .mul(log(neg(p).add(1))),
    ),
  );
  const pt = y.mul(p).add(neg(y).add(1).mul(neg(p).add(1)));
  return mean(pow(neg(pt).add(1), gamma).mul(bce), -1);
}
