// Dot merge layer: per-sample dot products of two tensors along given axes (Keras's batch_dot), optionally cosine-normalized.
import { matmul, type Tensor } from '@webdl/core';
import { Layer, type CallArgs, type LayerArgs, type Shape } from '../engine/layer.js';
import { layerArgs, type LayerParams, type OptionTable } from '../engine/options.js';
import { shapeList, tensorList } from './layer-utils.js';

/**
 * Options of Dot.
 *
 * ```ts
 * const args: layers.DotArgs = { normalize: true };
 * new layers.Dot(1, args);
 * ```
 */
export interface DotArgs extends LayerArgs {
  /** L2-normalize both inputs along the contracted axes first (the output is then a cosine similarity). */
  normalize?: boolean;
}

/** Dot's config object: the options plus `axes`. */
export type DotConfig = DotArgs & { axes: number | number[] };

const DOT_POSITIONAL = ['axes', 'normalize'] as const;

/**
 * For each sample, contracts axis `axes[0]` of the first input with axis `axes[1]` of the second:
 * [b, n, d] · [b, m, d] with axes 2 → [b, n, m]; [b, d] · [b, d] → [b, 1].
 *
 * ```ts
 * new layers.Dot(1).apply([zeros([4, 8]), zeros([4, 8])]); // [4, 1]
 * ```
 */
export class Dot extends Layer {
  /** Type-level: apply([a, b]) gives one tensor. */
  declare readonly mergesInputs: true;
  static readonly className = 'Dot';
  static readonly positional = DOT_POSITIONAL;
  static readonly options: OptionTable<DotConfig> = { axes: true, normalize: true };
  readonly axes: number | [number, number];
  readonly normalize: boolean;

  constructor(...params: LayerParams<DotConfig, typeof DOT_POSITIONAL>) {
    const args = layerArgs<DotConfig>(Dot, params);
    const { axes } = args;
    super(args);
    const list = Array.isArray(axes) ? axes : [axes];
    if ((list.length !== 1 && list.length !== 2) || list.some((a) => !Number.isInteger(a)))
      throw new Error(`Dot: axes must be an integer or a pair of integers, got ${JSON.stringify(axes)}`);
    this.axes = Array.isArray(axes) ? [axes[0], axes[axes.length - 1]] : axes;
    this.normalize = args.normalize ?? false;
  }

  /** The two contracted axes (non-negative, not the batch axis) for inputs of these ranks. */
  private resolveAxes(r0: number, r1: number): [number, number] {
    const [a0, a1] = Array.isArray(this.axes) ? this.axes : [this.axes, this.axes];
    const out: [number, number] = [a0 < 0 ? a0 + r0 : a0, a1 < 0 ? a1 + r1 : a1];
    if (out[0] < 1 || out[0] >= r0 || out[1] < 1 || out[1] >= r1)
      throw new Error(
        `${this.name}: axes ${JSON.stringify(this.axes)} are out of range (or the batch axis) for inputs of rank ${r0} and ${r1}`,
      );
    return out;
  }

  private outShape(s0: Shape, s1: Shape): Shape {
    if (s0.length < 2 || s1.length < 2)
      throw new Error(
        `${this.name}: inputs need a batch axis and at least one more, got ${JSON.stringify([s0, s1])}`,
      );
    const [a0, a1] = this.resolveAxes(s0.length, s1.length);
    const [d0, d1] = [s0[a0], s1[a1]];
    if (d0 !== null && d1 !== null && d0 !== d1)
      throw new Error(
        `${this.name}: contracted dimensions differ: ${d0} (axis ${a0} of [${s0.join(',')}]) vs ${d1} (axis ${a1} of [${s1.join(',')}])`,
      );
    const rest = [...s0.filter((_, i) => i !== 0 && i !== a0), ...s1.filter((_, i) => i !== 0 && i !== a1)];
    return [s0[0] ?? s1[0], ...(rest.length === 0 ? [1] : rest)];
  }

  call(inputs: Tensor | Tensor[], _args: CallArgs): Tensor {
    const xs = tensorList(inputs, this.name);
    if (xs.length !== 2) throw new Error(`${this.name}: expects exactly 2 inputs, got ${xs.length}`);
    let [x, y] = xs;
    const out = this.outShape([...x.shape], [...y.shape]) as number[];
    const [a0, a1] = this.resolveAxes(x.rank, y.rank);
    if (this.normalize) {
      x = l2Normalize(x, a0);
      y = l2Normalize(y, a1);
    }
    // Move the contracted axis last in x and first (after the batch) in y, fold the others, one batched matmul.
    const d = x.shape[a0];
    const xt = x.transpose([0, ...range(1, x.rank).filter((i) => i !== a0), a0]).reshape([x.shape[0], -1, d]);
    const yt = y.transpose([0, a1, ...range(1, y.rank).filter((i) => i !== a1)]).reshape([y.shape[0], d, -1]);
    return matmul(xt, yt).reshape(out);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shapes = shapeList(inputShape, this.name);
    if (shapes.length !== 2) throw new Error(`${this.name}: expects exactly 2 inputs, got ${shapes.length}`);
    return this.outShape(shapes[0], shapes[1]);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axes: this.axes, normalize: this.normalize };
  }
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}

/** x / sqrt(max(sum(x²), 1e-12)) along an axis, as Keras's l2_normalize. */
function l2Normalize(x: Tensor, axis: number): Tensor {
  return x.mul(x.square().sum(axis, true).maximum(1e-12).rsqrt());
}
