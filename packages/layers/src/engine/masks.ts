// Keras-style masks carried beside tensors: Embedding(maskZero) and Masking make them, RNNs read them, pass-through layers keep them.
import type { Tensor } from '@webdl/core';

/** Computes a [batch, steps] bool mask when a consumer asks (so nothing is made, or leaked, if none does). */
export type MaskFn = () => Tensor;

const MASKS = new WeakMap<Tensor, MaskFn>();

/** Attaches a mask to a layer output. `setMask(out, () => notEqual(ids, 0))` */
export function setMask(t: Tensor, mask: MaskFn | null): void {
  if (mask) MASKS.set(t, mask);
}

/** The mask of a tensor, if a masking layer produced it (or passed it on). `getMask(x)?.()` */
export function getMask(t: Tensor): MaskFn | null {
  return MASKS.get(t) ?? null;
}

/** Layers that pass their input's mask on unchanged (as Keras's supports_masking pass-through layers). */
const PASS_THROUGH = new Set([
  'Activation',
  'BatchNormalization',
  'Dense',
  'Dropout',
  'ELU',
  'GaussianDropout',
  'GaussianNoise',
  'Identity',
  'LayerNormalization',
  'LeakyReLU',
  'PReLU',
  'ReLU',
  'Rescaling',
  'Softmax',
  'SpatialDropout1D',
  'TimeDistributed',
  'UnitNormalization',
]);

/** Called by Layer.apply: copies a [batch, steps] mask from input to output for pass-through layers. */
export function propagateMask(className: string, inputs: Tensor | Tensor[], output: Tensor | Tensor[]): void {
  if (Array.isArray(inputs) || Array.isArray(output) || !PASS_THROUGH.has(className)) return;
  const mask = MASKS.get(inputs);
  if (!mask || MASKS.has(output) || output.rank < 2) return;
  if (output.shape[0] === inputs.shape[0] && output.shape[1] === inputs.shape[1]) MASKS.set(output, mask);
}
