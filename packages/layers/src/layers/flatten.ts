// Flatten: collapses every dimension but the batch into one.
import type { Tensor } from '@webdl/core';
import { Layer, type CallArgs, type LayerArgs, type Shape } from '../engine/layer.js';
import { layerArgs, type LayerParams, type OptionTable } from '../engine/options.js';
import { singleShape, singleTensor } from './layer-utils.js';

/**
 * Reshapes [batch, d1, d2, ...] to [batch, d1·d2·...].
 *
 * ```ts
 * new layers.Flatten().apply(zeros([2, 28, 28])); // shape [2, 784]
 * ```
 */
export class Flatten extends Layer {
  static readonly className = 'Flatten';
  static readonly options: OptionTable<LayerArgs> = {};

  constructor(...params: LayerParams<LayerArgs>) {
    super(layerArgs<LayerArgs>(Flatten, params));
  }

  call(inputs: Tensor | Tensor[], _args: CallArgs = {}): Tensor {
    const x = singleTensor(inputs, this.name);
    if (x.rank === 0) throw new Error(`${this.name}: cannot flatten a scalar`);
    return x.reshape([x.shape[0], x.shape.slice(1).reduce((a, b) => a * b, 1)]);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = singleShape(inputShape, this.name);
    const rest = shape.slice(1);
    const known = rest.every((d) => d !== null);
    return [shape[0] ?? null, known ? (rest as number[]).reduce((a, b) => a * b, 1) : null];
  }
}
