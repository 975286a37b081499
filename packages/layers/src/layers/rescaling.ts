// Rescaling layer: x * scale + offset (e.g. pixels 0..255 to [0, 1]), inputs cast to float.
import type { Tensor } from '@webdl/core';
import { Layer, type CallArgs, type LayerArgs, type Shape } from '../engine/layer.js';
import { layerArgs, type LayerParams, type OptionTable } from '../engine/options.js';
import { singleShape, singleTensor } from './layer-utils.js';

/**
 * Options of Rescaling.
 *
 * ```ts
 * const args: layers.RescalingArgs = { offset: -1 };
 * new layers.Rescaling(1 / 127.5, args); // pixels into [-1, 1]
 * ```
 */
export interface RescalingArgs extends LayerArgs {
  /** Added after scaling (default 0). */
  offset?: number;
}

/** Rescaling's config object: the options plus `scale`. */
export type RescalingConfig = RescalingArgs & { scale: number };

const RESCALING_POSITIONAL = ['scale', 'offset'] as const;

/**
 * Multiplies by `scale` and adds `offset`.
 *
 * ```ts
 * new layers.Rescaling(1 / 255).apply(images); // values in [0, 1]
 * ```
 */
export class Rescaling extends Layer {
  static readonly className = 'Rescaling';
  static readonly positional = RESCALING_POSITIONAL;
  static readonly options: OptionTable<RescalingConfig> = { scale: true, offset: true };
  readonly scale: number;
  readonly offset: number;

  constructor(...params: LayerParams<RescalingConfig, typeof RESCALING_POSITIONAL>) {
    const args = layerArgs<RescalingConfig>(Rescaling, params);
    const { scale } = args;
    super(args);
    this.scale = scale;
    this.offset = args.offset ?? 0;
    for (const [what, v] of [
      ['scale', this.scale],
      ['offset', this.offset],
    ] as const)
      if (typeof v !== 'number' || !Number.isFinite(v))
        throw new Error(`Rescaling: ${what} must be a finite number, got ${String(v)}`);
  }

  call(inputs: Tensor | Tensor[], _args: CallArgs): Tensor {
    const x = singleTensor(inputs, this.name);
    const xf = x.dtype === 'float32' ? x : x.cast('float32');
    return this.offset === 0 ? xf.mul(this.scale) : xf.mul(this.scale).add(this.offset);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return [...singleShape(inputShape, this.name)];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), scale: this.scale, offset: this.offset };
  }
}
