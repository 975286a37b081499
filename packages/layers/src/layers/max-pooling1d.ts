// MaxPooling1D: the maximum over windows of steps.
import { maxPool, type Tensor } from '@webdl/core';
import { layerArgs, type LayerParams } from '../engine/options.js';
import { Pooling1D, POOLING1D_POSITIONAL, type Pooling1DConfig } from './pooling1d-base.js';

/**
 * Max over poolSize windows of [batch, steps, channels].
 *
 * ```ts
 * new layers.MaxPooling1D(2).apply(zeros([1, 10, 4])); // [1, 5, 4]
 * ```
 */
export class MaxPooling1D extends Pooling1D {
  static readonly className = 'MaxPooling1D';
  constructor(...params: LayerParams<Pooling1DConfig, typeof POOLING1D_POSITIONAL>) {
    super(layerArgs<Pooling1DConfig>(MaxPooling1D, params));
  }
  protected pool(x: Tensor, size: [number, number], strides: [number, number]): Tensor {
    return maxPool(x, size, strides, this.padding);
  }
}
