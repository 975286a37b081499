// Minimum merge layer: the elementwise minimum of a list of tensors.
import type { Tensor } from '@webdl/core';
import type { LayerArgs } from '../engine/layer.js';
import { layerArgs, type LayerParams, type OptionTable } from '../engine/options.js';
import { ElementwiseMerge } from './merge-base.js';

/**
 * The elementwise minimum of a list of tensors of the same (or broadcastable) shape.
 *
 * ```ts
 * new layers.Minimum().apply([a, b]); // min(a, b)
 * ```
 */
export class Minimum extends ElementwiseMerge {
  static readonly className = 'Minimum';
  static readonly options: OptionTable<LayerArgs> = {};

  constructor(...params: LayerParams<LayerArgs>) {
    super(layerArgs<LayerArgs>(Minimum, params));
  }

  protected merge(xs: Tensor[]): Tensor {
    return xs.slice(1).reduce((acc, x) => acc.minimum(x), xs[0]);
  }
}
