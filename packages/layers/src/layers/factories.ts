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

/**
 * `tf.layers.activation`: `new layers.Activation(...)` as a function.
 *
 * ```ts
 * const relu = layers.activation({ activation: 'relu' });
 * relu.apply(tensor([-1, 2])); // [0, 2]
 * ```
 */
export const activation = factory(Activation);

/**
 * `tf.layers.add`: `new layers.Add()` as a function.
 *
 * ```ts
 * const a = input({ shape: [4] });
 * const b = input({ shape: [4] });
 * const sum = layers.add().apply([a, b]);
 * ```
 */
export const add = factory(Add);

/**
 * `tf.layers.averagePooling2d`: `new layers.AveragePooling2D(...)` as a function.
 *
 * ```ts
 * layers.averagePooling2d({ poolSize: 2 }).apply(zeros([1, 28, 28, 3])); // shape [1, 14, 14, 3]
 * ```
 */
export const averagePooling2d = factory(AveragePooling2D);

/**
 * `tf.layers.batchNormalization`: `new layers.BatchNormalization(...)` as a function.
 *
 * ```ts
 * const bn = layers.batchNormalization({ momentum: 0.9 });
 * bn.apply(randomNormal([8, 4]), { training: true });
 * ```
 */
export const batchNormalization = factory(BatchNormalization);

/**
 * `tf.layers.bidirectional`: `new layers.Bidirectional(...)` as a function.
 *
 * ```ts
 * const bi = layers.bidirectional({ layer: layers.lstm({ units: 8 }), mergeMode: 'concat' });
 * bi.apply(zeros([2, 5, 3])); // shape [2, 16]
 * ```
 */
export const bidirectional = factory(Bidirectional);

/**
 * `tf.layers.concatenate`: `new layers.Concatenate(...)` as a function.
 *
 * ```ts
 * const a = input({ shape: [4] });
 * const b = input({ shape: [2] });
 * layers.concatenate({ axis: -1 }).apply([a, b]); // shape [null, 6]
 * ```
 */
export const concatenate = factory(Concatenate);

/**
 * `tf.layers.conv1d`: `new layers.Conv1D(...)` as a function.
 *
 * ```ts
 * layers.conv1d({ filters: 8, kernelSize: 3, activation: 'relu' }).apply(zeros([2, 10, 4])); // shape [2, 8, 8]
 * ```
 */
export const conv1d = factory(Conv1D);

/**
 * `tf.layers.conv2d`: `new layers.Conv2D(...)` as a function.
 *
 * ```ts
 * const conv = layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same', activation: 'relu' });
 * conv.apply(zeros([1, 28, 28, 1])); // shape [1, 28, 28, 16]
 * ```
 */
export const conv2d = factory(Conv2D);

/**
 * `tf.layers.conv2dTranspose`: `new layers.Conv2DTranspose(...)` as a function.
 *
 * ```ts
 * layers.conv2dTranspose({ filters: 8, kernelSize: 3, strides: 2, padding: 'same' }).apply(zeros([1, 7, 7, 4])); // [1, 14, 14, 8]
 * ```
 */
export const conv2dTranspose = factory(Conv2DTranspose);

/**
 * `tf.layers.dense`: `new layers.Dense(...)` as a function.
 *
 * ```ts
 * const model = sequential({ layers: [layers.dense({ units: 32, activation: 'relu', inputShape: [784] }), layers.dense({ units: 10 })] });
 * ```
 */
export const dense = factory(Dense);

/**
 * `tf.layers.depthwiseConv2d`: `new layers.DepthwiseConv2D(...)` as a function.
 *
 * ```ts
 * layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2 }).apply(zeros([1, 8, 8, 3])); // shape [1, 6, 6, 6]
 * ```
 */
export const depthwiseConv2d = factory(DepthwiseConv2D);

/**
 * `tf.layers.dropout`: `new layers.Dropout(...)` as a function.
 *
 * ```ts
 * layers.dropout({ rate: 0.5 }).apply(ones([2, 4]), { training: true }); // half the entries 0, the rest 2
 * ```
 */
export const dropout = factory(Dropout);

/**
 * `tf.layers.embedding`: `new layers.Embedding(...)` as a function.
 *
 * ```ts
 * const emb = layers.embedding({ inputDim: 1000, outputDim: 16 });
 * emb.apply(tensor([[3, 7, 9]], [1, 3], 'int32')); // shape [1, 3, 16]
 * ```
 */
export const embedding = factory(Embedding);

/**
 * `tf.layers.flatten`: `new layers.Flatten()` as a function.
 *
 * ```ts
 * layers.flatten().apply(zeros([2, 28, 28])); // shape [2, 784]
 * ```
 */
export const flatten = factory(Flatten);

/**
 * `tf.layers.globalAveragePooling2d`: `new layers.GlobalAveragePooling2D()` as a function.
 *
 * ```ts
 * layers.globalAveragePooling2d().apply(zeros([2, 7, 7, 64])); // shape [2, 64]
 * ```
 */
export const globalAveragePooling2d = factory(GlobalAveragePooling2D);

/**
 * `tf.layers.gru`: `new layers.GRU(...)` as a function.
 *
 * ```ts
 * layers.gru({ units: 16, returnSequences: true }).apply(zeros([2, 10, 8])); // shape [2, 10, 16]
 * ```
 */
export const gru = factory(GRU);

/**
 * `tf.layers.inputLayer`: `new InputLayer(...)` as a function (the first layer of a Sequential).
 *
 * ```ts
 * const model = sequential({ layers: [layers.inputLayer({ shape: [4] }), layers.dense({ units: 1 })] });
 * ```
 */
export const inputLayer = factory(InputLayer);

/**
 * `tf.layers.layerNormalization`: `new layers.LayerNormalization(...)` as a function.
 *
 * ```ts
 * layers.layerNormalization({ epsilon: 1e-5 }).apply(randomNormal([2, 8])); // each row: mean 0, variance 1
 * ```
 */
export const layerNormalization = factory(LayerNormalization);

/**
 * `tf.layers.lstm`: `new layers.LSTM(...)` as a function.
 *
 * ```ts
 * layers.lstm({ units: 32 }).apply(zeros([4, 20, 8])); // shape [4, 32] (the last step)
 * ```
 */
export const lstm = factory(LSTM);

/**
 * `tf.layers.maxPooling2d`: `new layers.MaxPooling2D(...)` as a function.
 *
 * ```ts
 * layers.maxPooling2d({ poolSize: 2, strides: 2 }).apply(zeros([1, 28, 28, 8])); // shape [1, 14, 14, 8]
 * ```
 */
export const maxPooling2d = factory(MaxPooling2D);

/**
 * `keras.layers.MultiHeadAttention` as a function: `new layers.MultiHeadAttention(...)`.
 *
 * ```ts
 * const mha = layers.multiHeadAttention({ numHeads: 4, keyDim: 16 });
 * const seq = randomNormal([2, 10, 64]);
 * mha.apply([seq, seq]); // self-attention, shape [2, 10, 64]
 * ```
 */
export const multiHeadAttention = factory(MultiHeadAttention);

/**
 * `tf.layers.reshape`: `new layers.Reshape(...)` as a function.
 *
 * ```ts
 * layers.reshape({ targetShape: [28, 28, 1] }).apply(zeros([2, 784])); // shape [2, 28, 28, 1]
 * ```
 */
export const reshape = factory(Reshape);

/**
 * `tf.layers.simpleRNN`: `new layers.SimpleRNN(...)` as a function.
 *
 * ```ts
 * layers.simpleRNN({ units: 8 }).apply(zeros([2, 5, 3])); // shape [2, 8]
 * ```
 */
export const simpleRNN = factory(SimpleRNN);

/**
 * `tf.layers.upSampling2d`: `new layers.UpSampling2D(...)` as a function.
 *
 * ```ts
 * layers.upSampling2d({ size: 2 }).apply(zeros([1, 7, 7, 3])); // shape [1, 14, 14, 3]
 * ```
 */
export const upSampling2d = factory(UpSampling2D);

/**
 * `tf.layers.zeroPadding2d`: `new layers.ZeroPadding2D(...)` as a function.
 *
 * ```ts
 * layers.zeroPadding2d({ padding: 1 }).apply(zeros([1, 28, 28, 1])); // shape [1, 30, 30, 1]
 * ```
 */
export const zeroPadding2d = factory(ZeroPadding2D);
