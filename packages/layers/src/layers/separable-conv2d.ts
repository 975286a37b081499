// SeparableConv2D layer: a depthwise convolution followed by a 1x1 pointwise convolution (Keras layout).
import { conv2d, type Tensor, type Variable } from '@webdl/core';
import type { CallArgs, LayerArgs, Shape } from '../engine/layer.js';
import { layerArgs, type LayerParams, type OptionTable } from '../engine/options.js';
import type { Initializer } from '../initializers.js';
import {
  initializerConfig,
  resolveInitializer,
  singleTensor,
  type InitializerOption,
} from './layer-utils.js';
import { DEPTHWISE_OPTIONS, DepthwiseBase, type DepthwiseSpatialArgs } from './depthwise-base.js';
import {
  penaltyConfig,
  penaltyOptions,
  resolvePenalties,
  type PenaltyArgs,
  type WeightPenalty,
} from './weight-penalties.js';

/**
 * Options of SeparableConv2D (Keras names).
 *
 * ```ts
 * const args: layers.SeparableConv2DArgs = { padding: 'same', depthMultiplier: 1, activation: 'relu' };
 * new layers.SeparableConv2D(64, 3, args);
 * ```
 */
export interface SeparableConv2DArgs
  extends LayerArgs, DepthwiseSpatialArgs, PenaltyArgs<'depthwise' | 'pointwise' | 'bias'> {
  pointwiseInitializer?: InitializerOption;
}

/** SeparableConv2D's config object: the options plus filters and kernelSize. */
export type SeparableConv2DConfig = SeparableConv2DArgs & { filters: number; kernelSize: number | number[] };

const SEPARABLECONV2D_POSITIONAL = ['filters', 'kernelSize', 'strides', 'padding'] as const;

/**
 * Depthwise-separable 2-D convolution: depthwise kernel [kh, kw, inChannels, depthMultiplier], then
 * pointwise kernel [1, 1, inChannels * depthMultiplier, filters], then bias [filters].
 *
 * ```ts
 * const sep = new layers.SeparableConv2D(16, 3, { padding: 'same' });
 * sep.apply(zeros([1, 8, 8, 4])); // [1, 8, 8, 16]
 * ```
 */
export class SeparableConv2D extends DepthwiseBase {
  static readonly className = 'SeparableConv2D';
  static readonly positional = SEPARABLECONV2D_POSITIONAL;
  static readonly options: OptionTable<SeparableConv2DConfig> = {
    filters: true,
    ...DEPTHWISE_OPTIONS,
    pointwiseInitializer: true,
    ...penaltyOptions(['depthwise', 'pointwise', 'bias']),
  };
  /** Regularizers and constraints of the weights. */
  readonly penalties: Record<'depthwise' | 'pointwise' | 'bias', WeightPenalty>;

  readonly filters: number;
  private readonly pointwiseInitializer: Initializer;
  pointwiseKernel: Variable | null = null;

  constructor(...params: LayerParams<SeparableConv2DConfig, typeof SEPARABLECONV2D_POSITIONAL>) {
    const args = layerArgs<SeparableConv2DConfig>(SeparableConv2D, params);
    const { filters } = args;
    if (!Number.isInteger(filters) || filters < 1)
      throw new Error(`SeparableConv2D: filters must be a positive integer, got ${filters}`);
    super(args, 'SeparableConv2D');
    this.filters = filters;
    this.pointwiseInitializer = resolveInitializer(args.pointwiseInitializer, 'glorot_uniform');
    this.penalties = resolvePenalties(args, ['depthwise', 'pointwise', 'bias'], 'SeparableConv2D');
  }

  override build(inputShape: Shape | Shape[]): void {
    const inChannels = this.buildDepthwise(inputShape, this.penalties.depthwise);
    this.pointwiseKernel = this.addWeight({
      name: 'pointwise_kernel',
      shape: [1, 1, inChannels * this.depthMultiplier, this.filters],
      initializer: this.pointwiseInitializer,
      ...this.penalties.pointwise,
    });
    this.buildBias(this.filters, this.penalties.bias);
    this.built = true;
  }

  call(inputs: Tensor | Tensor[], _args: CallArgs): Tensor {
    const depthwise = this.depthwise(singleTensor(inputs, this.name));
    if (this.pointwiseKernel === null) throw new Error(`${this.name}: call before build`);
    return this.finish(conv2d(depthwise, this.pointwiseKernel, { strides: [1, 1], padding: 'valid' }));
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return [...this.spatialOutput(inputShape), this.filters];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      filters: this.filters,
      ...this.depthwiseConfig(),
      pointwiseInitializer: initializerConfig(this.pointwiseInitializer),
      biasInitializer: initializerConfig(this.biasInitializer),
      ...penaltyConfig(this.penalties),
    };
  }
}
