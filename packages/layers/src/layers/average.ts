// Average merge layer: the mean of a list of tensors (broadcasting).
import type { Tensor } from '@webdl/core';
import type { LayerArgs } from '../engine/layer.js';
import { layerArgs, type LayerParams, type OptionTable } from '../engine/options.js';
import { ElementwiseMerge } from './merge-base.js';

/**
 * The elementwise mean of a list of tensors of the same (or broadcastable) shape.
 *
 * ```ts
 * new layers.Average().apply([a, b]); // (a + b) / 2
 * ```
 */
export class Average extends ElementwiseMerge {
  static readonly className = 'Average';
  static readonly options: OptionTable<LayerArgs> = {};

  constructor(...params: LayerParams<LayerArgs>) {
    super(layerArgs<LayerArgs>(Average, params));
  }

  protected merge(xs: Tensor[]): Tensor {
    return xs
      .slice(1)
      .reduce((acc, x) => acc.add(x), xs[0])
      .div(xs.length);
  }
}
