// Input and InputLayer: the entry points of a functional graph.
import type { DType, Tensor } from '@webdl/core';
import { Layer, type CallArgs, type Shape } from './layer.js';
import { checkOptions } from './options.js';
import { SymbolicTensor } from './symbolic.js';

/**
 * Options of InputLayer / Input.
 *
 * ```ts
 * const args: layers.InputLayerArgs = { shape: [28, 28, 1], name: 'image' };
 * new InputLayer(args);
 * ```
 */
export interface InputLayerArgs {
  /** Shape of one sample, without the batch dimension (null for unknown sizes). */
  shape?: Shape;
  /** Full shape with the batch dimension. */
  batchInputShape?: Shape;
  /** Keras 3's and TF.js's name for batchInputShape. */
  batchShape?: Shape;
  batchSize?: number;
  name?: string;
  dtype?: DType;
}

const INPUT_OPTIONS = ['shape', 'batchInputShape', 'batchShape', 'batchSize', 'name', 'dtype'];

/**
 * The layer behind an Input: it has no weights and passes its tensor through.
 *
 * ```ts
 * const layer = new InputLayer({ shape: [784] }); // layer.batchInputShape: [null, 784]
 * ```
 */
export class InputLayer extends Layer {
  static readonly className = 'InputLayer';

  constructor(args: InputLayerArgs = {}) {
    checkOptions('InputLayer', args, INPUT_OPTIONS);
    if (args.shape !== undefined && !Array.isArray(args.shape))
      throw new Error(`InputLayer: shape must be an array (per sample, no batch), got ${String(args.shape)}`);
    const batchInputShape =
      args.batchInputShape ??
      args.batchShape ??
      (args.shape ? [args.batchSize ?? null, ...args.shape] : null);
    if (!batchInputShape) throw new Error('InputLayer: give shape (per sample) or batchInputShape');
    super({ name: args.name, dtype: args.dtype, batchInputShape });
    this.built = true;
    const out = new SymbolicTensor(batchInputShape, this.dtype, this, 0, 0, this.name);
    this.inboundNodes.push({
      layer: this,
      inputs: [],
      outputs: [out],
      inputIsList: false,
      outputIsList: false,
      callArgs: {},
    });
  }

  /** The symbolic tensor this layer feeds into the graph. */
  get output(): SymbolicTensor {
    return this.inboundNodes[0].outputs[0];
  }

  call(inputs: Tensor | Tensor[], _args: CallArgs = {}): Tensor | Tensor[] {
    return inputs;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    return inputShape;
  }

  override getConfig(): Record<string, unknown> {
    return { name: this.name, dtype: this.dtype, batchInputShape: this.batchInputShape };
  }
}

/**
 * A symbolic input of a functional model (Keras's `keras.Input`).
 *
 * ```ts
 * const inp = new Input({ shape: [784] });
 * const out = new layers.Dense(10).apply(inp);
 * const model = new Model({ inputs: inp, outputs: out });
 * ```
 */
export class Input extends SymbolicTensor {
  constructor(args: InputLayerArgs) {
    const layer = new InputLayer(args);
    const own = layer.output;
    super(own.shape, own.dtype, layer, 0, 0, own.name);
    // The graph must see this very object as the InputLayer's output.
    layer.inboundNodes[0].outputs[0] = this;
  }
}

/**
 * TF.js's lower-case factory for Input (`tf.input({ shape })`).
 *
 * ```ts
 * const inp = input({ shape: [784] }); // same as new Input({ shape: [784] })
 * ```
 */
export function input(args: InputLayerArgs): Input {
  return new Input(args);
}
