// MaxPooling1D: the maximum over windows of steps.
import { maxPool, type Tensor } from '@webdl/core';
import { Pooling1D, type Pooling1DArgs } from './pooling1d-base.js';

/**
 * Max over poolSize windows of [batch, steps, channels].
 *
 * ```ts
 * new layers.MaxPooling1D(2).apply(zeros([1, 10, 4])); // [1, 5, 4]
 * ```
 */
export class MaxPooling1D extends Pooling1D {
  static readonly className = 'MaxPooling1D';
  constructor(poolSize: number | number[] = 2, args: Pooling1DArgs = {}) {
    super(poolSize, args);
  }
  protected pool(x: Tensor, size: [number, number], strides: [number, number]): Tensor {
    return maxPool(x, size, strides, this.padding);
  }
}
