// GlobalMaxPooling1D: the maximum over the steps of [batch, steps, channels].
import type { Tensor } from '@webdl/core';
import { layerArgs, type LayerParams } from '../engine/options.js';
import { GlobalPooling, type GlobalPoolingArgs } from './global-pooling-base.js';

/**
 * Max over the steps: [N, T, C] → [N, C] (or [N, 1, C] with keepdims).
 *
 * ```ts
 * new layers.GlobalMaxPooling1D().apply(zeros([2, 10, 8])); // [2, 8]
 * ```
 */
export class GlobalMaxPooling1D extends GlobalPooling {
  static readonly className = 'GlobalMaxPooling1D';
  constructor(...params: LayerParams<GlobalPoolingArgs>) {
    super(1, layerArgs<GlobalPoolingArgs>(GlobalMaxPooling1D, params));
  }
  protected reduce(x: Tensor, axes: number[]): Tensor {
    return x.max(axes, this.keepdims);
  }
}
