// GaussianDropout layer: multiplies by N(1, rate / (1 - rate)) noise while training; identity at inference.
import { randomNormal, type Tensor } from '@webdl/core';
import { Layer, type CallArgs, type LayerArgs, type Shape } from '../engine/layer.js';
import { layerArgs, type LayerParams, type OptionTable } from '../engine/options.js';
import { callSeed, singleShape, singleTensor } from './layer-utils.js';

/**
 * Options of GaussianDropout.
 *
 * ```ts
 * const args: layers.GaussianDropoutArgs = { seed: 7 };
 * new layers.GaussianDropout(0.1, args);
 * ```
 */
export interface GaussianDropoutArgs extends LayerArgs {
  /** Seed of the first draw; later calls draw fresh noise from it. */
  seed?: number;
}

/** GaussianDropout's config object: the options plus `rate`. */
export type GaussianDropoutConfig = GaussianDropoutArgs & { rate: number };

const GAUSSIANDROPOUT_POSITIONAL = ['rate', 'seed'] as const;

/**
 * While training, `x * N(1, stddev²)` with `stddev = sqrt(rate / (1 - rate))`; unchanged otherwise.
 *
 * ```ts
 * new layers.GaussianDropout(0.2).apply(x, { training: true });
 * ```
 */
export class GaussianDropout extends Layer {
  static readonly className = 'GaussianDropout';
  static readonly positional = GAUSSIANDROPOUT_POSITIONAL;
  static readonly options: OptionTable<GaussianDropoutConfig> = { rate: true, seed: true };
  readonly rate: number;
  readonly seed: number | undefined;
  private calls = 0;

  constructor(...params: LayerParams<GaussianDropoutConfig, typeof GAUSSIANDROPOUT_POSITIONAL>) {
    const args = layerArgs<GaussianDropoutConfig>(GaussianDropout, params);
    const { rate } = args;
    super(args);
    if (!(rate >= 0 && rate < 1)) throw new Error(`GaussianDropout: rate must be in [0, 1), got ${rate}`);
    this.rate = rate;
    this.seed = args.seed;
  }

  call(inputs: Tensor | Tensor[], args: CallArgs = {}): Tensor {
    const x = singleTensor(inputs, this.name);
    if (!args.training || this.rate === 0) return x;
    const stddev = Math.sqrt(this.rate / (1 - this.rate));
    return x.mul(randomNormal(x.shape, { mean: 1, stddev, seed: callSeed(this.seed, this.calls++) }));
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return [...singleShape(inputShape, this.name)];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed };
  }
}
