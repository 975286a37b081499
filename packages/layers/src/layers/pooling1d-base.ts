// The base of MaxPooling1D and AveragePooling1D: windows over the steps of [batch, steps, channels].
import type { Tensor } from '@webdl/core';
import { Layer, type CallArgs, type LayerArgs, type Shape } from '../engine/layer.js';
import type { OptionTable } from '../engine/options.js';
import {
  checkDataFormat,
  convOutputLength,
  normalizePadding,
  normalizeTuple,
  type PaddingMode,
} from './conv-utils.js';
import { singleShape, singleTensor } from './layer-utils.js';

/**
 * Options of the 1-D pooling layers (strides default to the pool size, as Keras).
 *
 * ```ts
 * const args: layers.Pooling1DArgs = { strides: 1, padding: 'same' };
 * new layers.MaxPooling1D(3, args).apply(zeros([2, 10, 4])); // shape [2, 10, 4]
 * ```
 */
export interface Pooling1DArgs extends LayerArgs {
  strides?: number | number[] | null;
  padding?: PaddingMode;
  dataFormat?: 'channelsLast';
}

/** The config object of MaxPooling1D and AveragePooling1D: the options plus poolSize (default 2). */
export type Pooling1DConfig = Pooling1DArgs & { poolSize?: number | number[] };

/** Keras's positional order for the 1-D pooling layers. */
export const POOLING1D_POSITIONAL = ['poolSize', 'strides', 'padding'] as const;

/** Pools [batch, steps, channels] by running the 2-D pool on [batch, 1, steps, channels]. */
export abstract class Pooling1D extends Layer {
  static readonly positional = POOLING1D_POSITIONAL;
  static readonly options: OptionTable<Pooling1DConfig> = {
    poolSize: true,
    strides: true,
    padding: true,
    dataFormat: true,
  };
  readonly poolSize: number[];
  readonly strides: number[];
  readonly padding: PaddingMode;

  constructor(args: Pooling1DConfig) {
    super(args);
    const poolSize = args.poolSize ?? 2;
    const cls = (this.constructor as unknown as { className: string }).className;
    checkDataFormat(args.dataFormat, cls);
    this.poolSize = normalizeTuple(poolSize, 1, `${cls} poolSize`);
    this.strides = normalizeTuple(args.strides ?? this.poolSize, 1, `${cls} strides`);
    this.padding = normalizePadding(args.padding, cls);
  }

  protected abstract pool(x: Tensor, size: [number, number], strides: [number, number]): Tensor;

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

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      poolSize: this.poolSize,
      strides: this.strides,
      padding: this.padding,
      dataFormat: 'channelsLast',
    };
  }
}
