// GlobalAveragePooling1D: the mean over the steps of [batch, steps, channels].
import type { Tensor } from '@webdl/core';
import { getMask } from '../engine/masks.js';
import { layerArgs, type LayerParams } from '../engine/options.js';
import { GlobalPooling, type GlobalPoolingArgs } from './global-pooling-base.js';

/**
 * Mean over the steps: [N, T, C] → [N, C] (or [N, 1, C] with keepdims); masked steps are skipped.
 *
 * ```ts
 * new layers.GlobalAveragePooling1D().apply(zeros([2, 10, 8])); // [2, 8]
 * ```
 */
export class GlobalAveragePooling1D extends GlobalPooling {
  static readonly className = 'GlobalAveragePooling1D';
  constructor(...params: LayerParams<GlobalPoolingArgs>) {
    super(1, layerArgs<GlobalPoolingArgs>(GlobalAveragePooling1D, params));
  }
  protected reduce(x: Tensor, axes: number[]): Tensor {
    const mask = getMask(x);
    if (!mask) return x.mean(axes, this.keepdims);
    // Masked steps (Embedding maskZero, Masking) are left out of the mean, as Keras does.
    const m = mask().cast('float32').expandDims(-1);
    return x.mul(m).sum(axes, this.keepdims).div(m.sum(axes, this.keepdims).maximum(1e-7));
  }
}
