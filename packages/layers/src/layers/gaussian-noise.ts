// GaussianNoise layer: adds zero-mean normal noise while training (a regularizer); identity at inference.
import { randomNormal, type Tensor } from '@webdl/core';
import { Layer, type CallArgs, type LayerArgs, type Shape } from '../engine/layer.js';
import { callSeed, singleShape, singleTensor } from './layer-utils.js';

/** Options of GaussianNoise. */
export interface GaussianNoiseArgs extends LayerArgs {
  /** Seed of the first draw; later calls draw fresh noise from it. */
  seed?: number;
}

/**
 * While training, `x + N(0, stddev²)`; unchanged otherwise.
 *
 * ```ts
 * new layers.GaussianNoise(0.1).apply(x, { training: true }); // x plus noise
 * ```
 */
export class GaussianNoise extends Layer {
  static readonly className = 'GaussianNoise';
  readonly stddev: number;
  readonly seed: number | undefined;
  private calls = 0;

  constructor(stddev: number, args: GaussianNoiseArgs = {}) {
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
