// UnitNormalization layer: scales each sample to unit L2 norm along the given axes.
import type { Tensor } from '@webdl/core';
import { Layer, type CallArgs, type LayerArgs, type Shape } from '../engine/layer.js';
import { layerArgs, type LayerParams, type OptionTable } from '../engine/options.js';
import { singleShape, singleTensor } from './layer-utils.js';

/**
 * Options of UnitNormalization.
 *
 * ```ts
 * const args: layers.UnitNormalizationArgs = { axis: -1 };
 * new layers.UnitNormalization(args);
 * ```
 */
export interface UnitNormalizationArgs extends LayerArgs {
  /** Axis or axes to normalize over (default -1). */
  axis?: number | number[];
}

const UNITNORMALIZATION_POSITIONAL = ['axis'] as const;

/**
 * `x / sqrt(max(sum(x²), 1e-12))` over `axis`, as Keras.
 *
 * ```ts
 * new layers.UnitNormalization().apply(tensor([[3, 4]])); // [[0.6, 0.8]]
 * ```
 */
export class UnitNormalization extends Layer {
  static readonly className = 'UnitNormalization';
  static readonly positional = UNITNORMALIZATION_POSITIONAL;
  static readonly options: OptionTable<UnitNormalizationArgs> = { axis: true };
  readonly axis: number | number[];

  constructor(...params: LayerParams<UnitNormalizationArgs, typeof UNITNORMALIZATION_POSITIONAL>) {
    const args = layerArgs<UnitNormalizationArgs>(UnitNormalization, params);
    super(args);
    this.axis = args.axis ?? -1;
  }

  call(inputs: Tensor | Tensor[], _args: CallArgs): Tensor {
    const x = singleTensor(inputs, this.name);
    const axes = (Array.isArray(this.axis) ? this.axis : [this.axis]).map((a) => (a < 0 ? a + x.rank : a));
    if (axes.some((a) => a < 1 || a >= x.rank))
      throw new Error(
        `${this.name}: axis ${JSON.stringify(this.axis)} is out of range (or the batch axis) for [${x.shape.join(',')}]`,
      );
    return x.mul(x.square().sum(axes, true).maximum(1e-12).rsqrt());
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return [...singleShape(inputShape, this.name)];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: this.axis };
  }
}
