// DepthwiseConv2D layer: one filter bank per input channel, on core's depthwiseConv2d.
import type { Tensor } from '@webdl/core';
import type { CallArgs, LayerArgs, Shape } from '../engine/layer.js';
import { layerArgs, type LayerParams, type OptionTable } from '../engine/options.js';
import { initializerConfig, singleShape, singleTensor } from './layer-utils.js';
import { DEPTHWISE_OPTIONS, DepthwiseBase, type DepthwiseSpatialArgs } from './depthwise-base.js';
import {
  penaltyConfig,
  penaltyOptions,
  resolvePenalties,
  type PenaltyArgs,
  type WeightPenalty,
} from './weight-penalties.js';

/**
 * Options of DepthwiseConv2D (Keras names).
 *
 * ```ts
 * const args: layers.DepthwiseConv2DArgs = { padding: 'same', depthMultiplier: 1, useBias: false };
 * new layers.DepthwiseConv2D(3, args);
 * ```
 */
export interface DepthwiseConv2DArgs
  extends LayerArgs, DepthwiseSpatialArgs, PenaltyArgs<'depthwise' | 'bias'> {}

/**
 * DepthwiseConv2D's config object: the options plus kernelSize.
 *
 * ```ts
 * const config: layers.DepthwiseConv2DConfig = { kernelSize: 3, depthMultiplier: 2 };
 * layers.depthwiseConv2d(config);
 * ```
 */
export type DepthwiseConv2DConfig = DepthwiseConv2DArgs & { kernelSize: number | number[] };

const DEPTHWISE_POSITIONAL = ['kernelSize', 'strides', 'padding'] as const;

/**
 * Depthwise 2-D convolution: each input channel gets `depthMultiplier` filters of its own;
 * the kernel is [kh, kw, inChannels, depthMultiplier].
 *
 * ```ts
 * const dw = new layers.DepthwiseConv2D(3, { padding: 'same', depthMultiplier: 2 });
 * dw.apply(zeros([1, 8, 8, 4])); // [1, 8, 8, 8]
 * ```
 */
export class DepthwiseConv2D extends DepthwiseBase {
  static readonly className = 'DepthwiseConv2D';
  static readonly positional = DEPTHWISE_POSITIONAL;
  static readonly options: OptionTable<DepthwiseConv2DConfig> = {
    ...DEPTHWISE_OPTIONS,
    ...penaltyOptions(['depthwise', 'bias']),
  };
  /** Regularizers and constraints of the weights. */
  readonly penalties: Record<'depthwise' | 'bias', WeightPenalty>;

  constructor(...params: LayerParams<DepthwiseConv2DConfig, typeof DEPTHWISE_POSITIONAL>) {
    const args = layerArgs<DepthwiseConv2DConfig>(DepthwiseConv2D, params);
    super(args, 'DepthwiseConv2D');
    this.penalties = resolvePenalties(args, ['depthwise', 'bias'], 'DepthwiseConv2D');
  }

  override build(inputShape: Shape | Shape[]): void {
    const inChannels = this.buildDepthwise(inputShape, this.penalties.depthwise);
    this.buildBias(inChannels * this.depthMultiplier, this.penalties.bias);
    this.built = true;
  }

  call(inputs: Tensor | Tensor[], _args: CallArgs): Tensor {
    return this.finish(this.depthwise(singleTensor(inputs, this.name)));
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const c = singleShape(inputShape, this.name)[3];
    return [...this.spatialOutput(inputShape), c === null ? null : c * this.depthMultiplier];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      ...this.depthwiseConfig(),
      biasInitializer: initializerConfig(this.biasInitializer),
      ...penaltyConfig(this.penalties),
    };
  }
}
