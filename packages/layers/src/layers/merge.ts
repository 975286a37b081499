// Merge layers: Add (elementwise sum with broadcasting) and Concatenate (along an axis).
import { add, concat, type Tensor } from '@webdl/core';
import { Layer, type CallArgs, type LayerArgs, type Shape } from '../engine/layer.js';
import { layerArgs, type LayerParams, type OptionTable } from '../engine/options.js';
import { shapeList, tensorList } from './layer-utils.js';
import { ElementwiseMerge } from './merge-base.js';

/**
 * Sums a list of tensors of the same (or broadcastable) shape.
 *
 * ```ts
 * const sum = new layers.Add().apply([a, b]); // a + b
 * ```
 */
export class Add extends ElementwiseMerge {
  static readonly className = 'Add';
  static readonly options: OptionTable<LayerArgs> = {};

  constructor(...params: LayerParams<LayerArgs>) {
    super(layerArgs<LayerArgs>(Add, params));
  }

  protected merge(xs: Tensor[]): Tensor {
    return xs.slice(1).reduce((acc, x) => add(acc, x), xs[0]);
  }
}

/**
 * Options of Concatenate.
 *
 * ```ts
 * const args: layers.ConcatenateArgs = { axis: 1 };
 * new layers.Concatenate(args).apply([zeros([2, 3]), zeros([2, 5])]); // shape [2, 8]
 * ```
 */
export interface ConcatenateArgs extends LayerArgs {
  /** Axis to join along (default -1). */
  axis?: number;
}

const CONCATENATE_POSITIONAL = ['axis'] as const;

/**
 * Joins a list of tensors along an axis; the other dimensions must agree.
 *
 * ```ts
 * new layers.Concatenate().apply([zeros([2, 3]), zeros([2, 5])]); // [2, 8]
 * ```
 */
export class Concatenate extends Layer {
  /** Type-level: apply([a, b]) gives one tensor. */
  declare readonly mergesInputs: true;
  static readonly className = 'Concatenate';
  static readonly positional = CONCATENATE_POSITIONAL;
  static readonly options: OptionTable<ConcatenateArgs> = {
    axis: true,
  };
  readonly axis: number;

  constructor(...params: LayerParams<ConcatenateArgs, typeof CONCATENATE_POSITIONAL>) {
    const args = layerArgs<ConcatenateArgs>(Concatenate, params);
    super(args);
    this.axis = args.axis ?? -1;
    if (!Number.isInteger(this.axis))
      throw new Error(`Concatenate: axis must be an integer, got ${this.axis}`);
  }

  call(inputs: Tensor | Tensor[], _args: CallArgs): Tensor {
    const xs = tensorList(inputs, this.name);
    const rank = xs[0].rank;
    return concat(xs, this.axis < 0 ? this.axis + rank : this.axis);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shapes = shapeList(inputShape, this.name);
    const rank = shapes[0].length;
    const axis = this.axis < 0 ? this.axis + rank : this.axis;
    if (axis < 0 || axis >= rank || shapes.some((s) => s.length !== rank)) {
      throw new Error(
        `${this.name}: cannot concatenate shapes ${JSON.stringify(shapes)} along axis ${this.axis}`,
      );
    }
    const out = [...shapes[0]];
    out[axis] = shapes.some((s) => s[axis] === null)
      ? null
      : shapes.reduce((n, s) => n + (s[axis] as number), 0);
    for (let i = 0; i < rank; i++) {
      if (i === axis) continue;
      const known = shapes.map((s) => s[i]).filter((d): d is number => d !== null);
      if (new Set(known).size > 1)
        throw new Error(`${this.name}: shapes ${JSON.stringify(shapes)} differ on axis ${i}`);
      out[i] = known.length > 0 ? known[0] : null;
    }
    return out;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: this.axis };
  }
}
