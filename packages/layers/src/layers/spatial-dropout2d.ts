// SpatialDropout2D layer: drops whole channels of NHWC images while training (one mask per sample and channel).
import { dropout, ones, type Tensor } from '@webdl/core';
import { Layer, type CallArgs, type LayerArgs, type Shape } from '../engine/layer.js';
import { layerArgs, type LayerParams, type OptionTable } from '../engine/options.js';
import { checkDataFormat } from './conv-utils.js';
import { callSeed, singleShape, singleTensor } from './layer-utils.js';

/**
 * Options of SpatialDropout2D.
 *
 * ```ts
 * const args: layers.SpatialDropout2DArgs = { seed: 3 };
 * new layers.SpatialDropout2D(0.2, args);
 * ```
 */
export interface SpatialDropout2DArgs extends LayerArgs {
  seed?: number;
  dataFormat?: 'channelsLast';
}

/** SpatialDropout2D's config object: the options plus `rate`. */
export type SpatialDropout2DConfig = SpatialDropout2DArgs & { rate: number };

const SPATIALDROPOUT2D_POSITIONAL = ['rate'] as const;

/**
 * While training, zeroes each (sample, channel) feature map with probability rate and scales the
 * rest by 1/(1-rate); adjacent pixels are correlated, so dropping pixels alone would not regularize.
 *
 * ```ts
 * new layers.SpatialDropout2D(0.2).apply(zeros([2, 8, 8, 16]), { training: true });
 * ```
 */
export class SpatialDropout2D extends Layer {
  static readonly className = 'SpatialDropout2D';
  static readonly positional = SPATIALDROPOUT2D_POSITIONAL;
  static readonly options: OptionTable<SpatialDropout2DConfig> = { rate: true, seed: true, dataFormat: true };
  readonly rate: number;
  readonly seed: number | undefined;
  private calls = 0;

  constructor(...params: LayerParams<SpatialDropout2DConfig, typeof SPATIALDROPOUT2D_POSITIONAL>) {
    const args = layerArgs<SpatialDropout2DConfig>(SpatialDropout2D, params);
    const { rate } = args;
    super(args);
    checkDataFormat(args.dataFormat, 'SpatialDropout2D');
    if (!(rate >= 0 && rate < 1)) throw new Error(`SpatialDropout2D: rate must be in [0, 1), got ${rate}`);
    this.rate = rate;
    this.seed = args.seed;
  }

  call(inputs: Tensor | Tensor[], args: CallArgs = {}): Tensor {
    const x = singleTensor(inputs, this.name);
    if (x.rank !== 4)
      throw new Error(`${this.name}: expects NHWC input of rank 4, got [${x.shape.join(',')}]`);
    if (!args.training || this.rate === 0) return x;
    const [n, , , c] = x.shape;
    return x.mul(dropout(ones([n, 1, 1, c]), this.rate, { seed: callSeed(this.seed, this.calls++) }));
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return [...singleShape(inputShape, this.name)];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed, dataFormat: 'channelsLast' };
  }
}
