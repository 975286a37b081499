// GlobalMaxPooling2D: the maximum over the rows and columns of NHWC images.
import type { Tensor } from '@webdl/core';
import { layerArgs, type LayerParams } from '../engine/options.js';
import { GlobalPooling, type GlobalPoolingArgs } from './global-pooling-base.js';

/**
 * Max over the spatial axes: [N, H, W, C] → [N, C] (or [N, 1, 1, C] with keepdims).
 *
 * ```ts
 * new layers.GlobalMaxPooling2D().apply(zeros([2, 7, 7, 64])); // [2, 64]
 * ```
 */
export class GlobalMaxPooling2D extends GlobalPooling {
  static readonly className = 'GlobalMaxPooling2D';
  constructor(...params: LayerParams<GlobalPoolingArgs>) {
    super(2, layerArgs<GlobalPoolingArgs>(GlobalMaxPooling2D, params));
  }
  protected reduce(x: Tensor, axes: number[]): Tensor {
    return x.max(axes, this.keepdims);
  }
}
