// Identity layer: returns its input unchanged (a placeholder Keras models use, e.g. for a skipped block).
import type { Tensor } from '@webdl/core';
import { Layer, type CallArgs, type LayerArgs, type Shape } from '../engine/layer.js';
import { layerArgs, type LayerParams, type OptionTable } from '../engine/options.js';

/**
 * Passes its input (or list of inputs) through unchanged.
 *
 * ```ts
 * new layers.Identity().apply(x); // x
 * ```
 */
export class Identity extends Layer {
  static readonly className = 'Identity';
  static readonly options: OptionTable<LayerArgs> = {};

  constructor(...params: LayerParams<LayerArgs>) {
    const args = layerArgs<LayerArgs>(Identity, params);
    super(args);
  }

  call(inputs: Tensor | Tensor[], _args: CallArgs): Tensor | Tensor[] {
    return inputs;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    return inputShape;
  }
}
