// RandomRotation layer: rotates each image by a random angle while training (Keras's rotation matrix about the centre).
import { concat, zeros, type Tensor } from '@webdl/core';
import { layerArgs, type LayerParams, type OptionTable } from '../engine/options.js';
import {
  factorRange,
  RANDOM_TRANSFORM_OPTIONS,
  RandomTransform,
  type RandomTransformArgs,
} from './random-image-base.js';

/**
 * RandomRotation's config object: the options plus `factor` (a fraction of a full turn).
 *
 * ```ts
 * const config: layers.RandomRotationConfig = { factor: [-0.05, 0.05], fillMode: 'nearest' };
 * layers.randomRotation(config);
 * ```
 */
export type RandomRotationConfig = RandomTransformArgs & { factor: number | number[] };

const ROTATION_POSITIONAL = ['factor', 'fillMode', 'interpolation', 'seed', 'fillValue'] as const;

/**
 * While training, rotates each image by an angle drawn uniformly from `factor · 2π` (`f` means
 * [-f, f]; positive is counter-clockwise); unchanged at inference.
 *
 * ```ts
 * new layers.RandomRotation(0.1).apply(images, { training: true }); // up to ±36°
 * ```
 */
export class RandomRotation extends RandomTransform {
  static readonly className = 'RandomRotation';
  static readonly positional = ROTATION_POSITIONAL;
  static readonly options: OptionTable<RandomRotationConfig> = { factor: true, ...RANDOM_TRANSFORM_OPTIONS };
  readonly factor: number | number[];
  private readonly range: [number, number];

  constructor(...params: LayerParams<RandomRotationConfig, typeof ROTATION_POSITIONAL>) {
    const args = layerArgs<RandomRotationConfig>(RandomRotation, params);
    super(args);
    this.factor = args.factor;
    this.range = factorRange(args.factor, 'RandomRotation: factor');
  }

  protected transforms(
    batch: number,
    height: number,
    width: number,
    uniform: (lo: number, hi: number) => Tensor,
  ): Tensor {
    const angle = uniform(this.range[0] * 2 * Math.PI, this.range[1] * 2 * Math.PI);
    const [cos, sin] = [angle.cos(), angle.sin()];
    const [w1, h1] = [width - 1, height - 1];
    // The output-to-input map rotating about the image centre (TF's angles_to_projective_transforms).
    const xOffset = cos.mul(w1).sub(sin.mul(h1)).neg().add(w1).div(2);
    const yOffset = sin.mul(w1).add(cos.mul(h1)).neg().add(h1).div(2);
    return concat([cos, sin.neg(), xOffset, sin, cos, yOffset, zeros([batch, 2])], 1);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), factor: this.factor };
  }
}
