// ZeroPadding2D layer: adds rows and columns of zeros around NHWC images.
import { pad, type Tensor } from '@webdl/core';
import { Layer, type CallArgs, type LayerArgs, type Shape } from '../engine/layer.js';
import { layerArgs, type LayerParams, type OptionTable } from '../engine/options.js';
import { checkDataFormat } from './conv-utils.js';
import { singleShape, singleTensor } from './layer-utils.js';

/**
 * `1`, `[rows, cols]` (symmetric), or `[[top, bottom], [left, right]]`.
 *
 * ```ts
 * const padding: layers.Padding2D = [[1, 1], [2, 2]]; // [[top, bottom], [left, right]]
 * layers.zeroPadding2d({ padding }).apply(zeros([1, 4, 4, 1])); // shape [1, 6, 8, 1]
 * ```
 */
export type Padding2D = number | [number, number] | [[number, number], [number, number]];

/**
 * Options of ZeroPadding2D.
 *
 * ```ts
 * const args: layers.ZeroPadding2DArgs = { padding: [1, 2] };
 * new layers.ZeroPadding2D(args).apply(zeros([1, 4, 4, 1])); // shape [1, 6, 8, 1]
 * ```
 */
export interface ZeroPadding2DArgs extends LayerArgs {
  padding?: Padding2D;
  dataFormat?: 'channelsLast';
}

function normalizePadding2D(p: Padding2D): [[number, number], [number, number]] {
  const out: [[number, number], [number, number]] =
    typeof p === 'number'
      ? [
          [p, p],
          [p, p],
        ]
      : typeof p[0] === 'number'
        ? [
            [p[0], p[0]],
            [p[1] as number, p[1] as number],
          ]
        : [
            [p[0][0], p[0][1]],
            [(p[1] as [number, number])[0], (p[1] as [number, number])[1]],
          ];
  if (out.flat().some((v) => !Number.isInteger(v) || v < 0)) {
    throw new Error(`ZeroPadding2D: padding must be non-negative integers, got ${JSON.stringify(p)}`);
  }
  return out;
}

const ZERO_PADDING_POSITIONAL = ['padding'] as const;

/**
 * Pads the height and width axes with zeros.
 *
 * ```ts
 * new layers.ZeroPadding2D({ padding: [[1, 0], [2, 2]] }).apply(zeros([1, 5, 5, 3])); // [1, 6, 9, 3]
 * ```
 */
export class ZeroPadding2D extends Layer {
  static readonly className = 'ZeroPadding2D';
  static readonly positional = ZERO_PADDING_POSITIONAL;
  static readonly options: OptionTable<ZeroPadding2DArgs> = {
    padding: true,
    dataFormat: true,
  };
  readonly padding: [[number, number], [number, number]];

  constructor(...params: LayerParams<ZeroPadding2DArgs, typeof ZERO_PADDING_POSITIONAL>) {
    const args = layerArgs<ZeroPadding2DArgs>(ZeroPadding2D, params);
    super(args);
    checkDataFormat(args.dataFormat, 'ZeroPadding2D');
    this.padding = normalizePadding2D(args.padding ?? 1);
  }

  call(inputs: Tensor | Tensor[], _args: CallArgs): Tensor {
    const x = singleTensor(inputs, this.name);
    if (x.rank !== 4)
      throw new Error(`${this.name}: expects NHWC input of rank 4, got [${x.shape.join(',')}]`);
    return pad(x, [[0, 0], this.padding[0], this.padding[1], [0, 0]]);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const [n, h, w, c] = singleShape(inputShape, this.name);
    const [[t, b], [l, r]] = this.padding;
    return [n, h === null ? null : h + t + b, w === null ? null : w + l + r, c];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), padding: this.padding.map((p) => [...p]), dataFormat: 'channelsLast' };
  }
}
