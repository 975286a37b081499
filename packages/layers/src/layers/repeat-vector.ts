// RepeatVector layer: repeats a [batch, features] input n times into [batch, n, features].
import type { Tensor } from '@webdl/core';
import { Layer, type CallArgs, type LayerArgs, type Shape } from '../engine/layer.js';
import { layerArgs, type LayerParams, type OptionTable } from '../engine/options.js';
import { singleShape, singleTensor } from './layer-utils.js';

/** RepeatVector's config object: the repeat count `n`. */
export type RepeatVectorConfig = LayerArgs & { n: number };

const REPEATVECTOR_POSITIONAL = ['n'] as const;

/**
 * Repeats each sample n times along a new axis 1.
 *
 * ```ts
 * new layers.RepeatVector(3).apply(zeros([2, 5])); // [2, 3, 5]
 * ```
 */
export class RepeatVector extends Layer {
  static readonly className = 'RepeatVector';
  static readonly positional = REPEATVECTOR_POSITIONAL;
  static readonly options: OptionTable<RepeatVectorConfig> = { n: true };
  readonly n: number;

  constructor(...params: LayerParams<RepeatVectorConfig, typeof REPEATVECTOR_POSITIONAL>) {
    const args = layerArgs<RepeatVectorConfig>(RepeatVector, params);
    const { n } = args;
    super(args);
    if (!Number.isInteger(n) || n < 1)
      throw new Error(`RepeatVector: n must be a positive integer, got ${n}`);
    this.n = n;
  }

  call(inputs: Tensor | Tensor[], _args: CallArgs): Tensor {
    const x = singleTensor(inputs, this.name);
    if (x.rank !== 2)
      throw new Error(`${this.name}: expects input [batch, features], got [${x.shape.join(',')}]`);
    return x.expandDims(1).tile([1, this.n, 1]);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const [b, f] = singleShape(inputShape, this.name);
    return [b, this.n, f];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), n: this.n };
  }
}
