// Cropping2D layer: removes rows and columns at the borders of NHWC images.
import { slice, type Tensor } from '@webdl/core';
import { Layer, type CallArgs, type LayerArgs, type Shape } from '../engine/layer.js';
import { layerArgs, type LayerParams, type OptionTable } from '../engine/options.js';
import { checkDataFormat } from './conv-utils.js';
import { singleShape, singleTensor } from './layer-utils.js';

/**
 * `1`, `[rows, cols]` (symmetric), or `[[top, bottom], [left, right]]`.
 *
 * ```ts
 * const cropping: layers.Cropping2DSpec = [2, 3]; // 2 rows off top and bottom, 3 columns off each side
 * layers.cropping2D({ cropping });
 * ```
 */
export type Cropping2DSpec = number | [number, number] | [[number, number], [number, number]];

/**
 * Options of Cropping2D.
 *
 * ```ts
 * const args: layers.Cropping2DArgs = { cropping: [[1, 1], [2, 2]] };
 * new layers.Cropping2D(args).apply(zeros([1, 8, 8, 1])); // shape [1, 6, 4, 1]
 * ```
 */
export interface Cropping2DArgs extends LayerArgs {
  cropping?: Cropping2DSpec;
  dataFormat?: 'channelsLast';
}

function normalizeCropping(c: Cropping2DSpec): [[number, number], [number, number]] {
  const pair = (v: number | [number, number]): [number, number] =>
    typeof v === 'number' ? [v, v] : [v[0], v[1]];
  let out: [[number, number], [number, number]];
  if (typeof c === 'number') out = [pair(c), pair(c)];
  else if (Array.isArray(c) && c.length === 2) out = [pair(c[0]), pair(c[1])];
  else
    throw new Error(
      `Cropping2D: cropping must be a number, [rows, cols] or [[top, bottom], [left, right]], got ${JSON.stringify(c)}`,
    );
  if (out.flat().some((v) => !Number.isInteger(v) || v < 0))
    throw new Error(`Cropping2D: cropping must be non-negative integers, got ${JSON.stringify(c)}`);
  return out;
}

const CROPPING2D_POSITIONAL = ['cropping'] as const;

/**
 * Crops the height and width axes: `[[top, bottom], [left, right]]` rows and columns go.
 *
 * ```ts
 * new layers.Cropping2D({ cropping: [[1, 1], [2, 0]] }).apply(zeros([1, 8, 8, 3])); // [1, 6, 6, 3]
 * ```
 */
export class Cropping2D extends Layer {
  static readonly className = 'Cropping2D';
  static readonly positional = CROPPING2D_POSITIONAL;
  static readonly options: OptionTable<Cropping2DArgs> = { cropping: true, dataFormat: true };
  readonly cropping: [[number, number], [number, number]];

  constructor(...params: LayerParams<Cropping2DArgs, typeof CROPPING2D_POSITIONAL>) {
    const args = layerArgs<Cropping2DArgs>(Cropping2D, params);
    super(args);
    checkDataFormat(args.dataFormat, 'Cropping2D');
    this.cropping = normalizeCropping(args.cropping ?? 0);
  }

  private croppedLength(length: number | null, axis: 0 | 1): number | null {
    if (length === null) return null;
    const out = length - this.cropping[axis][0] - this.cropping[axis][1];
    if (out <= 0)
      throw new Error(
        `${this.name}: cropping ${JSON.stringify(this.cropping)} removes every ${axis === 0 ? 'row' : 'column'} of an input with ${length}`,
      );
    return out;
  }

  call(inputs: Tensor | Tensor[], _args: CallArgs): Tensor {
    const x = singleTensor(inputs, this.name);
    if (x.rank !== 4)
      throw new Error(`${this.name}: expects NHWC input of rank 4, got [${x.shape.join(',')}]`);
    const [n, h, w, c] = x.shape;
    const oh = this.croppedLength(h, 0) as number;
    const ow = this.croppedLength(w, 1) as number;
    return slice(x, [0, this.cropping[0][0], this.cropping[1][0], 0], [n, oh, ow, c]);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const [n, h, w, c] = singleShape(inputShape, this.name);
    return [n, this.croppedLength(h, 0), this.croppedLength(w, 1), c];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), cropping: this.cropping, dataFormat: 'channelsLast' };
  }
}
