// BatchNormalization layer: batch statistics in training, moving averages (non-trainable weights) in inference.
import { moments, tidy, type Tensor, type Variable } from '@webdl/core';
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
 * Options of BatchNormalization (Keras names and defaults).
 *
 * ```ts
 * const args: layers.BatchNormalizationArgs = { momentum: 0.99, epsilon: 1e-3, axis: -1 };
 * new layers.BatchNormalization(args);
 * ```
 */
export interface BatchNormalizationArgs extends LayerArgs {
  /** The features axis (default -1, channels-last). */
  axis?: number;
  /** Moving averages keep `momentum` of their value per training step (default 0.99). */
  momentum?: number;
  /** Added to the variance (default 1e-3). */
  epsilon?: number;
  center?: boolean;
  scale?: boolean;
  betaInitializer?: InitializerOption;
  gammaInitializer?: InitializerOption;
  movingMeanInitializer?: InitializerOption;
  movingVarianceInitializer?: InitializerOption;
}

const BATCH_NORM_POSITIONAL = ['axis', 'momentum', 'epsilon'] as const;

/**
 * Normalizes each feature with the batch's mean and variance while training (updating moving
 * averages: `moving = moving * momentum + batch * (1 - momentum)`), and with the moving averages
 * in inference; then scales by gamma and shifts by beta. As Keras 3, a frozen layer
 * (`trainable = false`) always runs in inference mode, and the batch variance is the biased one.
 *
 * ```ts
 * const bn = new layers.BatchNormalization();
 * bn.apply(x, { training: true }); // normalized with batch statistics, moving stats updated
 * bn.apply(x);                     // normalized with the moving statistics
 * ```
 */
export class BatchNormalization extends Layer {
  static readonly className = 'BatchNormalization';
  static readonly positional = BATCH_NORM_POSITIONAL;
  static readonly options: OptionTable<BatchNormalizationArgs> = {
    axis: true,
    momentum: true,
    epsilon: true,
    center: true,
    scale: true,
    betaInitializer: true,
    gammaInitializer: true,
    movingMeanInitializer: true,
    movingVarianceInitializer: true,
  };
  readonly axis: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  private readonly betaInitializer: Initializer;
  private readonly gammaInitializer: Initializer;
  private readonly movingMeanInitializer: Initializer;
  private readonly movingVarianceInitializer: Initializer;
  gamma: Variable | null = null;
  beta: Variable | null = null;
  movingMean: Variable | null = null;
  movingVariance: Variable | null = null;

  constructor(...params: LayerParams<BatchNormalizationArgs, typeof BATCH_NORM_POSITIONAL>) {
    const args = layerArgs<BatchNormalizationArgs>(BatchNormalization, params);
    super(args);
    this.axis = args.axis ?? -1;
    this.momentum = args.momentum ?? 0.99;
    this.epsilon = args.epsilon ?? 1e-3;
    if (!(this.momentum >= 0 && this.momentum <= 1))
      throw new Error(`BatchNormalization: momentum must be in [0, 1], got ${this.momentum}`);
    if (!(this.epsilon >= 0))
      throw new Error(`BatchNormalization: epsilon must be >= 0, got ${this.epsilon}`);
    this.center = args.center ?? true;
    this.scale = args.scale ?? true;
    this.betaInitializer = resolveInitializer(args.betaInitializer, 'zeros');
    this.gammaInitializer = resolveInitializer(args.gammaInitializer, 'ones');
    this.movingMeanInitializer = resolveInitializer(args.movingMeanInitializer, 'zeros');
    this.movingVarianceInitializer = resolveInitializer(args.movingVarianceInitializer, 'ones');
  }

  private featureAxis(rank: number): number {
    const a = this.axis < 0 ? this.axis + rank : this.axis;
    if (a < 1 || a >= rank)
      throw new Error(
        `${this.name}: axis ${this.axis} is out of range for input rank ${rank} (the batch axis cannot be normalized over)`,
      );
    return a;
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = singleShape(inputShape, this.name);
    const dim = knownDim(shape[this.featureAxis(shape.length)], this.name, 'feature');
    if (this.scale)
      this.gamma = this.addWeight({ name: 'gamma', shape: [dim], initializer: this.gammaInitializer });
    if (this.center)
      this.beta = this.addWeight({ name: 'beta', shape: [dim], initializer: this.betaInitializer });
    this.movingMean = this.addWeight({
      name: 'moving_mean',
      shape: [dim],
      initializer: this.movingMeanInitializer,
      trainable: false,
    });
    this.movingVariance = this.addWeight({
      name: 'moving_variance',
      shape: [dim],
      initializer: this.movingVarianceInitializer,
      trainable: false,
    });
    this.built = true;
  }

  call(inputs: Tensor | Tensor[], args: CallArgs): Tensor {
    const x = singleTensor(inputs, this.name);
    if (this.movingMean === null || this.movingVariance === null)
      throw new Error(`${this.name}: call before build`);
    const axis = this.featureAxis(x.rank);
    // Statistics broadcast along the feature axis: [dim] reshaped to [1, .., dim, .., 1].
    const bshape = x.shape.map((d, i) => (i === axis ? d : 1));
    const reduceAxes = x.shape.map((_, i) => i).filter((i) => i !== axis);
    let mean: Tensor;
    let variance: Tensor;
    if (args.training === true && this.trainable) {
      const m = moments(x, reduceAxes, false);
      mean = m.mean;
      variance = m.variance;
      this.updateMoving(this.movingMean, mean);
      this.updateMoving(this.movingVariance, variance);
    } else {
      mean = this.movingMean;
      variance = this.movingVariance;
    }
    let y = x.sub(mean.reshape(bshape)).mul(variance.add(this.epsilon).rsqrt().reshape(bshape));
    if (this.gamma !== null) y = y.mul(this.gamma.reshape(bshape));
    if (this.beta !== null) y = y.add(this.beta.reshape(bshape));
    return y;
  }

  /** moving <- moving * momentum + value * (1 - momentum), outside the gradient's concern. */
  private updateMoving(moving: Variable, value: Tensor): void {
    tidy(() => {
      moving.assign(moving.mul(this.momentum).add(value.mul(1 - this.momentum)));
    });
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return [...singleShape(inputShape, this.name)];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      axis: this.axis,
      momentum: this.momentum,
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      betaInitializer: initializerConfig(this.betaInitializer),
      gammaInitializer: initializerConfig(this.gammaInitializer),
      movingMeanInitializer: initializerConfig(this.movingMeanInitializer),
      movingVarianceInitializer: initializerConfig(this.movingVarianceInitializer),
    };
  }
}
