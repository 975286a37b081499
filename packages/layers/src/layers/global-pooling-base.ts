// The base of the global pooling layers: a reduction over every axis between the batch and the channels.
import type { Tensor } from '@webdl/core';
import { Layer, type CallArgs, type LayerArgs, type Shape } from '../engine/layer.js';
import type { OptionTable } from '../engine/options.js';
import { checkDataFormat } from './conv-utils.js';
import { singleShape, singleTensor } from './layer-utils.js';

/**
 * Options of the global pooling layers.
 *
 * ```ts
 * const args: layers.GlobalPoolingArgs = { keepdims: true };
 * new layers.GlobalMaxPooling1D(args).apply(zeros([2, 10, 4])); // shape [2, 1, 4]
 * ```
 */
export interface GlobalPoolingArgs extends LayerArgs {
  dataFormat?: 'channelsLast';
  /** Keep the reduced axes with length 1 (default false). */
  keepdims?: boolean;
}

/** Reduces [batch, ...spatial, channels] over the `spatialRank` spatial axes. */
export abstract class GlobalPooling extends Layer {
  static readonly options: OptionTable<GlobalPoolingArgs> = { dataFormat: true, keepdims: true };
  readonly keepdims: boolean;

  constructor(
    private readonly spatialRank: number,
    args: GlobalPoolingArgs,
  ) {
    super(args);
    checkDataFormat(args.dataFormat, (this.constructor as unknown as { className: string }).className);
    this.keepdims = args.keepdims ?? false;
  }

  protected abstract reduce(x: Tensor, axes: number[]): Tensor;

  call(inputs: Tensor | Tensor[], _args: CallArgs): Tensor {
    const x = singleTensor(inputs, this.name);
    if (x.rank !== this.spatialRank + 2)
      throw new Error(
        `${this.name}: expects input of rank ${this.spatialRank + 2} (channels last), got [${x.shape.join(',')}]`,
      );
    return this.reduce(
      x,
      Array.from({ length: this.spatialRank }, (_, i) => i + 1),
    );
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = singleShape(inputShape, this.name);
    const [n, c] = [shape[0], shape[shape.length - 1]];
    return this.keepdims ? [n, ...new Array<number>(this.spatialRank).fill(1), c] : [n, c];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), dataFormat: 'channelsLast', keepdims: this.keepdims };
  }
}
