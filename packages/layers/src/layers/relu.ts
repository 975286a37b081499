// ReLU layer: Keras's rectified linear unit with maxValue, negativeSlope and threshold.
import type { Tensor } from '@webdl/core';
import { Layer, type CallArgs, type LayerArgs, type Shape } from '../engine/layer.js';
import { layerArgs, type LayerParams, type OptionTable } from '../engine/options.js';
import { singleShape, singleTensor } from './layer-utils.js';

/**
 * Options of ReLU (Keras names, camelCase).
 *
 * ```ts
 * const args: layers.ReLUArgs = { maxValue: 6, negativeSlope: 0, threshold: 0 };
 * new layers.ReLU(args).apply(tensor([-1, 8])); // [0, 6]
 * ```
 */
export interface ReLUArgs extends LayerArgs {
  /** Upper bound of the output (default none). */
  maxValue?: number | null;
  /** Slope below the threshold (default 0). */
  negativeSlope?: number;
  /** Inputs below this are "off" (default 0). */
  threshold?: number;
}

const RELU_POSITIONAL = ['maxValue', 'negativeSlope', 'threshold'] as const;

/**
 * `f(x) = maxValue` for `x >= maxValue`, `x` for `threshold <= x < maxValue`,
 * `negativeSlope * (x - threshold)` otherwise.
 *
 * ```ts
 * new layers.ReLU({ maxValue: 6, negativeSlope: 0.1 }).apply(tensor([-2, 3, 9])); // [-0.2, 3, 6]
 * ```
 */
export class ReLU extends Layer {
  static readonly className = 'ReLU';
  static readonly positional = RELU_POSITIONAL;
  static readonly options: OptionTable<ReLUArgs> = { maxValue: true, negativeSlope: true, threshold: true };
  readonly maxValue: number | null;
  readonly negativeSlope: number;
  readonly threshold: number;

  constructor(...params: LayerParams<ReLUArgs, typeof RELU_POSITIONAL>) {
    const args = layerArgs<ReLUArgs>(ReLU, params);
    super(args);
    this.maxValue = args.maxValue ?? null;
    this.negativeSlope = args.negativeSlope ?? 0;
    this.threshold = args.threshold ?? 0;
    if (this.maxValue !== null && !(this.maxValue >= 0))
      throw new Error(`ReLU: maxValue must be >= 0, got ${this.maxValue}`);
    if (!(this.negativeSlope >= 0))
      throw new Error(`ReLU: negativeSlope must be >= 0, got ${this.negativeSlope}`);
    if (!Number.isFinite(this.threshold))
      throw new Error(`ReLU: threshold must be a finite number, got ${this.threshold}`);
  }

  call(inputs: Tensor | Tensor[], _args: CallArgs = {}): Tensor {
    const x = singleTensor(inputs, this.name);
    // Positive part: x where x > threshold (plain relu when the threshold is 0), clipped at maxValue.
    let y = this.threshold === 0 ? x.relu() : x.mul(x.greater(this.threshold).cast(x.dtype));
    if (this.maxValue !== null) y = y.minimum(this.maxValue);
    if (this.negativeSlope !== 0) y = y.sub(x.neg().add(this.threshold).relu().mul(this.negativeSlope));
    return y;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return [...singleShape(inputShape, this.name)];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      maxValue: this.maxValue,
      negativeSlope: this.negativeSlope,
      threshold: this.threshold,
    };
  }
}
