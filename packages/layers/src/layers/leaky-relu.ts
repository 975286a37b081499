// LeakyReLU layer: x for x >= 0, negativeSlope * x below (Keras 3 default slope 0.3).
import { leakyRelu, type Tensor } from '@webdl/core';
import { Layer, type CallArgs, type LayerArgs, type Shape } from '../engine/layer.js';
import { layerArgs, type LayerParams, type OptionTable } from '../engine/options.js';
import { singleShape, singleTensor } from './layer-utils.js';

/**
 * Options of LeakyReLU.
 *
 * ```ts
 * const args: layers.LeakyReLUArgs = { negativeSlope: 0.1 };
 * new layers.LeakyReLU(args).apply(tensor([-2, 2])); // [-0.2, 2]
 * ```
 */
export interface LeakyReLUArgs extends LayerArgs {
  /** Slope for negative inputs (default 0.3, as Keras). */
  negativeSlope?: number;
  /** The Keras 2 / TF.js name of negativeSlope. */
  alpha?: number;
}

const LEAKY_POSITIONAL = ['negativeSlope'] as const;

/**
 * Leaky rectified linear unit.
 *
 * ```ts
 * new layers.LeakyReLU({ negativeSlope: 0.1 }).apply(tensor([-2, 3])); // [-0.2, 3]
 * ```
 */
export class LeakyReLU extends Layer {
  static readonly className = 'LeakyReLU';
  static readonly positional = LEAKY_POSITIONAL;
  static readonly options: OptionTable<LeakyReLUArgs> = { negativeSlope: true, alpha: true };
  readonly negativeSlope: number;

  constructor(...params: LayerParams<LeakyReLUArgs, typeof LEAKY_POSITIONAL>) {
    const args = layerArgs<LeakyReLUArgs>(LeakyReLU, params);
    super(args);
    if (args.negativeSlope !== undefined && args.alpha !== undefined && args.negativeSlope !== args.alpha)
      throw new Error(`LeakyReLU: give negativeSlope or alpha, not both`);
    this.negativeSlope = args.negativeSlope ?? args.alpha ?? 0.3;
    if (!(this.negativeSlope >= 0))
      throw new Error(`LeakyReLU: negativeSlope must be >= 0, got ${this.negativeSlope}`);
  }

  call(inputs: Tensor | Tensor[], _args: CallArgs = {}): Tensor {
    return leakyRelu(singleTensor(inputs, this.name), this.negativeSlope);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return [...singleShape(inputShape, this.name)];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), negativeSlope: this.negativeSlope };
  }
}
