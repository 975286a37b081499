// DepthwiseConv2D layer: one filter bank per input channel, on core's depthwiseConv2d.
import { depthwiseConv2d, type Tensor, type Variable } from '@webdl/core';
import { Layer, type CallArgs, type LayerArgs, type Shape } from '../engine/layer.js';
import { formatShape } from '../engine/format.js';
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
 * Options of DepthwiseConv2D (Keras names).
 *
 * ```ts
 * const args: layers.DepthwiseConv2DArgs = { padding: 'same', depthMultiplier: 1, useBias: false };
 * new layers.DepthwiseConv2D(3, args);
 * ```
 */
export interface DepthwiseConv2DArgs extends LayerArgs, PenaltyArgs<'depthwise' | 'bias'> {
  strides?: number | number[];
  padding?: PaddingMode;
  dataFormat?: 'channelsLast';
  dilationRate?: number | number[];
  depthMultiplier?: number;
  activation?: ActivationLike;
  useBias?: boolean;
  depthwiseInitializer?: InitializerOption;
  biasInitializer?: InitializerOption;
}

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
export class DepthwiseConv2D extends Layer {
  static readonly className = 'DepthwiseConv2D';
  static readonly positional = DEPTHWISE_POSITIONAL;
  static readonly options: OptionTable<DepthwiseConv2DConfig> = {
    kernelSize: true,
    strides: true,
    padding: true,
    dataFormat: true,
    dilationRate: true,
    depthMultiplier: true,
    activation: true,
    useBias: true,
    depthwiseInitializer: true,
    biasInitializer: true,
    ...penaltyOptions(['depthwise', 'bias']),
  };
  /** Regularizers and constraints of the weights. */
  readonly penalties: Record<'depthwise' | 'bias', WeightPenalty>;

  readonly kernelSize: number[];
  readonly strides: number[];
  readonly padding: PaddingMode;
  readonly dilationRate: number[];
  readonly depthMultiplier: number;
  readonly useBias: boolean;
  readonly activation: ActivationFn;
  private readonly depthwiseInitializer: Initializer;
  private readonly biasInitializer: Initializer;
  depthwiseKernel: Variable | null = null;
  bias: Variable | null = null;

  constructor(...params: LayerParams<DepthwiseConv2DConfig, typeof DEPTHWISE_POSITIONAL>) {
    const args = layerArgs<DepthwiseConv2DConfig>(DepthwiseConv2D, params);
    const { kernelSize } = args;
    super(args);
    checkDataFormat(args.dataFormat, 'DepthwiseConv2D');
    this.kernelSize = normalizeTuple(kernelSize, 2, 'DepthwiseConv2D kernelSize');
    this.strides = normalizeTuple(args.strides ?? 1, 2, 'DepthwiseConv2D strides');
    this.padding = normalizePadding(args.padding, 'DepthwiseConv2D');
    this.dilationRate = normalizeTuple(args.dilationRate ?? 1, 2, 'DepthwiseConv2D dilationRate');
    this.depthMultiplier = normalizeTuple(args.depthMultiplier ?? 1, 1, 'DepthwiseConv2D depthMultiplier')[0];
    this.useBias = args.useBias ?? true;
    this.activation = getActivation(args.activation);
    this.depthwiseInitializer = resolveInitializer(args.depthwiseInitializer, 'glorot_uniform');
    this.biasInitializer = resolveInitializer(args.biasInitializer, 'zeros');
    this.penalties = resolvePenalties(args, ['depthwise', 'bias'], 'DepthwiseConv2D');
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = singleShape(inputShape, this.name);
    if (shape.length !== 4)
      throw new Error(`${this.name}: expects NHWC input of rank 4, got ${formatShape(shape)}`);
    const inChannels = knownDim(shape[3], this.name, 'channel');
    this.depthwiseKernel = this.addWeight({
      name: 'depthwise_kernel',
      shape: [...this.kernelSize, inChannels, this.depthMultiplier],
      initializer: this.depthwiseInitializer,
      ...this.penalties.depthwise,
    });
    if (this.useBias)
      this.bias = this.addWeight({
        name: 'bias',
        shape: [inChannels * this.depthMultiplier],
        initializer: this.biasInitializer,
        ...this.penalties.bias,
      });
    this.built = true;
  }

  call(inputs: Tensor | Tensor[], _args: CallArgs): Tensor {
    const x = singleTensor(inputs, this.name);
    if (this.depthwiseKernel === null) throw new Error(`${this.name}: call before build`);
    let y = depthwiseConv2d(x, this.depthwiseKernel, {
      strides: [this.strides[0], this.strides[1]],
      padding: this.padding,
      dilations: [this.dilationRate[0], this.dilationRate[1]],
    });
    if (this.bias !== null) y = y.add(this.bias);
    return this.activation(y);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const [n, h, w, c] = singleShape(inputShape, this.name);
    return [
      n,
      convOutputLength(h, this.kernelSize[0], this.padding, this.strides[0], this.dilationRate[0]),
      convOutputLength(w, this.kernelSize[1], this.padding, this.strides[1], this.dilationRate[1]),
      c === null ? null : c * this.depthMultiplier,
    ];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      kernelSize: this.kernelSize,
      strides: this.strides,
      padding: this.padding,
      dataFormat: 'channelsLast',
      dilationRate: this.dilationRate,
      depthMultiplier: this.depthMultiplier,
      activation: serializeActivation(this.activation),
      useBias: this.useBias,
      depthwiseInitializer: initializerConfig(this.depthwiseInitializer),
      biasInitializer: initializerConfig(this.biasInitializer),
      ...penaltyConfig(this.penalties),
    };
  }
}
