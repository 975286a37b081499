// PReLU layer: a leaky ReLU whose negative slope is a learned weight per input element (or shared along axes).
import type { Tensor, Variable } from '@webdl/core';
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
 * Options of PReLU (Keras names).
 *
 * ```ts
 * const args: layers.PReLUArgs = { alphaInitializer: 'zeros', sharedAxes: [1, 2] };
 * new layers.PReLU(args);
 * ```
 */
export interface PReLUArgs extends LayerArgs, PenaltyArgs<'alpha'> {
  /** Initial slopes (default zeros). */
  alphaInitializer?: InitializerOption;
  /** 1-based axes along which one slope is shared, e.g. [1, 2] for one slope per channel of an image. */
  sharedAxes?: number | number[] | null;
}

const PRELU_POSITIONAL = ['alphaInitializer'] as const;

/**
 * `f(x) = x` for `x >= 0`, `alpha * x` otherwise, alpha learned; its shape is the input's without
 * the batch, with 1 on the shared axes.
 *
 * ```ts
 * const prelu = new layers.PReLU({ sharedAxes: [1, 2] });
 * prelu.apply(zeros([2, 8, 8, 3])); // alpha has shape [1, 1, 3]
 * ```
 */
export class PReLU extends Layer {
  static readonly className = 'PReLU';
  static readonly positional = PRELU_POSITIONAL;
  static readonly options: OptionTable<PReLUArgs> = {
    alphaInitializer: true,
    sharedAxes: true,
    ...penaltyOptions(['alpha']),
  };
  /** Regularizers and constraints of the weights. */
  readonly penalties: Record<'alpha', WeightPenalty>;

  readonly sharedAxes: number[] | null;
  private readonly alphaInitializer: Initializer;
  alpha: Variable | null = null;

  constructor(...params: LayerParams<PReLUArgs, typeof PRELU_POSITIONAL>) {
    const args = layerArgs<PReLUArgs>(PReLU, params);
    super(args);
    const s = args.sharedAxes ?? null;
    this.sharedAxes = s === null ? null : Array.isArray(s) ? [...s] : [s];
    if (this.sharedAxes?.some((a) => !Number.isInteger(a) || a < 1))
      throw new Error(`PReLU: sharedAxes must be 1-based axes (>= 1), got ${JSON.stringify(s)}`);
    this.alphaInitializer = resolveInitializer(args.alphaInitializer, 'zeros');
    this.penalties = resolvePenalties(args, ['alpha'], 'PReLU');
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = singleShape(inputShape, this.name);
    const shared = new Set(this.sharedAxes ?? []);
    for (const a of shared)
      if (a >= shape.length)
        throw new Error(`${this.name}: sharedAxes entry ${a} is out of range for input [${shape.join(',')}]`);
    const alphaShape = shape
      .slice(1)
      .map((d, i) => (shared.has(i + 1) ? 1 : knownDim(d, this.name, `axis ${i + 1}`)));
    this.alpha = this.addWeight({
      name: 'alpha',
      shape: alphaShape,
      initializer: this.alphaInitializer,
      ...this.penalties.alpha,
    });
    this.built = true;
  }

  call(inputs: Tensor | Tensor[], _args: CallArgs = {}): Tensor {
    const x = singleTensor(inputs, this.name);
    if (this.alpha === null) throw new Error(`${this.name}: call before build`);
    return x.relu().sub(this.alpha.mul(x.neg().relu()));
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return [...singleShape(inputShape, this.name)];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      alphaInitializer: initializerConfig(this.alphaInitializer),
      sharedAxes: this.sharedAxes,
      ...penaltyConfig(this.penalties),
    };
  }
}
