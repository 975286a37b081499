// Embedding layer: looks up rows of a trainable [inputDim, outputDim] table by integer index.
import { gather, notEqual, type Tensor, type Variable } from '@webdl/core';
import { setMask } from '../engine/masks.js';
import { Layer, type CallArgs, type LayerArgs, type Shape } from '../engine/layer.js';
import { layerArgs, type LayerParams, type OptionTable } from '../engine/options.js';
import type { Initializer } from '../initializers.js';
import {
  initializerConfig,
  resolveInitializer,
  singleShape,
  singleTensor,
  type InitializerOption,
} from './layer-utils.js';
import {
  penaltyConfig,
  penaltyOptions,
  resolvePenalties,
  type PenaltyArgs,
  type WeightPenalty,
} from './weight-penalties.js';

/**
 * Options of Embedding (Keras names).
 *
 * ```ts
 * const args: layers.EmbeddingArgs = { maskZero: true };
 * new layers.Embedding(5000, 32, args);
 * ```
 */
export interface EmbeddingArgs extends LayerArgs, PenaltyArgs<'embeddings'> {
  /** Default: uniform in [-0.05, 0.05], as Keras. */
  embeddingsInitializer?: InitializerOption;
  /** Index 0 is padding: the output carries a mask that the recurrent layers (and GlobalAveragePooling1D) honour. */
  maskZero?: boolean;
}

/**
 * Embedding's config object: the options plus inputDim and outputDim.
 *
 * ```ts
 * const config: layers.EmbeddingConfig = { inputDim: 10000, outputDim: 64, maskZero: true };
 * layers.embedding(config);
 * ```
 */
export type EmbeddingConfig = EmbeddingArgs & { inputDim: number; outputDim: number };

const EMBEDDING_POSITIONAL = ['inputDim', 'outputDim'] as const;

/**
 * Maps integer indices to dense vectors: input [batch, ...] of indices in [0, inputDim), output
 * [batch, ..., outputDim]. Float inputs are truncated to int32, as Keras casts them.
 *
 * ```ts
 * const emb = new layers.Embedding(1000, 64);
 * emb.apply(tensor([[4, 20, 7]], [1, 3], 'int32')); // [1, 3, 64]
 * ```
 */
export class Embedding extends Layer {
  static readonly className = 'Embedding';
  static readonly positional = EMBEDDING_POSITIONAL;
  static readonly options: OptionTable<EmbeddingConfig> = {
    inputDim: true,
    outputDim: true,
    embeddingsInitializer: true,
    maskZero: true,
    ...penaltyOptions(['embeddings']),
  };
  /** Regularizers and constraints of the weights. */
  readonly penalties: Record<'embeddings', WeightPenalty>;

  readonly inputDim: number;
  readonly outputDim: number;
  readonly maskZero: boolean;
  private readonly embeddingsInitializer: Initializer;
  embeddings: Variable | null = null;

  constructor(...params: LayerParams<EmbeddingConfig, typeof EMBEDDING_POSITIONAL>) {
    const args = layerArgs<EmbeddingConfig>(Embedding, params);
    const { inputDim, outputDim } = args;
    super(args);
    for (const [what, v] of [
      ['inputDim', inputDim],
      ['outputDim', outputDim],
    ] as const) {
      if (!Number.isInteger(v) || v < 1)
        throw new Error(`Embedding: ${what} must be a positive integer, got ${v}`);
    }
    this.inputDim = inputDim;
    this.outputDim = outputDim;
    this.maskZero = args.maskZero ?? false;
    this.embeddingsInitializer = resolveInitializer(args.embeddingsInitializer, 'random_uniform');
    this.penalties = resolvePenalties(args, ['embeddings'], 'Embedding');
  }

  override build(_inputShape: Shape | Shape[]): void {
    this.embeddings = this.addWeight({
      name: 'embeddings',
      shape: [this.inputDim, this.outputDim],
      initializer: this.embeddingsInitializer,
      ...this.penalties.embeddings,
    });
    this.built = true;
  }

  call(inputs: Tensor | Tensor[], _args: CallArgs): Tensor {
    const x = singleTensor(inputs, this.name);
    if (this.embeddings === null) throw new Error(`${this.name}: call before build`);
    const idx = x.dtype === 'int32' ? x : x.cast('int32');
    const out = gather(this.embeddings, idx, 0);
    // maskZero: index 0 is padding; layers downstream (the RNNs) skip those steps.
    if (this.maskZero) setMask(out, () => notEqual(idx, 0));
    return out;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return [...singleShape(inputShape, this.name), this.outputDim];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      inputDim: this.inputDim,
      outputDim: this.outputDim,
      embeddingsInitializer: initializerConfig(this.embeddingsInitializer),
      maskZero: this.maskZero,
      ...penaltyConfig(this.penalties),
    };
  }
}
