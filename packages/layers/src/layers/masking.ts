// Masking layer: marks time steps whose features all equal maskValue as padding for the layers downstream.
import { notEqual, type Tensor } from '@webdl/core';
import { Layer, type CallArgs, type LayerArgs, type Shape } from '../engine/layer.js';
import { setMask } from '../engine/masks.js';
import { layerArgs, type LayerParams, type OptionTable } from '../engine/options.js';
import { singleShape, singleTensor } from './layer-utils.js';

/**
 * Options of Masking.
 *
 * ```ts
 * const args: layers.MaskingArgs = { maskValue: -1 };
 * new layers.Masking(args);
 * ```
 */
export interface MaskingArgs extends LayerArgs {
  /** The padding value (default 0). */
  maskValue?: number;
}

const MASKING_POSITIONAL = ['maskValue'] as const;

/**
 * For [batch, steps, features] input, a step is masked when every feature equals maskValue: the
 * output is zero there, and the recurrent layers downstream skip it (keep their previous state).
 *
 * ```ts
 * const model = new Sequential([new layers.Masking({ maskValue: 0, inputShape: [10, 8] }), new layers.LSTM(4)]);
 * ```
 */
export class Masking extends Layer {
  static readonly className = 'Masking';
  static readonly positional = MASKING_POSITIONAL;
  static readonly options: OptionTable<MaskingArgs> = { maskValue: true };
  readonly maskValue: number;

  constructor(...params: LayerParams<MaskingArgs, typeof MASKING_POSITIONAL>) {
    const args = layerArgs<MaskingArgs>(Masking, params);
    super(args);
    this.maskValue = args.maskValue ?? 0;
    if (typeof this.maskValue !== 'number' || Number.isNaN(this.maskValue))
      throw new Error(`Masking: maskValue must be a number, got ${String(args.maskValue)}`);
  }

  call(inputs: Tensor | Tensor[], _args: CallArgs): Tensor {
    const x = singleTensor(inputs, this.name);
    if (x.rank < 3)
      throw new Error(`${this.name}: expects input [batch, steps, ...features], got [${x.shape.join(',')}]`);
    const keep = (): Tensor => notEqual(x, this.maskValue).cast('float32').max(-1).greater(0);
    const out = x.mul(keep().cast(x.dtype).expandDims(-1));
    setMask(out, keep);
    return out;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return [...singleShape(inputShape, this.name)];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), maskValue: this.maskValue };
  }
}
