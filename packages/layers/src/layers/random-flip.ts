// RandomFlip layer: mirrors each image horizontally and/or vertically with probability 1/2 while training.
import { gather, randomUniform, range, type Tensor } from '@webdl/core';
import { Layer, type CallArgs, type LayerArgs, type Shape } from '../engine/layer.js';
import { layerArgs, type LayerParams, type OptionTable } from '../engine/options.js';
import { checkDataFormat } from './conv-utils.js';
import { callSeed, singleShape, singleTensor } from './layer-utils.js';

/**
 * Which flips RandomFlip draws.
 *
 * ```ts
 * const mode: layers.FlipMode = 'horizontal_and_vertical';
 * layers.randomFlip({ mode });
 * ```
 */
export type FlipMode = 'horizontal' | 'vertical' | 'horizontal_and_vertical';

/**
 * Options of RandomFlip.
 *
 * ```ts
 * const args: layers.RandomFlipArgs = { mode: 'horizontal', seed: 42 };
 * new layers.RandomFlip(args);
 * ```
 */
export interface RandomFlipArgs extends LayerArgs {
  /** Default 'horizontal_and_vertical'. */
  mode?: FlipMode;
  seed?: number;
  dataFormat?: 'channelsLast';
}

const FLIP_POSITIONAL = ['mode', 'seed'] as const;

/**
 * While training, each image is mirrored left-right (and, independently, top-bottom) with
 * probability 1/2; unchanged (as float32) at inference.
 *
 * ```ts
 * new layers.RandomFlip('horizontal').apply(images, { training: true });
 * ```
 */
export class RandomFlip extends Layer {
  static readonly className = 'RandomFlip';
  static readonly positional = FLIP_POSITIONAL;
  static readonly options: OptionTable<RandomFlipArgs> = { mode: true, seed: true, dataFormat: true };
  readonly mode: FlipMode;
  readonly seed: number | undefined;
  private calls = 0;

  constructor(...params: LayerParams<RandomFlipArgs, typeof FLIP_POSITIONAL>) {
    const args = layerArgs<RandomFlipArgs>(RandomFlip, params);
    super(args);
    checkDataFormat(args.dataFormat, 'RandomFlip');
    this.mode = args.mode ?? 'horizontal_and_vertical';
    if (!['horizontal', 'vertical', 'horizontal_and_vertical'].includes(this.mode))
      throw new Error(
        `RandomFlip: mode must be 'horizontal', 'vertical' or 'horizontal_and_vertical', got '${String(this.mode)}'`,
      );
    this.seed = args.seed;
  }

  call(inputs: Tensor | Tensor[], args: CallArgs = {}): Tensor {
    const input = singleTensor(inputs, this.name);
    if (input.rank !== 3 && input.rank !== 4)
      throw new Error(
        `${this.name}: expects [batch, h, w, c] or [h, w, c] images, got [${input.shape.join(',')}]`,
      );
    const x = input.dtype === 'float32' ? input : input.cast('float32');
    if (!args.training) return x;
    let y = x.rank === 3 ? x.expandDims(0) : x;
    const n = y.shape[0];
    const seed = callSeed(this.seed, this.calls++);
    // One coin per image and axis; the mirror is a gather with reversed indices (differentiable).
    const flip = (img: Tensor, axis: number, k: number): Tensor => {
      const len = img.shape[axis];
      const reversed = range(len - 1, -1, -1).cast('int32');
      const coin = randomUniform([n, 1, 1, 1], {
        seed: seed === undefined ? undefined : (seed + Math.imul(k, 0x85ebca6b)) >>> 0,
      })
        .less(0.5)
        .cast('float32');
      return gather(img, reversed, axis)
        .mul(coin)
        .add(img.mul(coin.neg().add(1)));
    };
    if (this.mode !== 'vertical') y = flip(y, 2, 1);
    if (this.mode !== 'horizontal') y = flip(y, 1, 2);
    return x.rank === 3 ? y.squeeze([0]) : y;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return [...singleShape(inputShape, this.name)];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), mode: this.mode, seed: this.seed, dataFormat: 'channelsLast' };
  }
}
