// The base of the elementwise merge layers (Add, Multiply, Subtract, Average, Maximum, Minimum): broadcasting shapes.
import type { Tensor } from '@webdl/core';
import { Layer, type CallArgs, type LayerArgs, type Shape } from '../engine/layer.js';
import { shapeList, tensorList } from './layer-utils.js';

/** The broadcast of several input shapes (right-aligned; null is unknown), or a clear error naming the layer. */
export function broadcastMergeShape(shapes: Shape[], layer: string): Shape {
  const rank = Math.max(...shapes.map((s) => s.length));
  const out: Shape = [];
  for (let i = 0; i < rank; i++) {
    // A null (unknown) dimension wins over 1, a known one over null.
    const dims = shapes.map((s) => s[s.length - rank + i]).filter((d) => d !== undefined && d !== 1);
    const known = dims.filter((d): d is number => d !== null);
    if (new Set(known).size > 1)
      throw new Error(`${layer}: input shapes ${JSON.stringify(shapes)} cannot be broadcast together`);
    out.push(known.length > 0 ? known[0] : dims.length > 0 ? null : 1);
  }
  return out;
}

/** A merge of a list of same-shaped (or broadcastable) tensors by one elementwise reduction. */
export abstract class ElementwiseMerge extends Layer {
  /** Type-level: apply([a, b]) gives one tensor. */
  declare readonly mergesInputs: true;
  /** Fewest inputs the layer takes (Subtract: exactly 2). */
  protected readonly minInputs: number = 2;
  protected readonly maxInputs: number = Infinity;

  constructor(args: LayerArgs = {}) {
    super(args);
  }

  /** Combines the inputs (at least minInputs, already checked). */
  protected abstract merge(xs: Tensor[]): Tensor;

  private checkCount(n: number): void {
    if (n < this.minInputs || n > this.maxInputs)
      throw new Error(
        `${this.name}: expects ${this.maxInputs === this.minInputs ? `exactly ${this.minInputs}` : `at least ${this.minInputs}`} inputs, got ${n}`,
      );
  }

  call(inputs: Tensor | Tensor[], _args: CallArgs): Tensor {
    const xs = tensorList(inputs, this.name);
    this.checkCount(xs.length);
    broadcastMergeShape(
      xs.map((x) => [...x.shape]),
      this.name,
    );
    return this.merge(xs);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shapes = shapeList(inputShape, this.name);
    this.checkCount(shapes.length);
    return broadcastMergeShape(shapes, this.name);
  }
}
