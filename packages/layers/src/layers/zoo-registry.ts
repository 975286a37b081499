// Registers the layer zoo's classes for loading saved models (the registry calls it before its first use; calling again is harmless).
import type { LayerArgs } from '../engine/layer.js';
import { deserializeLayer, registerLayer } from '../registry.js';
import { MultiHeadAttention, type MultiHeadAttentionArgs } from './attention.js';
import { BatchNormalization, type BatchNormalizationArgs } from './batch-norm.js';
import { Conv1D, Conv2D, type ConvArgs } from './conv.js';
import { Conv2DTranspose } from './conv-transpose.js';
import { DepthwiseConv2D, type DepthwiseConv2DArgs } from './depthwise-conv.js';
import { Embedding, type EmbeddingArgs } from './embedding.js';
import { LayerNormalization, type LayerNormalizationArgs } from './layer-norm.js';
import { Add, Concatenate, type ConcatenateArgs } from './merge.js';
import {
  AveragePooling2D,
  GlobalAveragePooling2D,
  MaxPooling2D,
  type GlobalPooling2DArgs,
  type Pooling2DArgs,
} from './pooling.js';
import { RNN } from './rnn/base.js';
import { Bidirectional, type BidirectionalArgs } from './rnn/bidirectional.js';
import { GRU, type GRUArgs } from './rnn/gru.js';
import { LSTM, type LSTMArgs } from './rnn/lstm.js';
import { SimpleRNN, type SimpleRNNArgs } from './rnn/simple-rnn.js';
import { UpSampling2D, type UpSampling2DArgs } from './upsampling.js';
import { ZeroPadding2D, type ZeroPadding2DArgs } from './zero-padding.js';

/**
 * Registers Conv1D, Conv2D, ..., MultiHeadAttention, Add and Concatenate with the layer registry.
 *
 * ```ts
 * registerZooLayers();
 * deserializeLayer({ className: 'Conv2D', config: { filters: 8, kernelSize: 3 } });
 * ```
 */
export function registerZooLayers(): void {
  type Config = Record<string, unknown>;
  const kernel = (c: Config) => c.kernelSize as number | number[];

  registerLayer('Conv1D', (c) => new Conv1D(c.filters as number, kernel(c), c as ConvArgs));
  registerLayer('Conv2D', (c) => new Conv2D(c.filters as number, kernel(c), c as ConvArgs));
  registerLayer('Conv2DTranspose', (c) => new Conv2DTranspose(c.filters as number, kernel(c), c as ConvArgs));
  registerLayer('DepthwiseConv2D', (c) => new DepthwiseConv2D(kernel(c), c as DepthwiseConv2DArgs));
  registerLayer('MaxPooling2D', (c) => new MaxPooling2D(c.poolSize as number | number[], c as Pooling2DArgs));
  registerLayer(
    'AveragePooling2D',
    (c) => new AveragePooling2D(c.poolSize as number | number[], c as Pooling2DArgs),
  );
  registerLayer('GlobalAveragePooling2D', (c) => new GlobalAveragePooling2D(c as GlobalPooling2DArgs));
  registerLayer('UpSampling2D', (c) => new UpSampling2D(c as UpSampling2DArgs));
  registerLayer('ZeroPadding2D', (c) => new ZeroPadding2D(c as ZeroPadding2DArgs));
  registerLayer('BatchNormalization', (c) => new BatchNormalization(c as BatchNormalizationArgs));
  registerLayer('LayerNormalization', (c) => new LayerNormalization(c as LayerNormalizationArgs));
  registerLayer(
    'Embedding',
    (c) => new Embedding(c.inputDim as number, c.outputDim as number, c as EmbeddingArgs),
  );
  registerLayer('SimpleRNN', (c) => new SimpleRNN(c.units as number, c as SimpleRNNArgs));
  registerLayer('LSTM', (c) => new LSTM(c.units as number, c as LSTMArgs));
  registerLayer('GRU', (c) => new GRU(c.units as number, c as GRUArgs));
  registerLayer('Bidirectional', (c) => {
    const rnn = (spec: unknown, what: string): RNN => {
      const layer = deserializeLayer(spec);
      if (!(layer instanceof RNN)) throw new Error(`Bidirectional: ${what} must be a recurrent layer`);
      return layer;
    };
    const args: BidirectionalArgs = {
      ...(c as LayerArgs),
      mergeMode: c.mergeMode as BidirectionalArgs['mergeMode'],
    };
    if (c.backwardLayer !== undefined) args.backwardLayer = rnn(c.backwardLayer, 'backwardLayer');
    return new Bidirectional(rnn(c.layer, 'layer'), args);
  });
  registerLayer('MultiHeadAttention', (c) => new MultiHeadAttention(c as unknown as MultiHeadAttentionArgs));
  registerLayer('Add', (c) => new Add(c as LayerArgs));
  registerLayer('Concatenate', (c) => new Concatenate(c as ConcatenateArgs));
}
