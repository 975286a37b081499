// Reshape: gives each sample a new shape (one dimension may be -1).
import type { Tensor } from '@webdl/core';
import { Layer, type CallArgs, type LayerArgs, type Shape } from '../engine/layer.js';
import { layerArgs, type LayerParams, type OptionTable } from '../engine/options.js';
import { singleShape, singleTensor } from './layer-utils.js';

/**
 * Reshape's config object.
 *
 * ```ts
 * const config: layers.ReshapeConfig = { targetShape: [7, 7, 16] };
 * layers.reshape(config).apply(zeros([2, 784])); // shape [2, 7, 7, 16]
 * ```
 */
export type ReshapeConfig = LayerArgs & { targetShape: number[] };

const RESHAPE_POSITIONAL = ['targetShape'] as const;

/**
 * Reshapes each sample to targetShape (batch dimension kept; one entry may be -1).
 *
 * ```ts
 * new layers.Reshape([28, 28, 1]).apply(zeros([2, 784])); // shape [2, 28, 28, 1]
 * ```
 */
export class Reshape extends Layer {
  static readonly className = 'Reshape';
  static readonly positional = RESHAPE_POSITIONAL;
  static readonly options: OptionTable<ReshapeConfig> = { targetShape: true };
  readonly targetShape: number[];

  constructor(...params: LayerParams<ReshapeConfig, typeof RESHAPE_POSITIONAL>) {
    const args = layerArgs<ReshapeConfig>(Reshape, params);
    const { targetShape } = args;
    super(args);
    if (!Array.isArray(targetShape))
      throw new Error(`Reshape: targetShape must be an array of numbers, got ${String(targetShape)}`);
    if (targetShape.filter((d) => d === -1).length > 1)
      throw new Error(`Reshape: at most one -1 in targetShape [${targetShape.join(',')}]`);
    this.targetShape = [...targetShape];
  }

  call(inputs: Tensor | Tensor[], _args: CallArgs = {}): Tensor {
    const x = singleTensor(inputs, this.name);
    const per = x.shape.slice(1).reduce((a, b) => a * b, 1);
    return x.reshape([x.shape[0], ...this.resolve(per)]);
  }

  /** The target shape with -1 filled in for a sample of `size` elements. */
  private resolve(size: number): number[] {
    const known = this.targetShape.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
    const out = this.targetShape.map((d) => (d === -1 ? size / known : d));
    if (out.reduce((a, b) => a * b, 1) !== size || out.some((d) => !Number.isInteger(d))) {
      throw new Error(
        `${this.name}: cannot reshape a sample of ${size} elements to [${this.targetShape.join(',')}]`,
      );
    }
    return out;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = singleShape(inputShape, this.name);
    const rest = shape.slice(1);
    if (rest.some((d) => d === null))
      return [shape[0] ?? null, ...this.targetShape.map((d) => (d === -1 ? null : d))];
    return [shape[0] ?? null, ...this.resolve((rest as number[]).reduce((a, b) => a * b, 1))];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), targetShape: [...this.targetShape] };
  }
}
