// The base of the 1-D and 2-D window pooling layers: poolSize, strides (default: the pool size) and padding.
import type { Tensor } from '@webdl/core';
import { Layer, type LayerArgs } from '../engine/layer.js';
import type { OptionTable } from '../engine/options.js';
import { checkDataFormat, normalizePadding, normalizeTuple, type PaddingMode } from './conv-utils.js';

/**
 * Options of the window pooling layers (strides default to the pool size, as Keras).
 *
 * ```ts
 * const args: layers.PoolingArgs = { strides: 2, padding: 'same' };
 * new layers.MaxPooling2D(3, args);
 * ```
 */
export interface PoolingArgs extends LayerArgs {
  strides?: number | number[] | null;
  padding?: PaddingMode;
  dataFormat?: 'channelsLast';
}

/** The config object of a window pooling layer: the options plus poolSize (default 2). */
export type PoolingConfig = PoolingArgs & { poolSize?: number | number[] };

/** Keras's positional order for the window pooling layers. */
export const POOLING_POSITIONAL = ['poolSize', 'strides', 'padding'] as const;

/**
 * Pools windows of `rank` spatial dimensions; subclasses give the input layout and the pool op.
 *
 * ```ts
 * class MaxPooling2D extends Pooling2D { protected pool(x, size, strides) { return maxPool(x, size, strides, this.padding); } }
 * ```
 */
export abstract class WindowPooling extends Layer {
  static readonly positional = POOLING_POSITIONAL;
  static readonly options: OptionTable<PoolingConfig> = {
    poolSize: true,
    strides: true,
    padding: true,
    dataFormat: true,
  };
  readonly poolSize: number[];
  readonly strides: number[];
  readonly padding: PaddingMode;

  constructor(args: PoolingConfig, rank: 1 | 2) {
    super(args);
    const cls = (this.constructor as unknown as { className: string }).className;
    checkDataFormat(args.dataFormat, cls);
    this.poolSize = normalizeTuple(args.poolSize ?? 2, rank, `${cls} poolSize`);
    this.strides = normalizeTuple(args.strides ?? this.poolSize, rank, `${cls} strides`);
    this.padding = normalizePadding(args.padding, cls);
  }

  /** The 2-D pool of NHWC x (1-D layers pool [batch, 1, steps, channels]). */
  protected abstract pool(x: Tensor, size: [number, number], strides: [number, number]): Tensor;

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
