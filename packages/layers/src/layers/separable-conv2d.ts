// SeparableConv2D layer: a depthwise convolution followed by a 1x1 pointwise convolution (Keras layout).
import { conv2d, depthwiseConv2d, type Tensor, type Variable } from '@webdl/core';
import { Layer, type CallArgs, type LayerArgs, type Shape } from '../engine/layer.js';
import { layerArgs, type LayerParams, type OptionTable } from '../engine/options.js';
import {
  getActivation,
  serializeActivation,
  type ActivationFn,
  type ActivationLike,
} from '../activations.js';
import type { Initializer } from '../initializers.js';
import {
  checkDataFormat,
  convOutputLength,
  normalizePadding,
  normalizeTuple,
  type PaddingMode,
} from './conv-utils.js';
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
 * Options of SeparableConv2D (Keras names).
 *
 * ```ts
 * const args: layers.SeparableConv2DArgs = { padding: 'same', depthMultiplier: 1, activation: 'relu' };
 * new layers.SeparableConv2D(64, 3, args);
 * ```
 */
export interface SeparableConv2DArgs extends LayerArgs, PenaltyArgs<'depthwise' | 'pointwise' | 'bias'> {
  strides?: number | number[];
  padding?: PaddingMode;
  dataFormat?: 'channelsLast';
  dilationRate?: number | number[];
  depthMultiplier?: number;
  activation?: ActivationLike;
  useBias?: boolean;
  depthwiseInitializer?: InitializerOption;
  pointwiseInitializer?: InitializerOption;
  biasInitializer?: InitializerOption;
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
export class SeparableConv2D extends Layer {
  static readonly className = 'SeparableConv2D';
  static readonly positional = SEPARABLECONV2D_POSITIONAL;
  static readonly options: OptionTable<SeparableConv2DConfig> = {
    filters: true,
    kernelSize: true,
    strides: true,
    padding: true,
    dataFormat: true,
    dilationRate: true,
    depthMultiplier: true,
    activation: true,
    useBias: true,
    depthwiseInitializer: true,
    pointwiseInitializer: true,
    biasInitializer: true,
    ...penaltyOptions(['depthwise', 'pointwise', 'bias']),
  };
  /** Regularizers and constraints of the weights. */
  readonly penalties: Record<'depthwise' | 'pointwise' | 'bias', WeightPenalty>;

  readonly filters: number;
  readonly kernelSize: number[];
  readonly strides: number[];
  readonly padding: PaddingMode;
  readonly dilationRate: number[];
  readonly depthMultiplier: number;
  readonly useBias: boolean;
  readonly activation: ActivationFn;
  private readonly depthwiseInitializer: Initializer;
  private readonly pointwiseInitializer: Initializer;
  private readonly biasInitializer: Initializer;
  depthwiseKernel: Variable | null = null;
  pointwiseKernel: Variable | null = null;
  bias: Variable | null = null;

  constructor(...params: LayerParams<SeparableConv2DConfig, typeof SEPARABLECONV2D_POSITIONAL>) {
    const args = layerArgs<SeparableConv2DConfig>(SeparableConv2D, params);
    const { filters, kernelSize } = args;
    super(args);
    if (!Number.isInteger(filters) || filters < 1)
      throw new Error(`SeparableConv2D: filters must be a positive integer, got ${filters}`);
    checkDataFormat(args.dataFormat, 'SeparableConv2D');
    this.filters = filters;
    this.kernelSize = normalizeTuple(kernelSize, 2, 'SeparableConv2D kernelSize');
    this.strides = normalizeTuple(args.strides ?? 1, 2, 'SeparableConv2D strides');
    this.padding = normalizePadding(args.padding, 'SeparableConv2D');
    this.dilationRate = normalizeTuple(args.dilationRate ?? 1, 2, 'SeparableConv2D dilationRate');
    this.depthMultiplier = normalizeTuple(args.depthMultiplier ?? 1, 1, 'SeparableConv2D depthMultiplier')[0];
    this.useBias = args.useBias ?? true;
    this.activation = getActivation(args.activation);
    this.depthwiseInitializer = resolveInitializer(args.depthwiseInitializer, 'glorot_uniform');
    this.pointwiseInitializer = resolveInitializer(args.pointwiseInitializer, 'glorot_uniform');
    this.biasInitializer = resolveInitializer(args.biasInitializer, 'zeros');
    this.penalties = resolvePenalties(args, ['depthwise', 'pointwise', 'bias'], 'SeparableConv2D');
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = singleShape(inputShape, this.name);
    if (shape.length !== 4)
      throw new Error(`${this.name}: expects NHWC input of rank 4, got [${shape.join(',')}]`);
    const inChannels = knownDim(shape[3], this.name, 'channel');
    this.depthwiseKernel = this.addWeight({
      name: 'depthwise_kernel',
      shape: [...this.kernelSize, inChannels, this.depthMultiplier],
      initializer: this.depthwiseInitializer,
      ...this.penalties.depthwise,
    });
    this.pointwiseKernel = this.addWeight({
      name: 'pointwise_kernel',
      shape: [1, 1, inChannels * this.depthMultiplier, this.filters],
      initializer: this.pointwiseInitializer,
      ...this.penalties.pointwise,
    });
    if (this.useBias)
      this.bias = this.addWeight({
        name: 'bias',
        shape: [this.filters],
        initializer: this.biasInitializer,
        ...this.penalties.bias,
      });
    this.built = true;
  }

  call(inputs: Tensor | Tensor[], _args: CallArgs): Tensor {
    const x = singleTensor(inputs, this.name);
    if (this.depthwiseKernel === null || this.pointwiseKernel === null)
      throw new Error(`${this.name}: call before build`);
    const depthwise = depthwiseConv2d(x, this.depthwiseKernel, {
      strides: [this.strides[0], this.strides[1]],
      padding: this.padding,
      dilations: [this.dilationRate[0], this.dilationRate[1]],
    });
    let y = conv2d(depthwise, this.pointwiseKernel, { strides: [1, 1], padding: 'valid' });
    if (this.bias !== null) y = y.add(this.bias);
    return this.activation(y);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const [n, h, w] = singleShape(inputShape, this.name);
    return [
      n,
      convOutputLength(h, this.kernelSize[0], this.padding, this.strides[0], this.dilationRate[0]),
      convOutputLength(w, this.kernelSize[1], this.padding, this.strides[1], this.dilationRate[1]),
      this.filters,
    ];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      filters: this.filters,
      kernelSize: this.kernelSize,
      strides: this.strides,
      padding: this.padding,
      dataFormat: 'channelsLast',
      dilationRate: this.dilationRate,
      depthMultiplier: this.depthMultiplier,
      activation: serializeActivation(this.activation),
      useBias: this.useBias,
      depthwiseInitializer: initializerConfig(this.depthwiseInitializer),
      pointwiseInitializer: initializerConfig(this.pointwiseInitializer),
      biasInitializer: initializerConfig(this.biasInitializer),
      ...penaltyConfig(this.penalties),
    };
  }
}
