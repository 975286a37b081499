// RandomTranslation layer: shifts each image by a random fraction of its height and width while training.
import { concat, ones, zeros, type Tensor } from '@webdl/core';
import { layerArgs, type LayerParams, type OptionTable } from '../engine/options.js';
import {
  factorRange,
  RANDOM_TRANSFORM_OPTIONS,
  RandomTransform,
  type RandomTransformArgs,
} from './random-image-base.js';

/**
 * RandomTranslation's config object: the options plus the height and width factors.
 *
 * ```ts
 * const config: layers.RandomTranslationConfig = { heightFactor: 0.1, widthFactor: [-0.2, 0.2] };
 * layers.randomTranslation(config);
 * ```
 */
export type RandomTranslationConfig = RandomTransformArgs & {
  heightFactor: number | number[];
  widthFactor: number | number[];
};

const TRANSLATION_POSITIONAL = [
  'heightFactor',
  'widthFactor',
  'fillMode',
  'interpolation',
  'seed',
  'fillValue',
] as const;

/**
 * While training, shifts each image down by `u · height` and right by `v · width`, u and v uniform in
 * the factor ranges (`f` means [-f, f]); unchanged at inference.
 *
 * ```ts
 * new layers.RandomTranslation(0.1, 0.1).apply(images, { training: true });
 * ```
 */
export class RandomTranslation extends RandomTransform {
  static readonly className = 'RandomTranslation';
  static readonly positional = TRANSLATION_POSITIONAL;
  static readonly options: OptionTable<RandomTranslationConfig> = {
    heightFactor: true,
    widthFactor: true,
    ...RANDOM_TRANSFORM_OPTIONS,
  };
  readonly heightFactor: number | number[];
  readonly widthFactor: number | number[];
  private readonly heightRange: [number, number];
  private readonly widthRange: [number, number];

  constructor(...params: LayerParams<RandomTranslationConfig, typeof TRANSLATION_POSITIONAL>) {
    const args = layerArgs<RandomTranslationConfig>(RandomTranslation, params);
    super(args);
    this.heightFactor = args.heightFactor;
    this.widthFactor = args.widthFactor;
    this.heightRange = factorRange(args.heightFactor, 'RandomTranslation: heightFactor');
    this.widthRange = factorRange(args.widthFactor, 'RandomTranslation: widthFactor');
  }

  protected transforms(
    batch: number,
    height: number,
    width: number,
    uniform: (lo: number, hi: number) => Tensor,
  ): Tensor {
    const dy = uniform(this.heightRange[0], this.heightRange[1]).mul(height);
    const dx = uniform(this.widthRange[0], this.widthRange[1]).mul(width);
    const [one, zero] = [ones([batch, 1]), zeros([batch, 1])];
    return concat([one, zero, dx.neg(), zero, one, dy.neg(), zeros([batch, 2])], 1);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), heightFactor: this.heightFactor, widthFactor: this.widthFactor };
  }
}
