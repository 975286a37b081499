// TF.js's lower-case layer factories (`layers.dense({ units: 4 })`, `layers.conv2d(...)`): each takes what the class constructor takes.
import { InputLayer } from '../engine/input.js';
import type { Layer } from '../engine/layer.js';
import { MultiHeadAttention } from './attention.js';
import { Activation } from './activation.js';
import { BatchNormalization } from './batch-norm.js';
import { Conv1D, Conv2D } from './conv.js';
import { Conv2DTranspose } from './conv-transpose.js';
import { Dense } from './dense.js';
import { DepthwiseConv2D } from './depthwise-conv.js';
import { Dropout } from './dropout.js';
import { Embedding } from './embedding.js';
import { Flatten } from './flatten.js';
import { LayerNormalization } from './layer-norm.js';
import { Add, Concatenate } from './merge.js';
import { AveragePooling2D, GlobalAveragePooling2D, MaxPooling2D } from './pooling.js';
import { Reshape } from './reshape.js';
import { Bidirectional } from './rnn/bidirectional.js';
import { GRU } from './rnn/gru.js';
import { LSTM } from './rnn/lstm.js';
import { SimpleRNN } from './rnn/simple-rnn.js';
import { UpSampling2D } from './upsampling.js';
import { ZeroPadding2D } from './zero-padding.js';

/**
 * The lower-case factory of a layer class: `factory(Dense)` is `(...args) => new Dense(...args)`,
 * with the same parameter types. New layer files add theirs here.
 *
 * ```ts
 * const dense = layers.factory(layers.Dense);
 * dense({ units: 4 }); // or dense(4, 'relu')
 * ```
 */
export function factory<T extends new (...args: never) => Layer>(
  cls: T,
): (...args: ConstructorParameters<T>) => InstanceType<T> {
  return (...args) => new cls(...(args as never)) as InstanceType<T>;
}

export const activation = factory(Activation);
export const add = factory(Add);
export const averagePooling2d = factory(AveragePooling2D);
export const batchNormalization = factory(BatchNormalization);
export const bidirectional = factory(Bidirectional);
export const concatenate = factory(Concatenate);
export const conv1d = factory(Conv1D);
export const conv2d = factory(Conv2D);
export const conv2dTranspose = factory(Conv2DTranspose);
export const dense = factory(Dense);
export const depthwiseConv2d = factory(DepthwiseConv2D);
export const dropout = factory(Dropout);
export const embedding = factory(Embedding);
export const flatten = factory(Flatten);
export const globalAveragePooling2d = factory(GlobalAveragePooling2D);
export const gru = factory(GRU);
export const inputLayer = factory(InputLayer);
export const layerNormalization = factory(LayerNormalization);
export const lstm = factory(LSTM);
export const maxPooling2d = factory(MaxPooling2D);
export const multiHeadAttention = factory(MultiHeadAttention);
export const reshape = factory(Reshape);
export const simpleRNN = factory(SimpleRNN);
export const upSampling2d = factory(UpSampling2D);
export const zeroPadding2d = factory(ZeroPadding2D);
