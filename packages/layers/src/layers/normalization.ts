// Normalization layer: (x - mean) / sqrt(variance) per feature, with mean and variance given or learned by adapt().
import { tensor, tidy, type Tensor, type Variable } from '@webdl/core';
import { Layer, type CallArgs, type LayerArgs, type Shape } from '../engine/layer.js';
import { layerArgs, type LayerParams, type OptionTable } from '../engine/options.js';
import { knownDim, singleShape, singleTensor } from './layer-utils.js';

/**
 * Options of Normalization (Keras names).
 *
 * ```ts
 * const args: layers.NormalizationArgs = { mean: [0.5, 1], variance: [0.25, 4] };
 * new layers.Normalization(args).apply(tensor([[1, 3]])); // [[1, 1]]
 * ```
 */
export interface NormalizationArgs extends LayerArgs {
  /** Axis or axes with their own mean and variance (default -1); null: one scalar mean and variance. */
  axis?: number | number[] | null;
  /** Fixed mean (a number, or one value per position of the kept axes); with variance, no adapt needed. */
  mean?: number | number[] | null;
  variance?: number | number[] | null;
  /** Undo the normalization instead: mean + x * sqrt(variance). */
  invert?: boolean;
}

const EPSILON = 1e-7;

const NORMALIZATION_POSITIONAL = ['axis', 'mean', 'variance', 'invert'] as const;

/**
 * Standardizes features: `(x - mean) / max(sqrt(variance), 1e-7)`. Mean and variance come from
 * the constructor or from `adapt(data)`; adapted ones are non-trainable weights (mean, variance,
 * count) saved with the model.
 *
 * ```ts
 * const norm = new layers.Normalization();
 * norm.adapt(x); // per-feature mean and variance of the data
 * norm.apply(x); // mean 0, variance 1 per feature
 * ```
 */
export class Normalization extends Layer {
  static readonly className = 'Normalization';
  static readonly positional = NORMALIZATION_POSITIONAL;
  static readonly options: OptionTable<NormalizationArgs> = {
    axis: true,
    mean: true,
    variance: true,
    invert: true,
  };
  readonly axis: number[];
  readonly invert: boolean;
  readonly fixedMean: number[] | null;
  readonly fixedVariance: number[] | null;
  private readonly axisArg: number | number[] | null;
  adaptMean: Variable | null = null;
  adaptVariance: Variable | null = null;
  count: Variable | null = null;
  private keptShape: number[] = [];

  constructor(...params: LayerParams<NormalizationArgs, typeof NORMALIZATION_POSITIONAL>) {
    const args = layerArgs<NormalizationArgs>(Normalization, params);
    super(args);
    this.axisArg = args.axis === undefined ? -1 : args.axis;
    this.axis = this.axisArg === null ? [] : Array.isArray(this.axisArg) ? [...this.axisArg] : [this.axisArg];
    this.invert = args.invert ?? false;
    const flat = (v: number | number[] | null | undefined): number[] | null =>
      v === null || v === undefined
        ? null
        : typeof v === 'number'
          ? [v]
          : ((v as unknown[]).flat(Infinity as 1) as number[]);
    this.fixedMean = flat(args.mean);
    this.fixedVariance = flat(args.variance);
    if ((this.fixedMean === null) !== (this.fixedVariance === null))
      throw new Error('Normalization: give both mean and variance, or neither (then call adapt)');
    if (this.fixedVariance?.some((v) => !(v >= 0)))
      throw new Error(`Normalization: variance must be >= 0, got ${JSON.stringify(args.variance)}`);
  }

  /** The kept axes as non-negative indices for an input rank (the batch axis is never kept). */
  private keptAxes(rank: number): number[] {
    const axes = this.axis.map((a) => (a < 0 ? a + rank : a));
    if (axes.some((a) => a < 1 || a >= rank))
      throw new Error(
        `${this.name}: axis ${JSON.stringify(this.axisArg)} is out of range (or the batch axis) for input rank ${rank}`,
      );
    return [...new Set(axes)].sort((a, b) => a - b);
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = singleShape(inputShape, this.name);
    const kept = this.keptAxes(shape.length);
    this.keptShape = kept.map((a) => knownDim(shape[a], this.name, `axis ${a}`));
    const size = this.keptShape.reduce((a, b) => a * b, 1);
    for (const [what, v] of [
      ['mean', this.fixedMean],
      ['variance', this.fixedVariance],
    ] as const)
      if (v !== null && v.length !== 1 && v.length !== size)
        throw new Error(
          `${this.name}: ${what} has ${v.length} values; expected 1 or ${size} for kept axes of shape [${this.keptShape.join(',')}]`,
        );
    if (this.fixedMean === null) {
      this.adaptMean = this.addWeight({
        name: 'mean',
        shape: this.keptShape,
        initializer: 'zeros',
        trainable: false,
      });
      this.adaptVariance = this.addWeight({
        name: 'variance',
        shape: this.keptShape,
        initializer: 'ones',
        trainable: false,
      });
      this.count = this.addWeight({
        name: 'count',
        shape: [],
        initializer: 'zeros',
        trainable: false,
        dtype: 'int32',
      });
    }
    this.built = true;
  }

  /** Mean and variance shaped to broadcast against an input of this rank. */
  private stats(rank: number): [Tensor, Tensor] {
    const kept = this.keptAxes(rank);
    const bshape = Array.from({ length: rank }, (_, i) =>
      kept.includes(i) ? this.keptShape[kept.indexOf(i)] : 1,
    );
    if (this.fixedMean !== null && this.fixedVariance !== null) {
      const shapeOf = (v: number[]) => (v.length === 1 ? new Array<number>(rank).fill(1) : bshape);
      return [
        tensor(this.fixedMean, shapeOf(this.fixedMean)),
        tensor(this.fixedVariance, shapeOf(this.fixedVariance)),
      ];
    }
    return [(this.adaptMean as Variable).reshape(bshape), (this.adaptVariance as Variable).reshape(bshape)];
  }

  /**
   * Sets mean and variance (and count) from data: one tensor, or a list of batches (combined exactly).
   * `norm.adapt(x)`
   */
  adapt(data: Tensor | Tensor[]): void {
    const batches = Array.isArray(data) ? data : [data];
    if (batches.length === 0) throw new Error(`${this.name}.adapt: no data`);
    if (this.fixedMean !== null)
      throw new Error(`${this.name}.adapt: mean and variance were given to the constructor`);
    this.maybeBuild([null, ...batches[0].shape.slice(1)]);
    tidy(() => {
      const kept = this.keptAxes(batches[0].rank);
      let total = 0;
      const parts = batches.map((b) => {
        const x = b.dtype === 'float32' ? b : b.cast('float32');
        if (x.rank !== batches[0].rank || kept.some((a, i) => x.shape[a] !== this.keptShape[i]))
          throw new Error(
            `${this.name}.adapt: batch of shape [${x.shape.join(',')}] does not match kept axes of shape [${this.keptShape.join(',')}]`,
          );
        const reduce = Array.from({ length: x.rank }, (_, i) => i).filter((i) => !kept.includes(i));
        const n = reduce.reduce((acc, a) => acc * x.shape[a], 1);
        total += n;
        const { mean, variance } = x.moments(reduce);
        return { n, mean, variance };
      });
      // Pooled statistics: mean = Σ nᵢmᵢ / N, variance = Σ nᵢ(vᵢ + (mᵢ - mean)²) / N.
      const mean = parts.map((p) => p.mean.mul(p.n / total)).reduce((a, b) => a.add(b));
      const variance = parts
        .map((p) => p.variance.add(p.mean.sub(mean).square()).mul(p.n / total))
        .reduce((a, b) => a.add(b));
      (this.adaptMean as Variable).assign(mean.reshape(this.keptShape));
      (this.adaptVariance as Variable).assign(variance.reshape(this.keptShape));
      (this.count as Variable).assign(tensor(total, [], 'int32'));
    });
  }

  call(inputs: Tensor | Tensor[], _args: CallArgs): Tensor {
    const input = singleTensor(inputs, this.name);
    const x = input.dtype === 'float32' ? input : input.cast('float32');
    const [mean, variance] = this.stats(x.rank);
    const std = variance.sqrt().maximum(EPSILON);
    return this.invert ? mean.add(x.mul(std)) : x.sub(mean).div(std);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return [...singleShape(inputShape, this.name)];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      axis: this.axisArg,
      mean: this.fixedMean,
      variance: this.fixedVariance,
      invert: this.invert,
    };
  }
}
