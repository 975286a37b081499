// The base of MaxPooling1D and AveragePooling1D: windows over the steps of [batch, steps, channels].
import type { Tensor } from '@webdl/core';
import type { CallArgs, Shape } from '../engine/layer.js';
import { convOutputLength } from './conv-utils.js';
import { singleShape, singleTensor } from './layer-utils.js';
import { POOLING_POSITIONAL, WindowPooling, type PoolingArgs, type PoolingConfig } from './pooling-base.js';

/**
 * Options of the 1-D pooling layers (strides default to the pool size, as Keras).
 *
 * ```ts
 * const args: layers.Pooling1DArgs = { strides: 1, padding: 'same' };
 * new layers.MaxPooling1D(3, args).apply(zeros([2, 10, 4])); // shape [2, 10, 4]
 * ```
 */
export type Pooling1DArgs = PoolingArgs;

/** The config object of MaxPooling1D and AveragePooling1D: the options plus poolSize (default 2). */
export type Pooling1DConfig = PoolingConfig;

/** Keras's positional order for the 1-D pooling layers. */
export const POOLING1D_POSITIONAL = POOLING_POSITIONAL;

/** Pools [batch, steps, channels] by running the 2-D pool on [batch, 1, steps, channels]. */
export abstract class Pooling1D extends WindowPooling {
  constructor(args: Pooling1DConfig) {
    super(args, 1);
  }

  call(inputs: Tensor | Tensor[], _args: CallArgs): Tensor {
    const x = singleTensor(inputs, this.name);
    if (x.rank !== 3)
      throw new Error(`${this.name}: expects input [batch, steps, channels], got [${x.shape.join(',')}]`);
    const y = this.pool(x.expandDims(1), [1, this.poolSize[0]], [1, this.strides[0]]);
    return y.squeeze([1]);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const [n, steps, c] = singleShape(inputShape, this.name);
    return [n, convOutputLength(steps, this.poolSize[0], this.padding, this.strides[0]), c];
  }
}
