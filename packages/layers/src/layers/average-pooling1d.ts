// AveragePooling1D: the mean over windows of steps (padding cells not counted, as Keras).
import { avgPool, type Tensor } from '@webdl/core';
import { layerArgs, type LayerParams } from '../engine/options.js';
import { Pooling1D, POOLING1D_POSITIONAL, type Pooling1DConfig } from './pooling1d-base.js';

/**
 * Mean over poolSize windows of [batch, steps, channels].
 *
 * ```ts
 * new layers.AveragePooling1D(2).apply(zeros([1, 10, 4])); // [1, 5, 4]
 * ```
 */
export class AveragePooling1D extends Pooling1D {
  static readonly className = 'AveragePooling1D';
  constructor(...params: LayerParams<Pooling1DConfig, typeof POOLING1D_POSITIONAL>) {
    super(layerArgs<Pooling1DConfig>(AveragePooling1D, params));
  }
  protected pool(x: Tensor, size: [number, number], strides: [number, number]): Tensor {
    return avgPool(x, size, strides, this.padding);
  }
}
