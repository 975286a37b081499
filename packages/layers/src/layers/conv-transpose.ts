// Conv2DTranspose layer (a.k.a. deconvolution), channels-last, on core's conv2dTranspose.
import { conv2dTranspose, type Tensor, type Variable } from '@webdl/core';
import { Layer, type CallArgs, type Shape } from '../engine/layer.js';
import { formatShape } from '../engine/format.js';
import { layerArgs, type LayerParams } from '../engine/options.js';
import { getActivation, serializeActivation, type ActivationFn } from '../activations.js';
import type { Initializer } from '../initializers.js';
import {
  checkDataFormat,
  deconvOutputLength,
  normalizePadding,
  normalizeTuple,
  type PaddingMode,
} from './conv-utils.js';
import { CONV_OPTIONS, CONV_POSITIONAL, type ConvConfig } from './conv.js';
import { initializerConfig, knownDim, resolveInitializer, singleShape, singleTensor } from './layer-utils.js';
import { penaltyConfig, resolvePenalties, type WeightPenalty } from './weight-penalties.js';

/**
 * Transposed 2-D convolution: upsamples NHWC images (the gradient of Conv2D with respect to its input).
 * The kernel is [kh, kw, filters, inChannels] as in Keras.
 *
 * ```ts
 * const up = new layers.Conv2DTranspose(16, 3, { strides: 2, padding: 'same' });
 * up.apply(zeros([4, 7, 7, 32])); // [4, 14, 14, 16]
 * ```
 */
export class Conv2DTranspose extends Layer {
  static readonly className = 'Conv2DTranspose';
  static readonly positional = CONV_POSITIONAL;
  static readonly options = CONV_OPTIONS;
  readonly filters: number;
  readonly kernelSize: number[];
  readonly strides: number[];
  readonly padding: PaddingMode;
  readonly useBias: boolean;
  readonly activation: ActivationFn;
  private readonly kernelInitializer: Initializer;
  private readonly biasInitializer: Initializer;
  kernel: Variable | null = null;
  /** Regularizers and constraints of the weights. */
  readonly penalties: Record<'kernel' | 'bias', WeightPenalty>;
  bias: Variable | null = null;

  constructor(...params: LayerParams<ConvConfig, typeof CONV_POSITIONAL>) {
    const args = layerArgs<ConvConfig>(Conv2DTranspose, params);
    const { filters, kernelSize } = args;
    super(args);
    if (!Number.isInteger(filters) || filters < 1)
      throw new Error(`Conv2DTranspose: filters must be a positive integer, got ${filters}`);
    checkDataFormat(args.dataFormat, 'Conv2DTranspose');
    const dil = normalizeTuple(args.dilationRate ?? 1, 2, 'Conv2DTranspose dilationRate');
    if (dil[0] !== 1 || dil[1] !== 1)
      throw new Error('Conv2DTranspose: dilationRate other than 1 is not supported');
    if ((args.groups ?? 1) !== 1)
      throw new Error(`Conv2DTranspose: groups other than 1 is not supported, got ${args.groups}`);
    this.filters = filters;
    this.kernelSize = normalizeTuple(kernelSize, 2, 'Conv2DTranspose kernelSize');
    this.strides = normalizeTuple(args.strides ?? 1, 2, 'Conv2DTranspose strides');
    this.padding = normalizePadding(args.padding, 'Conv2DTranspose');
    this.useBias = args.useBias ?? true;
    this.activation = getActivation(args.activation);
    this.kernelInitializer = resolveInitializer(args.kernelInitializer, 'glorot_uniform');
    this.biasInitializer = resolveInitializer(args.biasInitializer, 'zeros');
    this.penalties = resolvePenalties(args, ['kernel', 'bias'], 'Conv2DTranspose');
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = singleShape(inputShape, this.name);
    if (shape.length !== 4)
      throw new Error(`${this.name}: expects NHWC input of rank 4, got ${formatShape(shape)}`);
    const inChannels = knownDim(shape[3], this.name, 'channel');
    this.kernel = this.addWeight({
      name: 'kernel',
      shape: [...this.kernelSize, this.filters, inChannels],
      initializer: this.kernelInitializer,
      ...this.penalties.kernel,
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
    if (this.kernel === null) throw new Error(`${this.name}: call before build`);
    const [n, h, w] = x.shape;
    const outH = deconvOutputLength(h, this.kernelSize[0], this.padding, this.strides[0]) as number;
    const outW = deconvOutputLength(w, this.kernelSize[1], this.padding, this.strides[1]) as number;
    let y = conv2dTranspose(x, this.kernel, [n, outH, outW, this.filters], {
      strides: [this.strides[0], this.strides[1]],
      padding: this.padding,
    });
    if (this.bias !== null) y = y.add(this.bias);
    return this.activation(y);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const [n, h, w] = singleShape(inputShape, this.name);
    return [
      n,
      deconvOutputLength(h, this.kernelSize[0], this.padding, this.strides[0]),
      deconvOutputLength(w, this.kernelSize[1], this.padding, this.strides[1]),
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
      dilationRate: [1, 1],
      activation: serializeActivation(this.activation),
      useBias: this.useBias,
      kernelInitializer: initializerConfig(this.kernelInitializer),
      biasInitializer: initializerConfig(this.biasInitializer),
      ...penaltyConfig(this.penalties),
    };
  }
}
