// Multiply merge layer: the product of a list of tensors (broadcasting).
import type { Tensor } from '@webdl/core';
import type { LayerArgs } from '../engine/layer.js';
import { layerArgs, type LayerParams, type OptionTable } from '../engine/options.js';
import { ElementwiseMerge } from './merge-base.js';

/**
 * The elementwise product of a list of tensors of the same (or broadcastable) shape.
 *
 * ```ts
 * new layers.Multiply().apply([a, b]); // a * b
 * ```
 */
export class Multiply extends ElementwiseMerge {
  static readonly className = 'Multiply';
  static readonly options: OptionTable<LayerArgs> = {};

  constructor(...params: LayerParams<LayerArgs>) {
    super(layerArgs<LayerArgs>(Multiply, params));
  }

  protected merge(xs: Tensor[]): Tensor {
    return xs.slice(1).reduce((acc, x) => acc.mul(x), xs[0]);
  }
}
