// AveragePooling1D: the mean over windows of steps (padding cells not counted, as Keras).
import { avgPool, type Tensor } from '@webdl/core';
import { Pooling1D, type Pooling1DArgs } from './pooling1d-base.js';

/**
 * Mean over poolSize windows of [batch, steps, channels].
 *
 * ```ts
 * new layers.AveragePooling1D(2).apply(zeros([1, 10, 4])); // [1, 5, 4]
 * ```
 */
export class AveragePooling1D extends Pooling1D {
  static readonly className = 'AveragePooling1D';
  constructor(poolSize: number | number[] = 2, args: Pooling1DArgs = {}) {
    super(poolSize, args);
  }
  protected pool(x: Tensor, size: [number, number], strides: [number, number]): Tensor {
    return avgPool(x, size, strides, this.padding);
  }
}
