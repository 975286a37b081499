// SimpleRNN layer: h_t = activation(x_t · kernel + h_{t-1} · recurrentKernel + bias).
import type { Tensor } from '@webdl/core';
import { layerArgs, type LayerParams } from '../../engine/options.js';
import { RNN, RNN_POSITIONAL, type RNNArgs, type RNNConfig, type RNNWeights } from './base.js';

/**
 * Options of SimpleRNN (activation defaults to tanh).
 *
 * ```ts
 * const args: layers.SimpleRNNArgs = { activation: 'tanh', returnSequences: true };
 * new layers.SimpleRNN(16, args);
 * ```
 */
export type SimpleRNNArgs = RNNArgs;

/**
 * Fully connected recurrent layer over [batch, steps, features] input.
 *
 * ```ts
 * const rnn = new layers.SimpleRNN(8, { returnSequences: true });
 * rnn.apply(randomNormal([2, 5, 3])); // [2, 5, 8]
 * ```
 */
export class SimpleRNN extends RNN {
  static readonly className = 'SimpleRNN';

  constructor(...params: LayerParams<RNNConfig, typeof RNN_POSITIONAL>) {
    super(layerArgs<RNNConfig>(SimpleRNN, params), 'tanh');
  }

  protected get gates(): number {
    return 1;
  }

  protected get numStates(): number {
    return 1;
  }

  protected step(xProj: Tensor, _states: Tensor[], hDropped: Tensor, w: RNNWeights): Tensor[] {
    return [this.activation(xProj.add(hDropped.matmul(w.recurrentKernel)))];
  }
}
