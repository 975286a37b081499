// The layer zoo: convolutions, pooling, normalization, embeddings, recurrent, attention and merge layers, registered for loading.
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

export {
  Add,
  AveragePooling2D,
  BatchNormalization,
  Bidirectional,
  Concatenate,
  Conv1D,
  Conv2D,
  Conv2DTranspose,
  DepthwiseConv2D,
  Embedding,
  GlobalAveragePooling2D,
  GRU,
  LayerNormalization,
  LSTM,
  MaxPooling2D,
  MultiHeadAttention,
  RNN,
  SimpleRNN,
  UpSampling2D,
  ZeroPadding2D,
};
export type {
  BatchNormalizationArgs,
  BidirectionalArgs,
  ConcatenateArgs,
  ConvArgs,
  DepthwiseConv2DArgs,
  EmbeddingArgs,
  GlobalPooling2DArgs,
  GRUArgs,
  LayerNormalizationArgs,
  LSTMArgs,
  MultiHeadAttentionArgs,
  Pooling2DArgs,
  SimpleRNNArgs,
  UpSampling2DArgs,
  ZeroPadding2DArgs,
};
export type { MultiHeadAttentionCallArgs } from './attention.js';
export type { MergeMode } from './rnn/bidirectional.js';
export type { Padding2D } from './zero-padding.js';
export type { RNNArgs } from './rnn/base.js';
export type { ConvConfig } from './conv.js';
export type { DepthwiseConv2DConfig } from './depthwise-conv.js';
export type { DepthwiseSpatialArgs } from './depthwise-base.js';
export type { PoolingArgs } from './pooling-base.js';
export type { EmbeddingConfig } from './embedding.js';
export type { Pooling2DConfig } from './pooling.js';
export type { BidirectionalConfig } from './rnn/bidirectional.js';
export type { GRUConfig } from './rnn/gru.js';
export type { LSTMConfig } from './rnn/lstm.js';
export type { RNNConfig } from './rnn/base.js';
