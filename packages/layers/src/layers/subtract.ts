// Subtract merge layer: the difference of exactly two tensors (broadcasting).
import type { Tensor } from '@webdl/core';
import { ElementwiseMerge } from './merge-base.js';

/**
 * `inputs[0] - inputs[1]`; takes exactly two inputs.
 *
 * ```ts
 * new layers.Subtract().apply([a, b]); // a - b
 * ```
 */
export class Subtract extends ElementwiseMerge {
  static readonly className = 'Subtract';
  protected override readonly maxInputs = 2;

  protected merge(xs: Tensor[]): Tensor {
    return xs[0].sub(xs[1]);
  }
}
