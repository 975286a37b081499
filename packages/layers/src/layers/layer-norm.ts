// LayerNormalization layer: normalizes each sample over its feature axes, then scales and shifts.
import { moments, type Tensor, type Variable } from '@webdl/core';
import { Layer, type CallArgs, type LayerArgs, type Shape } from '../engine/layer.js';
import { layerArgs, type LayerParams, type OptionTable } from '../engine/options.js';
import type { Initializer } from '../initializers.js';
import {
  initializerConfig,
  knownDim,
  resolveInitializer,
  singleShape,
  singleTensor,
  type InitializerOption,
} from './layer-utils.js';

/**
 * Options of LayerNormalization (Keras names and defaults).
 *
 * ```ts
 * const args: layers.LayerNormalizationArgs = { axis: -1, epsilon: 1e-6 };
 * new layers.LayerNormalization(args);
 * ```
 */
export interface LayerNormalizationArgs extends LayerArgs {
  /** Axis or axes normalized over (default -1). */
  axis?: number | number[];
  /** Added to the variance (default 1e-3). */
  epsilon?: number;
  center?: boolean;
  scale?: boolean;
  betaInitializer?: InitializerOption;
  gammaInitializer?: InitializerOption;
}

const LAYER_NORM_POSITIONAL = ['axis', 'epsilon'] as const;

/**
 * Layer normalization: `(x - mean) / sqrt(var + epsilon) * gamma + beta`, with mean and variance
 * per sample over `axis`; gamma and beta have the shape of those axes.
 *
 * ```ts
 * const ln = new layers.LayerNormalization();
 * ln.apply(randomNormal([2, 5, 16])); // each [16] vector normalized
 * ```
 */
export class LayerNormalization extends Layer {
  static readonly className = 'LayerNormalization';
  static readonly positional = LAYER_NORM_POSITIONAL;
  static readonly options: OptionTable<LayerNormalizationArgs> = {
    axis: true,
    epsilon: true,
    center: true,
    scale: true,
    betaInitializer: true,
    gammaInitializer: true,
  };
  readonly axis: number[];
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  private readonly betaInitializer: Initializer;
  private readonly gammaInitializer: Initializer;
  gamma: Variable | null = null;
  beta: Variable | null = null;

  constructor(...params: LayerParams<LayerNormalizationArgs, typeof LAYER_NORM_POSITIONAL>) {
    const args = layerArgs<LayerNormalizationArgs>(LayerNormalization, params);
    super(args);
    this.axis = typeof args.axis === 'number' ? [args.axis] : [...(args.axis ?? [-1])];
    this.epsilon = args.epsilon ?? 1e-3;
    if (!(this.epsilon >= 0))
      throw new Error(`LayerNormalization: epsilon must be >= 0, got ${this.epsilon}`);
    this.center = args.center ?? true;
    this.scale = args.scale ?? true;
    this.betaInitializer = resolveInitializer(args.betaInitializer, 'zeros');
    this.gammaInitializer = resolveInitializer(args.gammaInitializer, 'ones');
  }

  private axes(rank: number): number[] {
    const axes = this.axis.map((a) => (a < 0 ? a + rank : a));
    if (axes.some((a) => a < 1 || a >= rank))
      throw new Error(
        `${this.name}: axis ${JSON.stringify(this.axis)} is out of range for input rank ${rank}`,
      );
    return [...new Set(axes)].sort((a, b) => a - b);
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = singleShape(inputShape, this.name);
    const paramShape = this.axes(shape.length).map((a) => knownDim(shape[a], this.name, `axis ${a}`));
    if (this.scale)
      this.gamma = this.addWeight({ name: 'gamma', shape: paramShape, initializer: this.gammaInitializer });
    if (this.center)
      this.beta = this.addWeight({ name: 'beta', shape: paramShape, initializer: this.betaInitializer });
    this.built = true;
  }

  call(inputs: Tensor | Tensor[], _args: CallArgs): Tensor {
    const x = singleTensor(inputs, this.name);
    const axes = this.axes(x.rank);
    // gamma/beta of shape [d_a...] broadcast as [1, .., d_a, .., 1].
    const bshape = x.shape.map((d, i) => (axes.includes(i) ? d : 1));
    const { mean, variance } = moments(x, axes, true);
    let y = x.sub(mean).mul(variance.add(this.epsilon).rsqrt());
    if (this.gamma !== null) y = y.mul(this.gamma.reshape(bshape));
    if (this.beta !== null) y = y.add(this.beta.reshape(bshape));
    return y;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return [...singleShape(inputShape, this.name)];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      axis: this.axis,
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      betaInitializer: initializerConfig(this.betaInitializer),
      gammaInitializer: initializerConfig(this.gammaInitializer),
    };
  }
}
