// The base of RandomRotation, RandomZoom and RandomTranslation: a per-image projective transform, only while training.
import { image, randomUniform, type Tensor } from '@webdl/core';
import { Layer, type CallArgs, type LayerArgs, type Shape } from '../engine/layer.js';
import type { OptionTable } from '../engine/options.js';
import { checkDataFormat } from './conv-utils.js';
import { callSeed, singleShape, singleTensor } from './layer-utils.js';

/**
 * How pixels outside the input are filled (Keras default 'reflect').
 *
 * ```ts
 * const fillMode: layers.FillMode = 'reflect';
 * layers.randomRotation({ factor: 0.1, fillMode });
 * ```
 */
export type FillMode = 'constant' | 'reflect' | 'wrap' | 'nearest';

/**
 * Options shared by the random image transforms (Keras names).
 *
 * ```ts
 * const args: layers.RandomTransformArgs = { fillMode: 'constant', fillValue: 0, interpolation: 'nearest', seed: 1 };
 * new layers.RandomRotation(0.1, args);
 * ```
 */
export interface RandomTransformArgs extends LayerArgs {
  fillMode?: FillMode;
  interpolation?: 'bilinear' | 'nearest';
  /** Seed of the first draw; later calls draw fresh transforms from it. */
  seed?: number;
  /** Value outside the image when fillMode is 'constant'. */
  fillValue?: number;
  dataFormat?: 'channelsLast';
}

/** The option names of RandomTransformArgs (for the subclasses' option tables). */
export const RANDOM_TRANSFORM_OPTIONS: OptionTable<RandomTransformArgs> = {
  fillMode: true,
  interpolation: true,
  seed: true,
  fillValue: true,
  dataFormat: true,
};

/** A factor option: `f` means [-f, f], `[lower, upper]` as given. */
export function factorRange(value: number | number[], what: string, min = -Infinity): [number, number] {
  const [lo, hi] = typeof value === 'number' ? [-Math.abs(value), Math.abs(value)] : value;
  if (
    (Array.isArray(value) && value.length !== 2) ||
    !Number.isFinite(lo) ||
    !Number.isFinite(hi) ||
    lo > hi ||
    lo < min
  )
    throw new Error(
      `${what} must be a number or [lower, upper] with lower <= upper${min > -Infinity ? ` and lower >= ${min}` : ''}, got ${JSON.stringify(value)}`,
    );
  return [lo, hi];
}

/** Randomly transforms each image of a batch while training (identity, as float32, otherwise). */
export abstract class RandomTransform extends Layer {
  readonly fillMode: FillMode;
  readonly interpolation: 'bilinear' | 'nearest';
  readonly seed: number | undefined;
  readonly fillValue: number;
  private calls = 0;

  constructor(args: RandomTransformArgs) {
    super(args);
    const cls = (this.constructor as unknown as { className: string }).className;
    checkDataFormat(args.dataFormat, cls);
    this.fillMode = args.fillMode ?? 'reflect';
    if (!['constant', 'reflect', 'wrap', 'nearest'].includes(this.fillMode))
      throw new Error(
        `${cls}: fillMode must be 'constant', 'reflect', 'wrap' or 'nearest', got '${this.fillMode}'`,
      );
    this.interpolation = args.interpolation ?? 'bilinear';
    if (this.interpolation !== 'bilinear' && this.interpolation !== 'nearest')
      throw new Error(
        `${cls}: interpolation must be 'bilinear' or 'nearest', got '${String(this.interpolation)}'`,
      );
    this.seed = args.seed;
    this.fillValue = args.fillValue ?? 0;
  }

  /** The [batch, 8] output-to-input transforms for this batch, from uniform draws `u(n, lo, hi)`. */
  protected abstract transforms(
    batch: number,
    height: number,
    width: number,
    uniform: (lo: number, hi: number) => Tensor,
  ): Tensor;

  call(inputs: Tensor | Tensor[], args: CallArgs = {}): Tensor {
    const input = singleTensor(inputs, this.name);
    if (input.rank !== 3 && input.rank !== 4)
      throw new Error(
        `${this.name}: expects [batch, h, w, c] or [h, w, c] images, got [${input.shape.join(',')}]`,
      );
    const x = input.dtype === 'float32' ? input : input.cast('float32');
    if (!args.training) return x;
    const x4 = x.rank === 3 ? x.expandDims(0) : x;
    const [n, h, w] = x4.shape;
    const seed = callSeed(this.seed, this.calls++);
    let draw = 0;
    // Each draw gets its own seed from the call's, so a fixed seed reproduces the whole sequence.
    const uniform = (lo: number, hi: number): Tensor =>
      randomUniform([n, 1], {
        minval: lo,
        maxval: hi,
        seed: seed === undefined ? undefined : (seed + Math.imul(++draw, 0x85ebca6b)) >>> 0,
      });
    const y = image.transform(x4, this.transforms(n, h, w, uniform), {
      interpolation: this.interpolation,
      fillMode: this.fillMode,
      fillValue: this.fillValue,
    });
    return x.rank === 3 ? y.squeeze([0]) : y;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return [...singleShape(inputShape, this.name)];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      fillMode: this.fillMode,
      interpolation: this.interpolation,
      seed: this.seed,
      fillValue: this.fillValue,
      dataFormat: 'channelsLast',
    };
  }
}
