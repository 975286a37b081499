// ELU layer: x for x > 0, alpha * (exp(x) - 1) below.
import { elu, type Tensor } from '@webdl/core';
import { Layer, type CallArgs, type LayerArgs, type Shape } from '../engine/layer.js';
import { layerArgs, type LayerParams, type OptionTable } from '../engine/options.js';
import { singleShape, singleTensor } from './layer-utils.js';

/**
 * Options of ELU.
 *
 * ```ts
 * const args: layers.ELUArgs = { alpha: 0.5 };
 * new layers.ELU(args).apply(tensor([-1, 1])); // [0.5 · (e^-1 - 1), 1]
 * ```
 */
export interface ELUArgs extends LayerArgs {
  /** Scale of the negative part (default 1). */
  alpha?: number;
}

const ELU_POSITIONAL = ['alpha'] as const;

/**
 * Exponential linear unit.
 *
 * ```ts
 * new layers.ELU({ alpha: 0.5 }).apply(tensor([-1, 2])); // [0.5 * (e^-1 - 1), 2]
 * ```
 */
export class ELU extends Layer {
  static readonly className = 'ELU';
  static readonly positional = ELU_POSITIONAL;
  static readonly options: OptionTable<ELUArgs> = { alpha: true };
  readonly alpha: number;

  constructor(...params: LayerParams<ELUArgs, typeof ELU_POSITIONAL>) {
    const args = layerArgs<ELUArgs>(ELU, params);
    super(args);
    this.alpha = args.alpha ?? 1;
    if (!Number.isFinite(this.alpha))
      throw new Error(`ELU: alpha must be a finite number, got ${this.alpha}`);
  }

  call(inputs: Tensor | Tensor[], _args: CallArgs = {}): Tensor {
    return elu(singleTensor(inputs, this.name), this.alpha);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return [...singleShape(inputShape, this.name)];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), alpha: this.alpha };
  }
}
