// Resizing layer: resizes images to a fixed height and width (bilinear or nearest), optionally cropping to the aspect ratio first.
import type { Tensor } from '@webdl/core';
import { Layer, type CallArgs, type LayerArgs, type Shape } from '../engine/layer.js';
import { layerArgs, type LayerParams, type OptionTable } from '../engine/options.js';
import { checkDataFormat } from './conv-utils.js';
import { kerasResize, type ResizeInterpolation } from './image-resize.js';
import { singleShape, singleTensor } from './layer-utils.js';

/**
 * Options of Resizing (Keras names).
 *
 * ```ts
 * const args: layers.ResizingArgs = { interpolation: 'bilinear', cropToAspectRatio: true };
 * new layers.Resizing(224, 224, args);
 * ```
 */
export interface ResizingArgs extends LayerArgs {
  /** 'bilinear' (default) or 'nearest'. */
  interpolation?: ResizeInterpolation;
  /** Cut the largest centred window with the target aspect ratio before resizing (no distortion). */
  cropToAspectRatio?: boolean;
  /** Only false is supported (padding to the aspect ratio is not implemented). */
  padToAspectRatio?: boolean;
  /** Keras's padding options; they only matter with padToAspectRatio, so only 'constant' is taken. */
  fillMode?: 'constant';
  fillValue?: number;
  dataFormat?: 'channelsLast';
}

/**
 * Resizing's config object: the options plus the output height and width.
 *
 * ```ts
 * const config: layers.ResizingConfig = { height: 32, width: 32, interpolation: 'nearest' };
 * layers.resizing(config);
 * ```
 */
export type ResizingConfig = ResizingArgs & { height: number; width: number };

const RESIZING_POSITIONAL = ['height', 'width', 'interpolation'] as const;

/**
 * Resizes [batch, h, w, c] (or one [h, w, c]) images to [height, width], float32, with TF 2's
 * half-pixel-centre sampling as Keras uses.
 *
 * ```ts
 * new layers.Resizing(64, 64).apply(zeros([2, 128, 96, 3])); // [2, 64, 64, 3]
 * ```
 */
export class Resizing extends Layer {
  static readonly className = 'Resizing';
  static readonly positional = RESIZING_POSITIONAL;
  static readonly options: OptionTable<ResizingConfig> = {
    height: true,
    width: true,
    interpolation: true,
    cropToAspectRatio: true,
    padToAspectRatio: true,
    fillMode: true,
    fillValue: true,
    dataFormat: true,
  };
  readonly height: number;
  readonly width: number;
  readonly interpolation: ResizeInterpolation;
  readonly cropToAspectRatio: boolean;
  readonly fillValue: number;

  constructor(...params: LayerParams<ResizingConfig, typeof RESIZING_POSITIONAL>) {
    const args = layerArgs<ResizingConfig>(Resizing, params);
    const { height, width } = args;
    super(args);
    checkDataFormat(args.dataFormat, 'Resizing');
    for (const [what, v] of [
      ['height', height],
      ['width', width],
    ] as const)
      if (!Number.isInteger(v) || v < 1)
        throw new Error(`Resizing: ${what} must be a positive integer, got ${v}`);
    this.height = height;
    this.width = width;
    this.interpolation = args.interpolation ?? 'bilinear';
    if (this.interpolation !== 'bilinear' && this.interpolation !== 'nearest')
      throw new Error(
        `Resizing: interpolation must be 'bilinear' or 'nearest', got '${String(args.interpolation)}'`,
      );
    this.cropToAspectRatio = args.cropToAspectRatio ?? false;
    if ((args.fillMode ?? 'constant') !== 'constant')
      throw new Error(`Resizing: fillMode must be 'constant', got '${String(args.fillMode)}'`);
    this.fillValue = args.fillValue ?? 0;
    if (args.padToAspectRatio)
      throw new Error('Resizing: padToAspectRatio is not supported (use cropToAspectRatio)');
  }

  call(inputs: Tensor | Tensor[], _args: CallArgs): Tensor {
    const x = singleTensor(inputs, this.name);
    if (x.rank !== 3 && x.rank !== 4)
      throw new Error(
        `${this.name}: expects [batch, h, w, c] or [h, w, c] images, got [${x.shape.join(',')}]`,
      );
    return kerasResize(x, this.height, this.width, this.interpolation, this.cropToAspectRatio);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = [...singleShape(inputShape, this.name)];
    shape[shape.length - 3] = this.height;
    shape[shape.length - 2] = this.width;
    return shape;
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      height: this.height,
      width: this.width,
      interpolation: this.interpolation,
      cropToAspectRatio: this.cropToAspectRatio,
      padToAspectRatio: false,
      fillMode: 'constant',
      fillValue: this.fillValue,
      dataFormat: 'channelsLast',
    };
  }
}
