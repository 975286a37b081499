// MultiHeadAttention layer (Vaswani et al.) with Keras's weight layout, masks and attention dropout.
import { dropout, matmul, softmax, tensor, type Tensor, type Variable } from '@webdl/core';
import { Layer, type CallArgs, type LayerArgs, type Shape } from '../engine/layer.js';
import { layerArgs, type LayerParams, type OptionTable } from '../engine/options.js';
import type { Initializer } from '../initializers.js';
import {
  initializerConfig,
  knownDim,
  resolveInitializer,
  shapeList,
  tensorList,
  type InitializerOption,
} from './layer-utils.js';

/**
 * Options of MultiHeadAttention (Keras names).
 *
 * ```ts
 * const args: layers.MultiHeadAttentionArgs = { numHeads: 8, keyDim: 64, dropout: 0.1 };
 * new layers.MultiHeadAttention(args);
 * ```
 */
export interface MultiHeadAttentionArgs extends LayerArgs {
  numHeads: number;
  /** Size of each head for query and key. */
  keyDim: number;
  /** Size of each head for value (default keyDim). */
  valueDim?: number;
  /** Dropout rate on the attention probabilities while training. */
  dropout?: number;
  useBias?: boolean;
  /** Last dimension of the output (default: the query's last dimension). */
  outputShape?: number;
  kernelInitializer?: InitializerOption;
  biasInitializer?: InitializerOption;
}

/**
 * Per-call options of MultiHeadAttention.
 *
 * ```ts
 * const mha = new layers.MultiHeadAttention({ numHeads: 2, keyDim: 8 });
 * const seq = randomNormal([1, 4, 16]);
 * const args: layers.MultiHeadAttentionCallArgs = { useCausalMask: true, training: false };
 * mha.apply([seq, seq], args); // each step attends only to itself and earlier steps
 * ```
 */
export interface MultiHeadAttentionCallArgs extends CallArgs {
  /** [batch, T, S] (or [T, S]) of 1/true where query step t may attend to key step s. */
  attentionMask?: Tensor;
  /** Lets step t attend only to steps <= t (combined with attentionMask). */
  useCausalMask?: boolean;
  /** Return [output, scores] with scores [batch, numHeads, T, S] (eager use only). */
  returnAttentionScores?: boolean;
}

interface Projection {
  kernel: Variable;
  bias: Variable | null;
}

const MHA_POSITIONAL = ['numHeads', 'keyDim'] as const;

/**
 * Multi-head attention as Keras: query/key/value projections with kernels [dim, numHeads, headDim],
 * scaled dot products (query times 1/sqrt(keyDim)), softmax over key steps (masked positions get
 * -1e9 added), and an output projection with kernel [numHeads, valueDim, outputDim].
 * Inputs: `[query, value]`, `[query, value, key]` or `[query, value, key, attentionMask]`.
 *
 * ```ts
 * const mha = new layers.MultiHeadAttention({ numHeads: 2, keyDim: 8 });
 * const q = randomNormal([2, 5, 16]);
 * const v = randomNormal([2, 7, 16]);
 * mha.apply([q, v]); // [2, 5, 16]
 * mha.apply([q, v], { useCausalMask: true } as layers.MultiHeadAttentionCallArgs);
 * ```
 */
export class MultiHeadAttention extends Layer {
  /** Type-level: apply may give several tensors (returnState / returnAttentionScores / mergeMode null). */
  declare readonly mayReturnList: true;
  static readonly className = 'MultiHeadAttention';
  static readonly positional = MHA_POSITIONAL;
  static readonly options: OptionTable<MultiHeadAttentionArgs> = {
    numHeads: true,
    keyDim: true,
    valueDim: true,
    dropout: true,
    useBias: true,
    outputShape: true,
    kernelInitializer: true,
    biasInitializer: true,
  };
  readonly numHeads: number;
  readonly keyDim: number;
  readonly valueDim: number;
  readonly dropout: number;
  readonly useBias: boolean;
  /** The outputShape option: last dimension of the output, null for the query's. */
  readonly outputDim: number | null;
  private readonly kernelInitializer: Initializer;
  private readonly biasInitializer: Initializer;
  private proj: { query: Projection; key: Projection; value: Projection; output: Projection } | null = null;

  constructor(...params: LayerParams<MultiHeadAttentionArgs, typeof MHA_POSITIONAL>) {
    const args = layerArgs<MultiHeadAttentionArgs>(MultiHeadAttention, params);
    super(args);
    for (const [what, v] of [
      ['numHeads', args.numHeads],
      ['keyDim', args.keyDim],
      ['valueDim', args.valueDim ?? args.keyDim],
    ] as const) {
      if (!Number.isInteger(v) || v < 1)
        throw new Error(`MultiHeadAttention: ${what} must be a positive integer, got ${v}`);
    }
    this.numHeads = args.numHeads;
    this.keyDim = args.keyDim;
    this.valueDim = args.valueDim ?? args.keyDim;
    this.dropout = args.dropout ?? 0;
    if (!(this.dropout >= 0 && this.dropout < 1))
      throw new Error(`MultiHeadAttention: dropout must be in [0, 1), got ${this.dropout}`);
    this.useBias = args.useBias ?? true;
    this.outputDim = args.outputShape ?? null;
    this.kernelInitializer = resolveInitializer(args.kernelInitializer, 'glorot_uniform');
    this.biasInitializer = resolveInitializer(args.biasInitializer, 'zeros');
  }

  private projection(name: string, kernelShape: number[], biasShape: number[]): Projection {
    const kernel = this.addWeight({
      name: `${name}/kernel`,
      shape: kernelShape,
      initializer: this.kernelInitializer,
    });
    const bias = this.useBias
      ? this.addWeight({ name: `${name}/bias`, shape: biasShape, initializer: this.biasInitializer })
      : null;
    return { kernel, bias };
  }

  override build(inputShape: Shape | Shape[]): void {
    const shapes = shapeList(inputShape, this.name);
    const qDim = knownDim(shapes[0].at(-1), this.name, 'query feature');
    const vDim = knownDim(shapes[1].at(-1), this.name, 'value feature');
    const kDim = shapes.length > 2 ? knownDim(shapes[2].at(-1), this.name, 'key feature') : vDim;
    const h = this.numHeads;
    const out = this.outputDim ?? qDim;
    this.proj = {
      query: this.projection('query', [qDim, h, this.keyDim], [h, this.keyDim]),
      key: this.projection('key', [kDim, h, this.keyDim], [h, this.keyDim]),
      value: this.projection('value', [vDim, h, this.valueDim], [h, this.valueDim]),
      output: this.projection('attention_output', [h, this.valueDim, out], [out]),
    };
    this.built = true;
  }

  /** [b, len, dim] → [b, heads, len, headDim]. */
  private heads(x: Tensor, p: Projection, headDim: number): Tensor {
    const [b, len, dim] = x.shape;
    let y = matmul(x.reshape([b * len, dim]), p.kernel.reshape([dim, this.numHeads * headDim]));
    if (p.bias !== null) y = y.add(p.bias.reshape([this.numHeads * headDim]));
    return y.reshape([b, len, this.numHeads, headDim]).transpose([0, 2, 1, 3]);
  }

  call(inputs: Tensor | Tensor[], args: MultiHeadAttentionCallArgs): Tensor | Tensor[] {
    const [query, value, key = value, maskInput] = tensorList(inputs, this.name);
    if (this.proj === null) throw new Error(`${this.name}: call before build`);
    if (query.rank !== 3 || value.rank !== 3 || key.rank !== 3) {
      throw new Error(
        `${this.name}: query, value and key must be [batch, steps, features]; got [${query.shape}], [${value.shape}], [${key.shape}]`,
      );
    }
    const [b, t] = query.shape;
    const s = value.shape[1];
    const q = this.heads(query, this.proj.query, this.keyDim).mul(1 / Math.sqrt(this.keyDim));
    const k = this.heads(key, this.proj.key, this.keyDim);
    const v = this.heads(value, this.proj.value, this.valueDim);
    let scores = matmul(q, k, { transposeB: true }); // [b, h, t, s]
    const mask = this.combinedMask(args.attentionMask ?? maskInput, args.useCausalMask === true, t, s);
    if (mask !== null)
      scores = scores.add(
        mask
          .cast('float32')
          .neg()
          .add(1)
          .mul(-1e9)
          .reshape(mask.rank === 2 ? [1, 1, t, s] : [b, 1, t, s]),
      );
    const probs = softmax(scores, -1);
    const dropped = args.training === true && this.dropout > 0 ? dropout(probs, this.dropout) : probs;
    const ctx = matmul(dropped, v)
      .transpose([0, 2, 1, 3])
      .reshape([b * t, this.numHeads * this.valueDim]);
    const o = this.proj.output;
    const outDim = o.kernel.shape[2];
    let y = matmul(ctx, o.kernel.reshape([this.numHeads * this.valueDim, outDim]));
    if (o.bias !== null) y = y.add(o.bias);
    const output = y.reshape([b, t, outDim]);
    return args.returnAttentionScores === true ? [output, probs] : output;
  }

  /** The attention mask (1 = attend) combined with a causal mask, or null when neither applies. */
  private combinedMask(mask: Tensor | undefined, causal: boolean, t: number, s: number): Tensor | null {
    if (!causal) return mask ?? null;
    const tri = new Float32Array(t * s);
    for (let i = 0; i < t; i++) for (let j = 0; j <= Math.min(i, s - 1); j++) tri[i * s + j] = 1;
    const causalMask = tensor(tri, [t, s]);
    return mask === undefined ? causalMask : mask.cast('float32').mul(causalMask);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const [q] = shapeList(inputShape, this.name);
    return [...q.slice(0, -1), this.outputDim ?? q[q.length - 1]];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      numHeads: this.numHeads,
      keyDim: this.keyDim,
      valueDim: this.valueDim,
      dropout: this.dropout,
      useBias: this.useBias,
      outputShape: this.outputDim,
      kernelInitializer: initializerConfig(this.kernelInitializer),
      biasInitializer: initializerConfig(this.biasInitializer),
    };
  }
}
