// 2-D pooling layers: MaxPooling2D, AveragePooling2D and GlobalAveragePooling2D (channels-last).
import { avgPool, maxPool, type Tensor } from '@webdl/core';
import { Layer, type CallArgs, type LayerArgs, type Shape } from '../engine/layer.js';
import { layerArgs, type LayerParams, type OptionTable } from '../engine/options.js';
import { checkDataFormat, convOutputLength } from './conv-utils.js';
import { singleShape, singleTensor } from './layer-utils.js';
import { POOLING_POSITIONAL, WindowPooling, type PoolingArgs, type PoolingConfig } from './pooling-base.js';

/**
 * Options of the 2-D pooling layers (strides default to the pool size, as Keras).
 *
 * ```ts
 * const args: layers.Pooling2DArgs = { strides: 2, padding: 'same' };
 * new layers.MaxPooling2D(3, args).apply(zeros([1, 28, 28, 8])); // shape [1, 14, 14, 8]
 * ```
 */
export type Pooling2DArgs = PoolingArgs;

/**
 * The config object of MaxPooling2D and AveragePooling2D: the options plus poolSize (default 2).
 *
 * ```ts
 * const config: layers.Pooling2DConfig = { poolSize: [2, 2], strides: 2 };
 * layers.maxPooling2d(config);
 * ```
 */
export type Pooling2DConfig = PoolingConfig;

abstract class Pooling2D extends WindowPooling {
  constructor(args: Pooling2DConfig) {
    super(args, 2);
  }

  call(inputs: Tensor | Tensor[], _args: CallArgs): Tensor {
    const x = singleTensor(inputs, this.name);
    if (x.rank !== 4)
      throw new Error(`${this.name}: expects NHWC input of rank 4, got [${x.shape.join(',')}]`);
    return this.pool(x, [this.poolSize[0], this.poolSize[1]], [this.strides[0], this.strides[1]]);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const [n, h, w, c] = singleShape(inputShape, this.name);
    return [
      n,
      convOutputLength(h, this.poolSize[0], this.padding, this.strides[0]),
      convOutputLength(w, this.poolSize[1], this.padding, this.strides[1]),
      c,
    ];
  }
}

/**
 * Max over poolSize windows of NHWC images.
 *
 * ```ts
 * new layers.MaxPooling2D(2).apply(zeros([1, 28, 28, 8])); // [1, 14, 14, 8]
 * ```
 */
export class MaxPooling2D extends Pooling2D {
  static readonly className = 'MaxPooling2D';
  constructor(...params: LayerParams<Pooling2DConfig, typeof POOLING_POSITIONAL>) {
    super(layerArgs<Pooling2DConfig>(MaxPooling2D, params));
  }
  protected pool(x: Tensor, size: [number, number], strides: [number, number]): Tensor {
    return maxPool(x, size, strides, this.padding);
  }
}

/**
 * Mean over poolSize windows of NHWC images (padding cells are not counted, as Keras).
 *
 * ```ts
 * new layers.AveragePooling2D(2).apply(zeros([1, 28, 28, 8])); // [1, 14, 14, 8]
 * ```
 */
export class AveragePooling2D extends Pooling2D {
  static readonly className = 'AveragePooling2D';
  constructor(...params: LayerParams<Pooling2DConfig, typeof POOLING_POSITIONAL>) {
    super(layerArgs<Pooling2DConfig>(AveragePooling2D, params));
  }
  protected pool(x: Tensor, size: [number, number], strides: [number, number]): Tensor {
    return avgPool(x, size, strides, this.padding);
  }
}

/**
 * Options of GlobalAveragePooling2D.
 *
 * ```ts
 * const args: layers.GlobalPooling2DArgs = { keepdims: true };
 * new layers.GlobalAveragePooling2D(args).apply(zeros([2, 7, 7, 64])); // shape [2, 1, 1, 64]
 * ```
 */
export interface GlobalPooling2DArgs extends LayerArgs {
  dataFormat?: 'channelsLast';
  keepdims?: boolean;
}

/**
 * Mean over the spatial axes: [N, H, W, C] → [N, C] (or [N, 1, 1, C] with keepdims).
 *
 * ```ts
 * new layers.GlobalAveragePooling2D().apply(zeros([2, 7, 7, 64])); // [2, 64]
 * ```
 */
export class GlobalAveragePooling2D extends Layer {
  static readonly className = 'GlobalAveragePooling2D';
  static readonly options: OptionTable<GlobalPooling2DArgs> = {
    dataFormat: true,
    keepdims: true,
  };
  readonly keepdims: boolean;

  constructor(...params: LayerParams<GlobalPooling2DArgs>) {
    const args = layerArgs<GlobalPooling2DArgs>(GlobalAveragePooling2D, params);
    super(args);
    checkDataFormat(args.dataFormat, 'GlobalAveragePooling2D');
    this.keepdims = args.keepdims ?? false;
  }

  call(inputs: Tensor | Tensor[], _args: CallArgs): Tensor {
    const x = singleTensor(inputs, this.name);
    if (x.rank !== 4)
      throw new Error(`${this.name}: expects NHWC input of rank 4, got [${x.shape.join(',')}]`);
    return x.mean([1, 2], this.keepdims);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const [n, , , c] = singleShape(inputShape, this.name);
    return this.keepdims ? [n, 1, 1, c] : [n, c];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), dataFormat: 'channelsLast', keepdims: this.keepdims };
  }
}
