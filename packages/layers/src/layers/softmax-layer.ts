// Softmax layer: softmax over one axis (or several), as Keras's Softmax.
import { exp, type Tensor } from '@webdl/core';
import { Layer, type CallArgs, type LayerArgs, type Shape } from '../engine/layer.js';
import { layerArgs, type LayerParams, type OptionTable } from '../engine/options.js';
import { singleShape, singleTensor } from './layer-utils.js';

/**
 * Options of Softmax.
 *
 * ```ts
 * const args: layers.SoftmaxArgs = { axis: -1 };
 * new layers.Softmax(args).apply(tensor([[1, 1]])); // [[0.5, 0.5]]
 * ```
 */
export interface SoftmaxArgs extends LayerArgs {
  /** Axis (or axes) to normalize over (default -1). */
  axis?: number | number[];
}

const SOFTMAX_POSITIONAL = ['axis'] as const;

/**
 * Softmax activation as a layer.
 *
 * ```ts
 * new layers.Softmax().apply(tensor([[1, 2, 3]])); // rows sum to 1
 * ```
 */
export class Softmax extends Layer {
  static readonly className = 'Softmax';
  static readonly positional = SOFTMAX_POSITIONAL;
  static readonly options: OptionTable<SoftmaxArgs> = { axis: true };
  readonly axis: number | number[];

  constructor(...params: LayerParams<SoftmaxArgs, typeof SOFTMAX_POSITIONAL>) {
    const args = layerArgs<SoftmaxArgs>(Softmax, params);
    super(args);
    this.axis = args.axis ?? -1;
  }

  call(inputs: Tensor | Tensor[], _args: CallArgs = {}): Tensor {
    const x = singleTensor(inputs, this.name);
    const axes = (Array.isArray(this.axis) ? this.axis : [this.axis]).map((a) => (a < 0 ? a + x.rank : a));
    if (axes.some((a) => a < 0 || a >= x.rank))
      throw new Error(
        `${this.name}: axis ${JSON.stringify(this.axis)} is out of range for [${x.shape.join(',')}]`,
      );
    if (axes.length === 1) return x.softmax(axes[0]);
    // Several axes: exp(x - logSumExp over the axes).
    return exp(x.sub(x.logSumExp(axes, true)));
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return [...singleShape(inputShape, this.name)];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: this.axis };
  }
}
