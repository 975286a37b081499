// CenterCrop layer: the central height x width window of images ([batch, h, w, c] or one [h, w, c] image).
import { slice, type Tensor } from '@webdl/core';
import { Layer, type CallArgs, type LayerArgs, type Shape } from '../engine/layer.js';
import { layerArgs, type LayerParams, type OptionTable } from '../engine/options.js';
import { checkDataFormat } from './conv-utils.js';
import { kerasResize } from './image-resize.js';
import { singleShape, singleTensor } from './layer-utils.js';

/**
 * Options of CenterCrop.
 *
 * ```ts
 * const args: layers.CenterCropArgs = { name: 'crop' };
 * new layers.CenterCrop(24, 24, args);
 * ```
 */
export interface CenterCropArgs extends LayerArgs {
  dataFormat?: 'channelsLast';
}

/** CenterCrop's config object: the options plus the output height and width. */
export type CenterCropConfig = CenterCropArgs & { height: number; width: number };

const CENTERCROP_POSITIONAL = ['height', 'width'] as const;

/**
 * Crops the center `height` x `width` of each image, starting at row floor((h - height) / 2) and
 * column floor((w - width) / 2), as Keras; images smaller than the crop are resized instead
 * (centred crop to the aspect ratio, then bilinear, Keras's smart_resize). Output is float32.
 *
 * ```ts
 * new layers.CenterCrop(24, 24).apply(zeros([2, 32, 32, 3])); // [2, 24, 24, 3]
 * ```
 */
export class CenterCrop extends Layer {
  static readonly className = 'CenterCrop';
  static readonly positional = CENTERCROP_POSITIONAL;
  static readonly options: OptionTable<CenterCropConfig> = { height: true, width: true, dataFormat: true };
  readonly height: number;
  readonly width: number;

  constructor(...params: LayerParams<CenterCropConfig, typeof CENTERCROP_POSITIONAL>) {
    const args = layerArgs<CenterCropConfig>(CenterCrop, params);
    const { height, width } = args;
    super(args);
    checkDataFormat(args.dataFormat, 'CenterCrop');
    for (const [what, v] of [
      ['height', height],
      ['width', width],
    ] as const)
      if (!Number.isInteger(v) || v < 1)
        throw new Error(`CenterCrop: ${what} must be a positive integer, got ${v}`);
    this.height = height;
    this.width = width;
  }

  private check(shape: Shape): void {
    if (shape.length !== 3 && shape.length !== 4)
      throw new Error(`${this.name}: expects [batch, h, w, c] or [h, w, c] images, got [${shape.join(',')}]`);
  }

  call(inputs: Tensor | Tensor[], _args: CallArgs): Tensor {
    const input = singleTensor(inputs, this.name);
    this.check([...input.shape]);
    const x = input.dtype === 'float32' ? input : input.cast('float32');
    const r = x.rank;
    const [h, w] = x.shape.slice(-3, -1);
    // Smaller than the crop: Keras resizes instead (a centred crop to the aspect ratio, then bilinear).
    if (h < this.height || w < this.width) return kerasResize(x, this.height, this.width, 'bilinear', true);
    const begin = x.shape.map(() => 0);
    begin[r - 3] = Math.floor((h - this.height) / 2);
    begin[r - 2] = Math.floor((w - this.width) / 2);
    const size = [...x.shape];
    size[r - 3] = this.height;
    size[r - 2] = this.width;
    return slice(x, begin, size);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = [...singleShape(inputShape, this.name)];
    this.check(shape);
    shape[shape.length - 3] = this.height;
    shape[shape.length - 2] = this.width;
    return shape;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), height: this.height, width: this.width, dataFormat: 'channelsLast' };
  }
}
