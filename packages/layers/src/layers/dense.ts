// Dense: the densely connected layer, activation(inputs · kernel + bias), on the last axis.
import type { Tensor, Variable } from '@webdl/core';
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
 * Options of Dense (Keras names, camelCase).
 *
 * ```ts
 * const args: layers.DenseArgs = { activation: 'relu', useBias: false, kernelInitializer: 'he_normal' };
 * new layers.Dense(64, args);
 * ```
 */
export interface DenseArgs extends LayerArgs, PenaltyArgs<'kernel' | 'bias'> {
  activation?: ActivationLike;
  useBias?: boolean;
  kernelInitializer?: InitializerOption;
  biasInitializer?: InitializerOption;
  /** TF.js's shorthand for `inputShape: [inputDim]`. */
  inputDim?: number;
}

/**
 * Dense's config object (TF.js style): the options plus `units`.
 *
 * ```ts
 * const config: layers.DenseConfig = { units: 10, activation: 'softmax' };
 * layers.dense(config);
 * ```
 */
export type DenseConfig = DenseArgs & { units: number };

const POSITIONAL = ['units', 'activation'] as const;
const DENSE_WEIGHTS = ['kernel', 'bias'] as const;

/**
 * `activation(x · kernel + bias)` on the last axis; kernel [inputDim, units].
 *
 * ```ts
 * const layer = new layers.Dense(10, { activation: 'softmax' }); // or layers.Dense(10, 'softmax'), layers.Dense({ units: 10, ... })
 * layer.apply(ones([2, 784])); // shape [2, 10]
 * ```
 */
export class Dense extends Layer {
  static readonly className = 'Dense';
  static readonly positional = POSITIONAL;
  static readonly options: OptionTable<DenseConfig> = {
    units: true,
    activation: true,
    useBias: true,
    kernelInitializer: true,
    biasInitializer: true,
    inputDim: true,
    ...penaltyOptions(DENSE_WEIGHTS),
  };
  /** Regularizers and constraints of the kernel and the bias. */
  readonly penalties: Record<'kernel' | 'bias', WeightPenalty>;
  readonly units: number;
  readonly activation: ActivationFn;
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly biasInitializer: Initializer;
  kernel: Variable | null = null;
  bias: Variable | null = null;

  constructor(...params: LayerParams<DenseConfig, typeof POSITIONAL>) {
    const args = layerArgs<DenseConfig>(Dense, params);
    const { units } = args;
    super(
      args.inputDim !== undefined && !args.inputShape && !args.batchInputShape
        ? { ...args, inputShape: [args.inputDim] }
        : args,
    );
    if (!Number.isInteger(units) || units < 1)
      throw new Error(`Dense: units must be a positive integer, got ${units}`);
    this.units = units;
    this.activation = getActivation(args.activation);
    this.useBias = args.useBias ?? true;
    this.kernelInitializer = resolveInitializer(args.kernelInitializer, 'glorot_uniform');
    this.biasInitializer = resolveInitializer(args.biasInitializer, 'zeros');
    this.penalties = resolvePenalties(args, DENSE_WEIGHTS, 'Dense');
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = singleShape(inputShape, this.name);
    const inputDim = shape[shape.length - 1];
    if (typeof inputDim !== 'number')
      throw new Error(
        `${this.name}: the last dimension of the input must be known, got ${formatShape(shape)}`,
      );
    this.kernel = this.addWeight({
      name: 'kernel',
      shape: [inputDim, this.units],
      initializer: this.kernelInitializer,
      ...this.penalties.kernel,
    });
    if (this.useBias)
      this.bias = this.addWeight({
        name: 'bias',
        shape: [this.units],
        initializer: this.biasInitializer,
        ...this.penalties.bias,
      });
    this.built = true;
  }

  call(inputs: Tensor | Tensor[], _args: CallArgs = {}): Tensor {
    const x = singleTensor(inputs, this.name);
    const kernel = this.kernel as Variable;
    if (x.shape[x.rank - 1] !== kernel.shape[0]) {
      throw new Error(
        `${this.name}: expected last input dimension ${kernel.shape[0]}, got [${x.shape.join(',')}]`,
      );
    }
    // Rank > 2 inputs are folded into a matrix so one 2-D matmul does the work.
    const flat = x.rank === 2 ? x : x.reshape([-1, kernel.shape[0]]);
    let y = flat.matmul(kernel);
    if (this.bias) y = y.add(this.bias);
    if (x.rank !== 2) y = y.reshape([...x.shape.slice(0, -1), this.units]);
    return this.activation(y);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = singleShape(inputShape, this.name);
    return [...shape.slice(0, -1), this.units];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      units: this.units,
      activation: serializeActivation(this.activation),
      useBias: this.useBias,
      kernelInitializer: initializerConfig(this.kernelInitializer),
      biasInitializer: initializerConfig(this.biasInitializer),
      ...penaltyConfig(this.penalties),
    };
  }
}
