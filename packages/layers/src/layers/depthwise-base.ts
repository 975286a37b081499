// What DepthwiseConv2D and SeparableConv2D share: the spatial options, the depthwise kernel and its convolution.
import { depthwiseConv2d, type Tensor, type Variable } from '@webdl/core';
import { Layer, type LayerArgs, type Shape } from '../engine/layer.js';
import { formatShape } from '../engine/format.js';
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
  type InitializerOption,
} from './layer-utils.js';
import type { WeightPenalty } from './weight-penalties.js';

/**
 * The options of a depthwise convolution (Keras names), shared by DepthwiseConv2D and SeparableConv2D.
 *
 * ```ts
 * const args: layers.DepthwiseSpatialArgs = { strides: 2, padding: 'same', depthMultiplier: 2 };
 * ```
 */
export interface DepthwiseSpatialArgs {
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

/** The option-table rows of DepthwiseSpatialArgs and kernelSize. */
export const DEPTHWISE_OPTIONS = {
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
} as const;

/**
 * A layer whose first stage is a depthwise convolution with kernel [kh, kw, inChannels, depthMultiplier].
 *
 * ```ts
 * class MyDepthwise extends DepthwiseBase { ... } // see DepthwiseConv2D
 * ```
 */
export abstract class DepthwiseBase extends Layer {
  readonly kernelSize: number[];
  readonly strides: number[];
  readonly padding: PaddingMode;
  readonly dilationRate: number[];
  readonly depthMultiplier: number;
  readonly useBias: boolean;
  readonly activation: ActivationFn;
  protected readonly depthwiseInitializer: Initializer;
  protected readonly biasInitializer: Initializer;
  depthwiseKernel: Variable | null = null;
  bias: Variable | null = null;

  /** `who` names the layer class in errors. */
  constructor(args: LayerArgs & DepthwiseSpatialArgs & { kernelSize: number | number[] }, who: string) {
    super(args);
    checkDataFormat(args.dataFormat, who);
    this.kernelSize = normalizeTuple(args.kernelSize, 2, `${who} kernelSize`);
    this.strides = normalizeTuple(args.strides ?? 1, 2, `${who} strides`);
    this.padding = normalizePadding(args.padding, who);
    this.dilationRate = normalizeTuple(args.dilationRate ?? 1, 2, `${who} dilationRate`);
    this.depthMultiplier = normalizeTuple(args.depthMultiplier ?? 1, 1, `${who} depthMultiplier`)[0];
    this.useBias = args.useBias ?? true;
    this.activation = getActivation(args.activation);
    this.depthwiseInitializer = resolveInitializer(args.depthwiseInitializer, 'glorot_uniform');
    this.biasInitializer = resolveInitializer(args.biasInitializer, 'zeros');
  }

  /** Checks the NHWC input, adds the depthwise kernel; returns the input's channel count. */
  protected buildDepthwise(inputShape: Shape | Shape[], penalty: WeightPenalty): number {
    const shape = singleShape(inputShape, this.name);
    if (shape.length !== 4)
      throw new Error(`${this.name}: expects NHWC input of rank 4, got ${formatShape(shape)}`);
    const inChannels = knownDim(shape[3], this.name, 'channel');
    this.depthwiseKernel = this.addWeight({
      name: 'depthwise_kernel',
      shape: [...this.kernelSize, inChannels, this.depthMultiplier],
      initializer: this.depthwiseInitializer,
      ...penalty,
    });
    return inChannels;
  }

  /** Adds the bias [size] when useBias. */
  protected buildBias(size: number, penalty: WeightPenalty): void {
    if (this.useBias)
      this.bias = this.addWeight({
        name: 'bias',
        shape: [size],
        initializer: this.biasInitializer,
        ...penalty,
      });
  }

  /** The depthwise convolution of x (no bias, no activation). */
  protected depthwise(x: Tensor): Tensor {
    if (this.depthwiseKernel === null) throw new Error(`${this.name}: call before build`);
    return depthwiseConv2d(x, this.depthwiseKernel, {
      strides: [this.strides[0], this.strides[1]],
      padding: this.padding,
      dilations: [this.dilationRate[0], this.dilationRate[1]],
    });
  }

  /** Bias (when present) then activation. */
  protected finish(y: Tensor): Tensor {
    return this.activation(this.bias === null ? y : y.add(this.bias));
  }

  /** The output's [batch, height, width] for an input shape. */
  protected spatialOutput(inputShape: Shape | Shape[]): Shape {
    const [n, h, w] = singleShape(inputShape, this.name);
    return [
      n,
      convOutputLength(h, this.kernelSize[0], this.padding, this.strides[0], this.dilationRate[0]),
      convOutputLength(w, this.kernelSize[1], this.padding, this.strides[1], this.dilationRate[1]),
    ];
  }

  /** The config of the shared options, in Keras's order. */
  protected depthwiseConfig(): Record<string, unknown> {
    return {
      kernelSize: this.kernelSize,
      strides: this.strides,
      padding: this.padding,
      dataFormat: 'channelsLast',
      dilationRate: this.dilationRate,
      depthMultiplier: this.depthMultiplier,
      activation: serializeActivation(this.activation),
      useBias: this.useBias,
      depthwiseInitializer: initializerConfig(this.depthwiseInitializer),
    };
  }
}
