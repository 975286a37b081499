// GRU layer (Cho et al.), Keras gate order z, r, h; reset_after (Keras 3 default) or reset-before (TensorFlow.js).
import type { Tensor, Variable } from '@webdl/core';
import {
  getActivation,
  serializeActivation,
  type ActivationFn,
  type ActivationLike,
} from '../../activations.js';
import { RNN, RNN_OPTIONS, RNN_POSITIONAL, type RNNArgs, type RNNWeights } from './base.js';
import { layerArgs, type LayerParams, type OptionTable } from '../../engine/options.js';

/**
 * Options of GRU (Keras names and defaults).
 *
 * ```ts
 * const args: layers.GRUArgs = { returnSequences: true, resetAfter: true };
 * new layers.GRU(32, args);
 * ```
 */
export interface GRUArgs extends RNNArgs {
  recurrentActivation?: ActivationLike;
  /**
   * Apply the reset gate after the recurrent matmul (default true, as Keras 3 and cuDNN; the bias is
   * then [2, 3*units]: input and recurrent biases). False is the original formulation and what
   * TensorFlow.js implements (bias [3*units]).
   */
  resetAfter?: boolean;
}

/**
 * GRU's config object: the options plus units.
 *
 * ```ts
 * const config: layers.GRUConfig = { units: 32, returnSequences: true };
 * layers.gru(config);
 * ```
 */
export type GRUConfig = GRUArgs & { units: number };

/**
 * Gated recurrent unit layer. Weights as Keras: kernel [features, 3*units], recurrentKernel
 * [units, 3*units], gates update (z), reset (r), candidate (h); `h_t = z * h_{t-1} + (1 - z) * hh`.
 *
 * ```ts
 * const gru = new layers.GRU(16, { returnSequences: true });
 * gru.apply(randomNormal([4, 10, 3])); // [4, 10, 16]
 * ```
 */
export class GRU extends RNN {
  static readonly className = 'GRU';
  static override readonly options: OptionTable<GRUConfig> = {
    ...RNN_OPTIONS,
    recurrentActivation: true,
    resetAfter: true,
  };
  readonly recurrentActivation: ActivationFn;
  readonly resetAfter: boolean;

  constructor(...params: LayerParams<GRUConfig, typeof RNN_POSITIONAL>) {
    const args = layerArgs<GRUConfig>(GRU, params);
    super(args, 'tanh');
    this.recurrentActivation = getActivation(
      args.recurrentActivation === undefined ? 'sigmoid' : args.recurrentActivation,
    );
    this.resetAfter = args.resetAfter ?? true;
  }

  protected get gates(): number {
    return 3;
  }

  protected get numStates(): number {
    return 1;
  }

  protected override biasShape(): number[] {
    return this.resetAfter ? [2, 3 * this.units] : [3 * this.units];
  }

  protected override inputBias(bias: Variable): Tensor {
    return this.resetAfter ? bias.slice([0, 0], [1, 3 * this.units]).reshape([3 * this.units]) : bias;
  }

  protected step(xProj: Tensor, states: Tensor[], hDropped: Tensor, w: RNNWeights): Tensor[] {
    const [hPrev] = states;
    const u = this.units;
    const [xz, xr, xh] = xProj.split(3, 1);
    let z: Tensor;
    let hh: Tensor;
    if (this.resetAfter) {
      let inner = hDropped.matmul(w.recurrentKernel);
      if (w.bias !== null) inner = inner.add(w.bias.slice([1, 0], [1, 3 * u]));
      const [rz, rr, rh] = inner.split(3, 1);
      z = this.recurrentActivation(xz.add(rz));
      const r = this.recurrentActivation(xr.add(rr));
      hh = this.activation(xh.add(r.mul(rh)));
    } else {
      const [kzr, kh] = w.recurrentKernel.split([2 * u, u], 1);
      const [rz, rr] = hDropped.matmul(kzr).split(2, 1);
      z = this.recurrentActivation(xz.add(rz));
      const r = this.recurrentActivation(xr.add(rr));
      hh = this.activation(xh.add(r.mul(hDropped).matmul(kh)));
    }
    return [z.mul(hPrev).add(z.neg().add(1).mul(hh))];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      recurrentActivation: serializeActivation(this.recurrentActivation),
      resetAfter: this.resetAfter,
    };
  }
}
