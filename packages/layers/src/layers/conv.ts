// Conv1D and Conv2D layers (channels-last), on core's conv1d/conv2d.
import { concat, conv1d, conv2d, split, type Tensor, type Variable } from '@webdl/core';
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
 * Options shared by the convolution layers (Keras names in camelCase).
 *
 * ```ts
 * const args: layers.ConvArgs = { strides: 2, padding: 'same', activation: 'relu' };
 * new layers.Conv2D(32, 3, args).apply(zeros([1, 28, 28, 1])); // shape [1, 14, 14, 32]
 * ```
 */
export interface ConvArgs extends LayerArgs, PenaltyArgs<'kernel' | 'bias'> {
  strides?: number | number[];
  padding?: PaddingMode;
  dataFormat?: 'channelsLast';
  dilationRate?: number | number[];
  activation?: ActivationLike;
  useBias?: boolean;
  kernelInitializer?: InitializerOption;
  biasInitializer?: InitializerOption;
  /** Channel groups (default 1): input and output channels split into `groups` independent convolutions. */
  groups?: number;
}

/**
 * The config object of Conv1D, Conv2D and Conv2DTranspose: the options plus filters and kernelSize.
 *
 * ```ts
 * const config: layers.ConvConfig = { filters: 16, kernelSize: [3, 3], padding: 'same' };
 * layers.conv2d(config);
 * ```
 */
export type ConvConfig = ConvArgs & { filters: number; kernelSize: number | number[] };

/** Keras's positional order for the convolutions. */
export const CONV_POSITIONAL = ['filters', 'kernelSize', 'strides', 'padding'] as const;

/** Every option of the convolution layers (their OptionTable). */
export const CONV_OPTIONS: OptionTable<ConvConfig> = {
  filters: true,
  kernelSize: true,
  strides: true,
  padding: true,
  dataFormat: true,
  dilationRate: true,
  activation: true,
  useBias: true,
  kernelInitializer: true,
  biasInitializer: true,
  groups: true,
  ...penaltyOptions(['kernel', 'bias']),
};

/** Base of Conv1D/Conv2D: a kernel [...kernelSize, inChannels, filters] and an optional bias. */
abstract class BaseConv extends Layer {
  static readonly positional = CONV_POSITIONAL;
  static readonly options = CONV_OPTIONS;
  readonly filters: number;
  readonly kernelSize: number[];
  readonly strides: number[];
  readonly padding: PaddingMode;
  readonly dilationRate: number[];
  readonly useBias: boolean;
  readonly activation: ActivationFn;
  readonly groups: number;
  /** Regularizers and constraints of the weights. */
  readonly penalties: Record<'kernel' | 'bias', WeightPenalty>;
  protected readonly kernelInitializer: Initializer;
  protected readonly biasInitializer: Initializer;
  kernel: Variable | null = null;
  bias: Variable | null = null;

  constructor(
    protected readonly rank: number,
    args: ConvConfig,
  ) {
    super(args);
    const { filters, kernelSize } = args;
    const cls = this.constructor as unknown as { className: string };
    if (!Number.isInteger(filters) || filters < 1)
      throw new Error(`${cls.className}: filters must be a positive integer, got ${filters}`);
    checkDataFormat(args.dataFormat, cls.className);
    this.filters = filters;
    this.kernelSize = normalizeTuple(kernelSize, rank, `${cls.className} kernelSize`);
    this.strides = normalizeTuple(args.strides ?? 1, rank, `${cls.className} strides`);
    this.padding = normalizePadding(args.padding, cls.className);
    this.dilationRate = normalizeTuple(args.dilationRate ?? 1, rank, `${cls.className} dilationRate`);
    this.useBias = args.useBias ?? true;
    this.activation = getActivation(args.activation);
    this.groups = normalizeTuple(args.groups ?? 1, 1, `${cls.className} groups`)[0];
    if (filters % this.groups !== 0)
      throw new Error(`${cls.className}: filters (${filters}) must be divisible by groups (${this.groups})`);
    this.kernelInitializer = resolveInitializer(args.kernelInitializer, 'glorot_uniform');
    this.biasInitializer = resolveInitializer(args.biasInitializer, 'zeros');
    this.penalties = resolvePenalties(args, ['kernel', 'bias'], cls.className);
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = singleShape(inputShape, this.name);
    if (shape.length !== this.rank + 2) {
      throw new Error(
        `${this.name}: expects input of rank ${this.rank + 2} (batch, ${this.rank === 1 ? 'steps' : 'rows, cols'}, channels), got ${formatShape(shape)}`,
      );
    }
    const inChannels = shape[shape.length - 1];
    if (inChannels === null)
      throw new Error(`${this.name}: the channel dimension of the input must be known`);
    if (inChannels % this.groups !== 0)
      throw new Error(
        `${this.name}: input channels (${inChannels}) must be divisible by groups (${this.groups})`,
      );
    this.kernel = this.addWeight({
      name: 'kernel',
      shape: [...this.kernelSize, inChannels / this.groups, this.filters],
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

  protected abstract convolve(x: Tensor, kernel: Tensor): Tensor;

  call(inputs: Tensor | Tensor[], _args: CallArgs): Tensor {
    const x = singleTensor(inputs, this.name);
    if (this.kernel === null) throw new Error(`${this.name}: call before build`);
    let y = this.groups === 1 ? this.convolve(x, this.kernel) : this.groupedConvolve(x, this.kernel);
    if (this.bias !== null) y = y.add(this.bias);
    return this.activation(y);
  }

  /** Grouped convolution: group g convolves its input channel slice with its slice of the filters. */
  private groupedConvolve(x: Tensor, kernel: Tensor): Tensor {
    const perGroupIn = kernel.shape[kernel.rank - 2];
    if (x.shape[x.rank - 1] !== perGroupIn * this.groups)
      throw new Error(
        `${this.name}: expected ${perGroupIn * this.groups} input channels, got [${x.shape.join(',')}]`,
      );
    const xs = split(x, this.groups, x.rank - 1);
    const ks = split(kernel, this.groups, kernel.rank - 1);
    return concat(
      xs.map((xg, g) => this.convolve(xg, ks[g])),
      x.rank - 1,
    );
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = singleShape(inputShape, this.name);
    const spatial = shape
      .slice(1, 1 + this.rank)
      .map((d, i) =>
        convOutputLength(d, this.kernelSize[i], this.padding, this.strides[i], this.dilationRate[i]),
      );
    return [shape[0], ...spatial, this.filters];
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
      groups: this.groups,
      activation: serializeActivation(this.activation),
      useBias: this.useBias,
      kernelInitializer: initializerConfig(this.kernelInitializer),
      biasInitializer: initializerConfig(this.biasInitializer),
      ...penaltyConfig(this.penalties),
    };
  }
}

/**
 * 1-D convolution over [batch, steps, channels] input.
 *
 * ```ts
 * const conv = new layers.Conv1D(16, 3, { activation: 'relu', padding: 'same' });
 * conv.apply(zeros([8, 100, 4])); // [8, 100, 16]
 * ```
 */
export class Conv1D extends BaseConv {
  static readonly className = 'Conv1D';
  constructor(...params: LayerParams<ConvConfig, typeof CONV_POSITIONAL>) {
    super(1, layerArgs<ConvConfig>(Conv1D, params));
  }
  protected convolve(x: Tensor, kernel: Tensor): Tensor {
    return conv1d(x, kernel, {
      strides: this.strides[0],
      padding: this.padding,
      dilations: this.dilationRate[0],
    });
  }
}

/**
 * 2-D convolution over NHWC images.
 *
 * ```ts
 * const conv = new layers.Conv2D(32, 3, { activation: 'relu' });
 * conv.apply(zeros([8, 28, 28, 1])); // [8, 26, 26, 32]
 * ```
 */
export class Conv2D extends BaseConv {
  static readonly className = 'Conv2D';
  constructor(...params: LayerParams<ConvConfig, typeof CONV_POSITIONAL>) {
    super(2, layerArgs<ConvConfig>(Conv2D, params));
  }
  protected convolve(x: Tensor, kernel: Tensor): Tensor {
    const [sh, sw] = this.strides;
    const [dh, dw] = this.dilationRate;
    return conv2d(x, kernel, { strides: [sh, sw], padding: this.padding, dilations: [dh, dw] });
  }
}
