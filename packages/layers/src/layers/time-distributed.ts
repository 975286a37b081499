// TimeDistributed wrapper: applies one layer to every time step of [batch, steps, ...] (the steps folded into the batch).
import type { Tensor } from '@webdl/core';
import { Layer, type CallArgs, type LayerArgs, type Shape } from '../engine/layer.js';
import { layerArgs, type LayerParams, type OptionTable } from '../engine/options.js';
import { singleShape, singleTensor } from './layer-utils.js';

/** TimeDistributed's config object: the wrapped `layer`. */
export type TimeDistributedConfig = LayerArgs & { layer: Layer };

const TIMEDISTRIBUTED_POSITIONAL = ['layer'] as const;

/**
 * Applies `layer` to each of the steps of its input with shared weights: [N, T, ...] → [N, T, ...out].
 *
 * ```ts
 * const td = new layers.TimeDistributed(new layers.Dense(8));
 * td.apply(zeros([2, 10, 16])); // [2, 10, 8]
 * ```
 */
export class TimeDistributed extends Layer {
  static readonly className = 'TimeDistributed';
  static readonly positional = TIMEDISTRIBUTED_POSITIONAL;
  static readonly options: OptionTable<TimeDistributedConfig> = { layer: true };
  readonly layer: Layer;

  constructor(...params: LayerParams<TimeDistributedConfig, typeof TIMEDISTRIBUTED_POSITIONAL>) {
    const args = layerArgs<TimeDistributedConfig>(TimeDistributed, params);
    const { layer } = args;
    super(args);
    if (!(layer instanceof Layer))
      throw new Error(`TimeDistributed: expected a Layer to wrap, got ${String(layer)}`);
    this.layer = layer;
  }

  private innerShape(shape: Shape): Shape {
    if (shape.length < 3)
      throw new Error(
        `${this.name}: expects input [batch, steps, ...] of rank >= 3, got [${shape.join(',')}]`,
      );
    const [n, t] = shape;
    return [n === null || t === null ? null : n * t, ...shape.slice(2)];
  }

  override build(inputShape: Shape | Shape[]): void {
    const inner = this.innerShape(singleShape(inputShape, this.name));
    if (!this.layer.built) {
      this.layer.buildInputShape = inner;
      this.layer.build(inner);
      this.layer.built = true;
    }
    this.built = true;
  }

  call(inputs: Tensor | Tensor[], args: CallArgs): Tensor {
    const x = singleTensor(inputs, this.name);
    const [n, t] = x.shape;
    this.innerShape([...x.shape]);
    const y = this.layer.apply(x.reshape([n * t, ...x.shape.slice(2)]), args);
    if (Array.isArray(y)) throw new Error(`${this.name}: the wrapped layer must return one tensor`);
    return y.reshape([n, t, ...y.shape.slice(1)]);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = singleShape(inputShape, this.name);
    const out = this.layer.computeOutputShape(this.innerShape(shape));
    if (Array.isArray(out[0])) throw new Error(`${this.name}: the wrapped layer must return one tensor`);
    return [shape[0], shape[1], ...(out as Shape).slice(1)];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      layer: { className: this.layer.getClassName(), config: this.layer.getConfig() },
    };
  }
}
