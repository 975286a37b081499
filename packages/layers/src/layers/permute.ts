// Permute layer: reorders the non-batch axes of each sample (1-based dims, as Keras).
import type { Tensor } from '@webdl/core';
import { Layer, type CallArgs, type LayerArgs, type Shape } from '../engine/layer.js';
import { layerArgs, type LayerParams, type OptionTable } from '../engine/options.js';
import { singleShape, singleTensor } from './layer-utils.js';

/** Permute's config object: `dims`, a permutation of 1..rank-1. */
export type PermuteConfig = LayerArgs & { dims: number[] };

const PERMUTE_POSITIONAL = ['dims'] as const;

/**
 * Permutes the axes of each sample: `dims` is a permutation of 1..rank-1 (the batch axis stays).
 *
 * ```ts
 * new layers.Permute([2, 1]).apply(zeros([4, 10, 64])); // [4, 64, 10]
 * ```
 */
export class Permute extends Layer {
  static readonly className = 'Permute';
  static readonly positional = PERMUTE_POSITIONAL;
  static readonly options: OptionTable<PermuteConfig> = { dims: true };
  readonly dims: number[];

  constructor(...params: LayerParams<PermuteConfig, typeof PERMUTE_POSITIONAL>) {
    const args = layerArgs<PermuteConfig>(Permute, params);
    const { dims } = args;
    super(args);
    const sorted = [...dims].sort((a, b) => a - b);
    if (!Array.isArray(dims) || dims.length === 0 || sorted.some((d, i) => d !== i + 1))
      throw new Error(
        `Permute: dims must be a permutation of 1..${dims.length}, got ${JSON.stringify(dims)}`,
      );
    this.dims = [...dims];
  }

  private check(rank: number): void {
    if (rank !== this.dims.length + 1)
      throw new Error(
        `${this.name}: dims ${JSON.stringify(this.dims)} need inputs of rank ${this.dims.length + 1}, got rank ${rank}`,
      );
  }

  call(inputs: Tensor | Tensor[], _args: CallArgs): Tensor {
    const x = singleTensor(inputs, this.name);
    this.check(x.rank);
    return x.transpose([0, ...this.dims]);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = singleShape(inputShape, this.name);
    this.check(shape.length);
    return [shape[0], ...this.dims.map((d) => shape[d])];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), dims: [...this.dims] };
  }
}
