// Bidirectional wrapper: runs a recurrent layer forwards and a copy of it backwards, then merges the outputs.
import { concat, gather, type Tensor } from '@webdl/core';
import { Layer, type CallArgs, type LayerArgs, type Shape } from '../../engine/layer.js';
import { layerArgs, type LayerParams, type OptionTable } from '../../engine/options.js';
import { deserializeLayer } from '../../registry.js';
import { RNN } from './base.js';

/**
 * How the two directions are combined; null returns both outputs as a list.
 *
 * ```ts
 * const mergeMode: layers.MergeMode = 'ave';
 * layers.bidirectional({ layer: layers.lstm({ units: 8 }), mergeMode }).apply(zeros([2, 5, 3])); // shape [2, 8]
 * ```
 */
export type MergeMode = 'concat' | 'sum' | 'mul' | 'ave' | null;

/**
 * Options of Bidirectional.
 *
 * ```ts
 * const args: layers.BidirectionalArgs = { mergeMode: 'sum' };
 * new layers.Bidirectional(new layers.GRU(16), args);
 * ```
 */
export interface BidirectionalArgs extends LayerArgs {
  /** Default 'concat' (along the last axis). */
  mergeMode?: MergeMode;
  /** The backward layer; default: a copy of the forward layer's config with goBackwards flipped. */
  backwardLayer?: RNN;
}

/**
 * Bidirectional's config object (TF.js style): the options plus the wrapped layer.
 *
 * ```ts
 * const config: layers.BidirectionalConfig = { layer: new layers.LSTM(16), mergeMode: 'concat' };
 * layers.bidirectional(config);
 * ```
 */
export type BidirectionalConfig = BidirectionalArgs & { layer: RNN };

const BIDIRECTIONAL_POSITIONAL = ['layer', 'mergeMode'] as const;

/**
 * Bidirectional RNN. The backward layer's sequence output is reversed back into time order before
 * merging, so both directions line up step by step (as Keras).
 *
 * ```ts
 * const bi = new layers.Bidirectional(new layers.LSTM(8, { returnSequences: true }));
 * bi.apply(randomNormal([2, 5, 3])); // [2, 5, 16]
 * ```
 */
export class Bidirectional extends Layer {
  /** Type-level: apply may give several tensors (returnState / returnAttentionScores / mergeMode null). */
  declare readonly mayReturnList: true;
  static readonly className = 'Bidirectional';
  static readonly positional = BIDIRECTIONAL_POSITIONAL;
  static readonly options: OptionTable<BidirectionalConfig> = {
    layer: true,
    mergeMode: true,
    backwardLayer: true,
  };
  readonly forwardLayer: RNN;
  readonly backwardLayer: RNN;
  readonly mergeMode: MergeMode;

  constructor(...params: LayerParams<BidirectionalConfig, typeof BIDIRECTIONAL_POSITIONAL>) {
    const args = layerArgs<BidirectionalConfig>(Bidirectional, params);
    const { layer } = args;
    super(args);
    if (!(layer instanceof RNN))
      throw new Error('Bidirectional: the wrapped layer must be a recurrent layer (SimpleRNN, LSTM, GRU)');
    const mode = args.mergeMode === undefined ? 'concat' : args.mergeMode;
    if (mode !== null && !['concat', 'sum', 'mul', 'ave'].includes(mode)) {
      throw new Error(
        `Bidirectional: mergeMode must be 'concat', 'sum', 'mul', 'ave' or null, got '${String(mode)}'`,
      );
    }
    this.mergeMode = mode;
    this.forwardLayer = layer;
    if (args.backwardLayer) {
      this.backwardLayer = args.backwardLayer;
    } else {
      const config = {
        ...layer.getConfig(),
        goBackwards: !layer.goBackwards,
        name: `backward_${layer.name}`,
      };
      this.backwardLayer = deserializeLayer({ className: layer.getClassName(), config }) as RNN;
    }
    if (
      this.backwardLayer.returnSequences !== layer.returnSequences ||
      this.backwardLayer.returnState !== layer.returnState
    ) {
      throw new Error(
        'Bidirectional: the forward and backward layers must agree on returnSequences and returnState',
      );
    }
  }

  override build(inputShape: Shape | Shape[]): void {
    this.forwardLayer.build(inputShape);
    this.forwardLayer.built = true;
    this.backwardLayer.build(inputShape);
    this.backwardLayer.built = true;
    this.built = true;
  }

  call(inputs: Tensor | Tensor[], args: CallArgs): Tensor | Tensor[] {
    const f = this.forwardLayer.call(inputs, args);
    const b = this.backwardLayer.call(inputs, args);
    const [yf, ...sf] = Array.isArray(f) ? f : [f];
    const [ybRaw, ...sb] = Array.isArray(b) ? b : [b];
    let yb = ybRaw;
    if (this.forwardLayer.returnSequences) {
      const steps = yb.shape[1];
      yb = gather(
        yb,
        Array.from({ length: steps }, (_, i) => steps - 1 - i),
        1,
      );
    }
    const merged = this.merge(yf, yb);
    const outs = Array.isArray(merged) ? merged : [merged];
    return outs.length === 1 && !this.forwardLayer.returnState ? outs[0] : [...outs, ...sf, ...sb];
  }

  private merge(a: Tensor, b: Tensor): Tensor | Tensor[] {
    switch (this.mergeMode) {
      case 'concat':
        return concat([a, b], a.rank - 1);
      case 'sum':
        return a.add(b);
      case 'mul':
        return a.mul(b);
      case 'ave':
        return a.add(b).mul(0.5);
      default:
        return [a, b];
    }
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    const f = this.forwardLayer.computeOutputShape(inputShape);
    const b = this.backwardLayer.computeOutputShape(inputShape);
    const [yf, ...sf] = this.forwardLayer.returnState ? (f as Shape[]) : [f as Shape];
    const [yb, ...sb] = this.backwardLayer.returnState ? (b as Shape[]) : [b as Shape];
    let outs: Shape[];
    if (this.mergeMode === 'concat') {
      const last = yf[yf.length - 1];
      const lastB = yb[yb.length - 1];
      outs = [[...yf.slice(0, -1), last === null || lastB === null ? null : last + lastB]];
    } else if (this.mergeMode === null) {
      outs = [yf, yb];
    } else {
      outs = [yf];
    }
    return outs.length === 1 && !this.forwardLayer.returnState ? outs[0] : [...outs, ...sf, ...sb];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      layer: { className: this.forwardLayer.getClassName(), config: this.forwardLayer.getConfig() },
      backwardLayer: { className: this.backwardLayer.getClassName(), config: this.backwardLayer.getConfig() },
      mergeMode: this.mergeMode,
    };
  }
}
