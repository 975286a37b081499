// RandomZoom layer: zooms each image in or out by a random factor about its centre while training.
import { concat, zeros, type Tensor } from '@webdl/core';
import { layerArgs, type LayerParams, type OptionTable } from '../engine/options.js';
import {
  factorRange,
  RANDOM_TRANSFORM_OPTIONS,
  RandomTransform,
  type RandomTransformArgs,
} from './random-image-base.js';

/**
 * Options of RandomZoom.
 *
 * ```ts
 * const args: layers.RandomZoomArgs = { widthFactor: 0.1, fillMode: 'reflect' };
 * new layers.RandomZoom(0.2, args);
 * ```
 */
export interface RandomZoomArgs extends RandomTransformArgs {
  /** Horizontal zoom range; null (default) keeps the aspect ratio (the vertical zoom is used). */
  widthFactor?: number | number[] | null;
}

/**
 * RandomZoom's config object: the options plus `heightFactor`.
 *
 * ```ts
 * const config: layers.RandomZoomConfig = { heightFactor: [-0.3, -0.1] }; // zoom in by 10-30%
 * layers.randomZoom(config);
 * ```
 */
export type RandomZoomConfig = RandomZoomArgs & { heightFactor: number | number[] };

const ZOOM_POSITIONAL = [
  'heightFactor',
  'widthFactor',
  'fillMode',
  'interpolation',
  'seed',
  'fillValue',
] as const;

/**
 * While training, scales each image about its centre by `1 + u`, u uniform in the factor range
 * (`f` means [-f, f]; positive zooms out, negative in); unchanged at inference.
 *
 * ```ts
 * new layers.RandomZoom(0.2).apply(images, { training: true });
 * ```
 */
export class RandomZoom extends RandomTransform {
  static readonly className = 'RandomZoom';
  static readonly positional = ZOOM_POSITIONAL;
  static readonly options: OptionTable<RandomZoomConfig> = {
    heightFactor: true,
    widthFactor: true,
    ...RANDOM_TRANSFORM_OPTIONS,
  };
  readonly heightFactor: number | number[];
  readonly widthFactor: number | number[] | null;
  private readonly heightRange: [number, number];
  private readonly widthRange: [number, number] | null;

  constructor(...params: LayerParams<RandomZoomConfig, typeof ZOOM_POSITIONAL>) {
    const args = layerArgs<RandomZoomConfig>(RandomZoom, params);
    super(args);
    this.heightFactor = args.heightFactor;
    this.widthFactor = args.widthFactor ?? null;
    this.heightRange = factorRange(args.heightFactor, 'RandomZoom: heightFactor', -1);
    this.widthRange =
      this.widthFactor === null ? null : factorRange(this.widthFactor, 'RandomZoom: widthFactor', -1);
  }

  protected transforms(
    batch: number,
    height: number,
    width: number,
    uniform: (lo: number, hi: number) => Tensor,
  ): Tensor {
    const zh = uniform(1 + this.heightRange[0], 1 + this.heightRange[1]);
    const zw = this.widthRange ? uniform(1 + this.widthRange[0], 1 + this.widthRange[1]) : zh;
    const xOffset = zw
      .neg()
      .add(1)
      .mul((width - 1) / 2);
    const yOffset = zh
      .neg()
      .add(1)
      .mul((height - 1) / 2);
    const zero = zeros([batch, 1]);
    return concat([zw, zero, xOffset, zero, zh, yOffset, zeros([batch, 2])], 1);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), heightFactor: this.heightFactor, widthFactor: this.widthFactor };
  }
}
