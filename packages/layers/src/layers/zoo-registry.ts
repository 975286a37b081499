// Registers the layer zoo's classes for loading saved models (the registry calls it before its first use; calling again is harmless).
import { deserializeLayer, registerLayer, registerLayerClass } from '../registry.js';
import { MultiHeadAttention } from './attention.js';
import { BatchNormalization } from './batch-norm.js';
import { Conv1D, Conv2D } from './conv.js';
import { Conv2DTranspose } from './conv-transpose.js';
import { DepthwiseConv2D } from './depthwise-conv.js';
import { Embedding } from './embedding.js';
import { LayerNormalization } from './layer-norm.js';
import { Add, Concatenate } from './merge.js';
import { AveragePooling2D, GlobalAveragePooling2D, MaxPooling2D } from './pooling.js';
import { RNN } from './rnn/base.js';
import { Bidirectional, type BidirectionalConfig } from './rnn/bidirectional.js';
import { GRU } from './rnn/gru.js';
import { LSTM } from './rnn/lstm.js';
import { SimpleRNN } from './rnn/simple-rnn.js';
import { UpSampling2D } from './upsampling.js';
import { ZeroPadding2D } from './zero-padding.js';

/**
 * Registers Conv1D, Conv2D, ..., MultiHeadAttention, Add and Concatenate with the layer registry.
 * Each constructor takes its own getConfig() object, so registration is by class.
 *
 * ```ts
 * registerZooLayers();
 * deserializeLayer({ className: 'Conv2D', config: { filters: 8, kernelSize: 3 } });
 * ```
 */
export function registerZooLayers(): void {
  for (const cls of [
    Conv1D,
    Conv2D,
    Conv2DTranspose,
    DepthwiseConv2D,
    MaxPooling2D,
    AveragePooling2D,
    GlobalAveragePooling2D,
    UpSampling2D,
    ZeroPadding2D,
    BatchNormalization,
    LayerNormalization,
    Embedding,
    SimpleRNN,
    LSTM,
    GRU,
    MultiHeadAttention,
    Add,
    Concatenate,
  ])
    registerLayerClass(cls);
  // The wrapped layers are saved as { className, config } specs and rebuilt first.
  registerLayer('Bidirectional', (c) => {
    const rnn = (spec: unknown, what: string): RNN => {
      const layer = deserializeLayer(spec);
      if (!(layer instanceof RNN)) throw new Error(`Bidirectional: ${what} must be a recurrent layer`);
      return layer;
    };
    const config = { ...c, layer: rnn(c.layer, 'layer') } as BidirectionalConfig;
    if (c.backwardLayer !== undefined) config.backwardLayer = rnn(c.backwardLayer, 'backwardLayer');
    return new Bidirectional(config);
  });
}
