// LSTM layer (Hochreiter & Schmidhuber), Keras gate order i, f, c, o and unit forget bias.
import { concat, ones, tidy, type Tensor, type Variable } from '@webdl/core';
import {
  getActivation,
  serializeActivation,
  type ActivationFn,
  type ActivationLike,
} from '../../activations.js';
import { RNN, RNN_OPTIONS, RNN_POSITIONAL, type RNNArgs, type RNNWeights } from './base.js';
import { layerArgs, type LayerParams, type OptionTable } from '../../engine/options.js';

/**
 * Options of LSTM (Keras names and defaults: tanh, sigmoid, unitForgetBias).
 *
 * ```ts
 * const args: layers.LSTMArgs = { returnSequences: true, unitForgetBias: true, dropout: 0.1 };
 * new layers.LSTM(64, args);
 * ```
 */
export interface LSTMArgs extends RNNArgs {
  recurrentActivation?: ActivationLike;
  /** Initialize the forget gate's bias to ones (default true, as Keras). */
  unitForgetBias?: boolean;
}

/**
 * LSTM's config object: the options plus units.
 *
 * ```ts
 * const config: layers.LSTMConfig = { units: 32, recurrentDropout: 0.1 };
 * layers.lstm(config);
 * ```
 */
export type LSTMConfig = LSTMArgs & { units: number };

/**
 * Long short-term memory layer. Weights as Keras: kernel [features, 4*units], recurrentKernel
 * [units, 4*units], bias [4*units], gates in the order input, forget, cell, output. States [h, c].
 *
 * ```ts
 * const lstm = new layers.LSTM(16);
 * lstm.apply(randomNormal([4, 10, 3])); // [4, 16]
 * ```
 */
export class LSTM extends RNN {
  static readonly className = 'LSTM';
  static override readonly options: OptionTable<LSTMConfig> = {
    ...RNN_OPTIONS,
    recurrentActivation: true,
    unitForgetBias: true,
  };
  readonly recurrentActivation: ActivationFn;
  readonly unitForgetBias: boolean;

  constructor(...params: LayerParams<LSTMConfig, typeof RNN_POSITIONAL>) {
    const args = layerArgs<LSTMConfig>(LSTM, params);
    super(args, 'tanh');
    this.recurrentActivation = getActivation(
      args.recurrentActivation === undefined ? 'sigmoid' : args.recurrentActivation,
    );
    this.unitForgetBias = args.unitForgetBias ?? true;
  }

  protected get gates(): number {
    return 4;
  }

  protected get numStates(): number {
    return 2;
  }

  protected override addBias(): Variable {
    if (!this.unitForgetBias) return super.addBias();
    const u = this.units;
    const init = this.biasInitializer;
    // [input bias (initializer), forget bias (ones), cell and output biases (initializer)].
    const initializer = (shape: number[]): Tensor =>
      tidy(() => concat([init.apply([u]), ones([u]), init.apply([2 * u])], 0).reshape(shape));
    return this.addWeight({ name: 'bias', shape: [4 * u], initializer, ...this.penalties.bias });
  }

  protected step(xProj: Tensor, states: Tensor[], hDropped: Tensor, w: RNNWeights): Tensor[] {
    const [, cPrev] = states;
    const z = xProj.add(hDropped.matmul(w.recurrentKernel));
    const [zi, zf, zc, zo] = z.split(4, 1);
    const i = this.recurrentActivation(zi);
    const f = this.recurrentActivation(zf);
    const c = f.mul(cPrev).add(i.mul(this.activation(zc)));
    const o = this.recurrentActivation(zo);
    return [o.mul(this.activation(c)), c];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      recurrentActivation: serializeActivation(this.recurrentActivation),
      unitForgetBias: this.unitForgetBias,
    };
  }
}
