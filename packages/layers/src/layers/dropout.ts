// Dropout: zeroes a fraction of the inputs during training (inverted dropout), identity at inference.
import { dropout, type Tensor } from '@webdl/core';
import { Layer, type CallArgs, type LayerArgs, type Shape } from '../engine/layer.js';
import { layerArgs, type LayerParams, type OptionTable } from '../engine/options.js';
import { nextSeed } from '../initializers.js';
import { singleShape, singleTensor } from './layer-utils.js';

/**
 * Options of Dropout.
 *
 * ```ts
 * const args: layers.DropoutArgs = { seed: 1 };
 * new layers.Dropout(0.3, args);
 * ```
 */
export interface DropoutArgs extends LayerArgs {
  /** Seed of the first mask; later calls draw fresh masks from it. */
  seed?: number;
}

/**
 * Dropout's config object: the options plus `rate`.
 *
 * ```ts
 * const config: layers.DropoutConfig = { rate: 0.3, seed: 1 };
 * layers.dropout(config);
 * ```
 */
export type DropoutConfig = DropoutArgs & { rate: number };

const DROPOUT_POSITIONAL = ['rate'] as const;

/**
 * During training, zeroes each input with probability rate and scales the rest by 1/(1-rate).
 *
 * ```ts
 * const drop = new layers.Dropout(0.5);
 * drop.apply(ones([4, 4]), { training: true }); // about half zeros, the rest 2
 * ```
 */
export class Dropout extends Layer {
  static readonly className = 'Dropout';
  static readonly positional = DROPOUT_POSITIONAL;
  static readonly options: OptionTable<DropoutConfig> = { rate: true, seed: true };
  readonly rate: number;
  readonly seed: number | undefined;
  private calls = 0;

  constructor(...params: LayerParams<DropoutConfig, typeof DROPOUT_POSITIONAL>) {
    const args = layerArgs<DropoutConfig>(Dropout, params);
    const { rate } = args;
    super(args);
    if (!(rate >= 0 && rate < 1)) throw new Error(`Dropout: rate must be in [0, 1), got ${rate}`);
    this.rate = rate;
    this.seed = args.seed;
  }

  call(inputs: Tensor | Tensor[], args: CallArgs = {}): Tensor {
    const x = singleTensor(inputs, this.name);
    if (!args.training || this.rate === 0) return x;
    // A fixed seed gives a reproducible sequence of masks, not the same mask every step.
    const seed =
      this.seed === undefined ? nextSeed() : (this.seed + Math.imul(this.calls++, 0x9e3779b9)) >>> 0;
    return dropout(x, this.rate, { seed });
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return [...singleShape(inputShape, this.name)];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed };
  }
}
