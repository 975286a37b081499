// GaussianNoise layer: adds zero-mean normal noise while training (a regularizer); identity at inference.
import { randomNormal, type Tensor } from '@webdl/core';
import { Layer, type CallArgs, type LayerArgs, type Shape } from '../engine/layer.js';
import { layerArgs, type LayerParams, type OptionTable } from '../engine/options.js';
import { callSeed, singleShape, singleTensor } from './layer-utils.js';

/**
 * Options of GaussianNoise.
 *
 * ```ts
 * const args: layers.GaussianNoiseArgs = { seed: 7 };
 * new layers.GaussianNoise(0.05, args);
 * ```
 */
export interface GaussianNoiseArgs extends LayerArgs {
  /** Seed of the first draw; later calls draw fresh noise from it. */
  seed?: number;
}

/** GaussianNoise's config object: the options plus `stddev`. */
export type GaussianNoiseConfig = GaussianNoiseArgs & { stddev: number };

const GAUSSIANNOISE_POSITIONAL = ['stddev', 'seed'] as const;

/**
 * While training, `x + N(0, stddev²)`; unchanged otherwise.
 *
 * ```ts
 * new layers.GaussianNoise(0.1).apply(x, { training: true }); // x plus noise
 * ```
 */
export class GaussianNoise extends Layer {
  static readonly className = 'GaussianNoise';
  static readonly positional = GAUSSIANNOISE_POSITIONAL;
  static readonly options: OptionTable<GaussianNoiseConfig> = { stddev: true, seed: true };
  readonly stddev: number;
  readonly seed: number | undefined;
  private calls = 0;

  constructor(...params: LayerParams<GaussianNoiseConfig, typeof GAUSSIANNOISE_POSITIONAL>) {
    const args = layerArgs<GaussianNoiseConfig>(GaussianNoise, params);
    const { stddev } = args;
    super(args);
    if (!(stddev >= 0)) throw new Error(`GaussianNoise: stddev must be >= 0, got ${stddev}`);
    this.stddev = stddev;
    this.seed = args.seed;
  }

  call(inputs: Tensor | Tensor[], args: CallArgs = {}): Tensor {
    const x = singleTensor(inputs, this.name);
    if (!args.training || this.stddev === 0) return x;
    return x.add(randomNormal(x.shape, { stddev: this.stddev, seed: callSeed(this.seed, this.calls++) }));
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return [...singleShape(inputShape, this.name)];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), stddev: this.stddev, seed: this.seed };
  }
}
