// Activation: applies a named activation function as its own layer.
import type { Tensor } from '@webdl/core';
import { Layer, type CallArgs, type LayerArgs, type Shape } from '../engine/layer.js';
import { layerArgs, type LayerParams, type OptionTable } from '../engine/options.js';
import {
  getActivation,
  serializeActivation,
  type ActivationFn,
  type ActivationLike,
} from '../activations.js';
import { singleShape, singleTensor } from './layer-utils.js';

/**
 * Activation's config object.
 *
 * ```ts
 * const config: layers.ActivationConfig = { activation: 'tanh', name: 'act' };
 * new layers.Activation(config);
 * ```
 */
export type ActivationConfig = LayerArgs & { activation: ActivationLike };

const ACTIVATION_POSITIONAL = ['activation'] as const;

/**
 * Applies an activation function element-wise (or softmax on the last axis).
 *
 * ```ts
 * new layers.Activation('relu').apply(tensor([-1, 2])); // [0, 2]
 * ```
 */
export class Activation extends Layer {
  static readonly className = 'Activation';
  static readonly positional = ACTIVATION_POSITIONAL;
  static readonly options: OptionTable<ActivationConfig> = { activation: true };
  readonly activation: ActivationFn;

  constructor(...params: LayerParams<ActivationConfig, typeof ACTIVATION_POSITIONAL>) {
    const args = layerArgs<ActivationConfig>(Activation, params);
    super(args);
    if (args.activation === undefined) throw new Error('Activation: an activation is required');
    this.activation = getActivation(args.activation);
  }

  call(inputs: Tensor | Tensor[], _args: CallArgs = {}): Tensor {
    return this.activation(singleTensor(inputs, this.name));
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return [...singleShape(inputShape, this.name)];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), activation: serializeActivation(this.activation) };
  }
}
