// Activation: applies a named activation function as its own layer.
import type { Tensor } from '@webdl/core';
import { Layer, type CallArgs, type LayerArgs, type Shape } from '../engine/layer.js';
import {
  getActivation,
  serializeActivation,
  type ActivationFn,
  type ActivationLike,
} from '../activations.js';
import { singleShape, singleTensor } from './layer-utils.js';

/**
 * Applies an activation function element-wise (or softmax on the last axis).
 *
 * ```ts
 * new Activation('relu').apply(tensor([-1, 2])); // [0, 2]
 * ```
 */
export class Activation extends Layer {
  static readonly className = 'Activation';
  readonly activation: ActivationFn;

  constructor(activation: ActivationLike, args: LayerArgs = {}) {
    super(args);
    this.activation = getActivation(activation);
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
