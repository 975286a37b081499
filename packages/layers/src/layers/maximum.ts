// Maximum merge layer: the elementwise maximum of a list of tensors.
import type { Tensor } from '@webdl/core';
import type { LayerArgs } from '../engine/layer.js';
import { layerArgs, type LayerParams, type OptionTable } from '../engine/options.js';
import { ElementwiseMerge } from './merge-base.js';

/**
 * The elementwise maximum of a list of tensors of the same (or broadcastable) shape.
 *
 * ```ts
 * new layers.Maximum().apply([a, b]); // max(a, b)
 * ```
 */
export class Maximum extends ElementwiseMerge {
  static readonly className = 'Maximum';
  static readonly options: OptionTable<LayerArgs> = {};

  constructor(...params: LayerParams<LayerArgs>) {
    super(layerArgs<LayerArgs>(Maximum, params));
  }

  protected merge(xs: Tensor[]): Tensor {
    return xs.slice(1).reduce((acc, x) => acc.maximum(x), xs[0]);
  }
}
