// GroupNormalization layer: normalizes each sample over groups of channels (and all spatial positions).
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
import {
  penaltyConfig,
  penaltyOptions,
  resolvePenalties,
  type PenaltyArgs,
  type WeightPenalty,
} from './weight-penalties.js';

/**
 * Options of GroupNormalization (Keras names and defaults).
 *
 * ```ts
 * const args: layers.GroupNormalizationArgs = { groups: 8, epsilon: 1e-5 };
 * new layers.GroupNormalization(args);
 * ```
 */
export interface GroupNormalizationArgs extends LayerArgs, PenaltyArgs<'beta' | 'gamma'> {
  /** Number of channel groups (default 32); must divide the channels. */
  groups?: number;
  /** The channel axis: only the last one (-1) is supported. */
  axis?: number;
  epsilon?: number;
  center?: boolean;
  scale?: boolean;
  betaInitializer?: InitializerOption;
  gammaInitializer?: InitializerOption;
}

const GROUPNORMALIZATION_POSITIONAL = ['groups', 'axis', 'epsilon'] as const;

/**
 * Splits the channels into `groups` and normalizes each group of each sample by its mean and
 * variance over the group's channels and every position, then applies gamma and beta per channel.
 * groups = channels is InstanceNormalization, groups = 1 a LayerNormalization over everything.
 *
 * ```ts
 * new layers.GroupNormalization({ groups: 4 }).apply(randomNormal([2, 8, 8, 16]));
 * ```
 */
export class GroupNormalization extends Layer {
  static readonly className = 'GroupNormalization';
  static readonly positional = GROUPNORMALIZATION_POSITIONAL;
  static readonly options: OptionTable<GroupNormalizationArgs> = {
    groups: true,
    axis: true,
    epsilon: true,
    center: true,
    scale: true,
    betaInitializer: true,
    gammaInitializer: true,
    ...penaltyOptions(['beta', 'gamma']),
  };
  /** Regularizers and constraints of gamma and beta. */
  readonly penalties: Record<'beta' | 'gamma', WeightPenalty>;
  readonly groups: number;
  readonly axis: number;
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  private readonly betaInitializer: Initializer;
  private readonly gammaInitializer: Initializer;
  gamma: Variable | null = null;
  beta: Variable | null = null;

  constructor(...params: LayerParams<GroupNormalizationArgs, typeof GROUPNORMALIZATION_POSITIONAL>) {
    const args = layerArgs<GroupNormalizationArgs>(GroupNormalization, params);
    super(args);
    this.groups = args.groups ?? 32;
    if (!Number.isInteger(this.groups) || this.groups < 1)
      throw new Error(`GroupNormalization: groups must be a positive integer, got ${this.groups}`);
    this.axis = args.axis ?? -1;
    this.epsilon = args.epsilon ?? 1e-3;
    this.center = args.center ?? true;
    this.scale = args.scale ?? true;
    this.betaInitializer = resolveInitializer(args.betaInitializer, 'zeros');
    this.gammaInitializer = resolveInitializer(args.gammaInitializer, 'ones');
    this.penalties = resolvePenalties(args, ['beta', 'gamma'], 'GroupNormalization');
  }

  private channels(shape: Shape): number {
    if (shape.length < 2 || (this.axis !== -1 && this.axis !== shape.length - 1))
      throw new Error(
        `${this.name}: only the last axis can be the channel axis, got axis ${this.axis} for [${shape.join(',')}]`,
      );
    const c = knownDim(shape[shape.length - 1], this.name, 'channel');
    if (c % this.groups !== 0)
      throw new Error(`${this.name}: groups (${this.groups}) must divide the ${c} channels`);
    return c;
  }

  override build(inputShape: Shape | Shape[]): void {
    const c = this.channels(singleShape(inputShape, this.name));
    if (this.scale)
      this.gamma = this.addWeight({
        name: 'gamma',
        shape: [c],
        initializer: this.gammaInitializer,
        ...this.penalties.gamma,
      });
    if (this.center)
      this.beta = this.addWeight({
        name: 'beta',
        shape: [c],
        initializer: this.betaInitializer,
        ...this.penalties.beta,
      });
    this.built = true;
  }

  call(inputs: Tensor | Tensor[], _args: CallArgs): Tensor {
    const x = singleTensor(inputs, this.name);
    const c = this.channels([...x.shape]);
    // [N, ...spatial, C] → [N, ...spatial, G, C/G]; statistics over everything but N and G.
    const grouped = x.reshape([...x.shape.slice(0, -1), this.groups, c / this.groups]);
    const axes = Array.from({ length: grouped.rank - 1 }, (_, i) => i + 1).filter(
      (a) => a !== grouped.rank - 2,
    );
    const { mean, variance } = moments(grouped, axes, true);
    let y = grouped
      .sub(mean)
      .mul(variance.add(this.epsilon).rsqrt())
      .reshape([...x.shape]);
    if (this.gamma !== null) y = y.mul(this.gamma);
    if (this.beta !== null) y = y.add(this.beta);
    return y;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return [...singleShape(inputShape, this.name)];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      groups: this.groups,
      axis: this.axis,
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      betaInitializer: initializerConfig(this.betaInitializer),
      gammaInitializer: initializerConfig(this.gammaInitializer),
      ...penaltyConfig(this.penalties),
    };
  }
}
