// Subtract merge layer: the difference of exactly two tensors (broadcasting).
import type { Tensor } from '@webdl/core';
import type { LayerArgs } from '../engine/layer.js';
import { layerArgs, type LayerParams, type OptionTable } from '../engine/options.js';
import { ElementwiseMerge } from './merge-base.js';

/**
 * `inputs[0] - inputs[1]`; takes exactly two inputs.
 *
 * ```ts
 * new layers.Subtract().apply([a, b]); // a - b
 * ```
 */
export class Subtract extends ElementwiseMerge {
  static readonly className = 'Subtract';
  static readonly options: OptionTable<LayerArgs> = {};
  protected override readonly maxInputs = 2;

  constructor(...params: LayerParams<LayerArgs>) {
    super(layerArgs<LayerArgs>(Subtract, params));
  }

  protected merge(xs: Tensor[]): Tensor {
    return xs[0].sub(xs[1]);
  }
}
