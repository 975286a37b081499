// Catalogue rows for layers: every layer constructor, and layers applied to inputs they cannot take.
import * as dl from '@webdl/core';
import { Input, Model, Sequential, layers } from '@webdl/layers';
import type { Fx, Row } from './fixtures.js';

const L = layers;

/** Every layer constructor with an argument out of range. */
export const CONSTRUCTORS: Row[] = [
  ['Dense units 0', () => new L.Dense(0), /^Dense: units must be a positive integer, got 0/],
  ['Dense units fractional', () => new L.Dense(2.5), /^Dense: units must be a positive integer, got 2.5/],
  ['Dense activation', () => new L.Dense(2, { activation: 'relux' }), /relux/],
  ['Dense initializer', () => new L.Dense(2, { kernelInitializer: 'glorot_unicorn' }), /glorot_unicorn/],
  ['Activation name', () => new L.Activation('swishy'), /swishy/],
  ['Dropout rate 1', () => new L.Dropout(1), /^Dropout: rate must be in \[0, 1\), got 1/],
  ['Dropout rate negative', () => new L.Dropout(-0.5), /^Dropout: rate must be in \[0, 1\), got -0.5/],
  ['Reshape two -1', () => new L.Reshape([-1, -1]), /^Reshape: .*\[-1,-1\]|^Reshape: .*-1,-1/],
  ['Conv2D filters', () => new L.Conv2D(0, 3), /^Conv2D: filters must be a positive integer, got 0/],
  ['Conv2D kernelSize', () => new L.Conv2D(4, [3, 3, 3]), /^Conv2D kernelSize.*3,3,3/],
  ['Conv2D strides', () => new L.Conv2D(4, 3, { strides: 0 }), /^Conv2D strides.*0/],
  ['Conv2D padding', () => new L.Conv2D(4, 3, { padding: 'full' as 'same' }), /^Conv2D: .*padding.*full/],
  ['Conv1D filters', () => new L.Conv1D(-1, 3), /^Conv1D: filters must be a positive integer, got -1/],
  ['Conv1D kernelSize', () => new L.Conv1D(2, 0), /^Conv1D kernelSize.*0/],
  [
    'Conv2DTranspose filters',
    () => new L.Conv2DTranspose(1.5, 3),
    /^Conv2DTranspose: filters must be a positive integer, got 1.5/,
  ],
  ['DepthwiseConv2D kernelSize', () => new L.DepthwiseConv2D(-3), /^DepthwiseConv2D.*kernelSize.*-3/],
  [
    'DepthwiseConv2D multiplier',
    () => new L.DepthwiseConv2D(3, { depthMultiplier: 0 }),
    /^DepthwiseConv2D depthMultiplier must be a positive integer.*got 0/,
  ],
  ['MaxPooling2D poolSize', () => new L.MaxPooling2D(0), /^MaxPooling2D.*poolSize.*0/],
  [
    'AveragePooling2D strides',
    () => new L.AveragePooling2D(2, { strides: -1 }),
    /^AveragePooling2D.*strides.*-1/,
  ],
  [
    'GlobalAveragePooling2D dataFormat',
    () => new L.GlobalAveragePooling2D({ dataFormat: 'nchw' as 'channelsLast' }),
    /^GlobalAveragePooling2D: .*nchw/,
  ],
  [
    'BatchNormalization momentum',
    () => new L.BatchNormalization({ momentum: 2 }),
    /^BatchNormalization: momentum .*2/,
  ],
  [
    'BatchNormalization epsilon',
    () => new L.BatchNormalization({ epsilon: -1 }),
    /^BatchNormalization: epsilon .*-1/,
  ],
  [
    'LayerNormalization epsilon',
    () => new L.LayerNormalization({ epsilon: -1 }),
    /^LayerNormalization: epsilon .*-1/,
  ],
  [
    'Embedding inputDim',
    () => new L.Embedding(0, 4),
    /^Embedding: inputDim must be a positive integer, got 0/,
  ],
  [
    'Embedding outputDim',
    () => new L.Embedding(10, -4),
    /^Embedding: outputDim must be a positive integer, got -4/,
  ],
  ['LSTM units', () => new L.LSTM(0), /^LSTM: units must be a positive integer, got 0/],
  ['LSTM dropout', () => new L.LSTM(4, { dropout: 1.5 }), /^LSTM: dropout must be in \[0, 1\), got 1.5/],
  ['GRU units', () => new L.GRU(-2), /^GRU: units must be a positive integer, got -2/],
  ['SimpleRNN units', () => new L.SimpleRNN(1.5), /^SimpleRNN: units must be a positive integer, got 1.5/],
  [
    'Bidirectional mergeMode',
    () => new L.Bidirectional(new L.LSTM(2), { mergeMode: 'max' as 'concat' }),
    /^Bidirectional: mergeMode .*max/,
  ],
  [
    'Bidirectional non-RNN',
    () => new L.Bidirectional(new L.Dense(2) as unknown as InstanceType<typeof L.LSTM>),
    /^Bidirectional: .*(RNN|recurrent)/,
  ],
  [
    'MultiHeadAttention numHeads',
    () => new L.MultiHeadAttention({ numHeads: 0, keyDim: 4 }),
    /^MultiHeadAttention: numHeads must be a positive integer, got 0/,
  ],
  [
    'MultiHeadAttention keyDim',
    () => new L.MultiHeadAttention({ numHeads: 2, keyDim: -1 }),
    /^MultiHeadAttention: keyDim must be a positive integer, got -1/,
  ],
  ['UpSampling2D size', () => new L.UpSampling2D({ size: 0 }), /^UpSampling2D.*size.*0/],
  ['ZeroPadding2D negative', () => new L.ZeroPadding2D({ padding: -1 }), /^ZeroPadding2D.*padding.*-1/],
  ['Concatenate axis', () => new L.Concatenate({ axis: 1.5 }), /^Concatenate: axis .*1.5/],
  [
    'Input shape',
    () => new Input({ shape: [-3] }),
    /^InputLayer: batchInputShape \[null,-3\] must hold non-negative integers/,
  ],
  [
    'Flatten dtype',
    () => new L.Flatten({ dtype: 'complex64' as dl.DType }),
    /^Flatten: dtype must be float32, int32 or bool, got 'complex64'/,
  ],
];

/** Layers and models applied to inputs of the wrong shape or kind. */
export const APPLY: Row[] = [
  ['Dense on a scalar', (f) => f.own(new L.Dense(2)).apply(f.s), /^dense(_\d+)?: .*\[\]|^Dense: .*\[\]/],
  [
    'Dense input dim changed',
    (f) => f.model.apply(f.z([2, 5])),
    /^(sequential|dense)\w*: .*\[2,5\]|matmul: inner dimensions differ: \[2,5\] x \[3,4\]/,
  ],
  [
    'Conv2D on rank 2',
    (f) => f.own(new L.Conv2D(2, 3)).apply(f.a23),
    /^conv2_?d\w*: expects input of rank 4 .*got \[2,3\]/,
  ],
  [
    'Conv2D valid, input smaller than kernel',
    (f) => f.own(new L.Conv2D(2, 5)).apply(f.img),
    /conv2d\w*: .*\[1,4,4,1\].*5x5|smaller/i,
  ],
  [
    'MaxPooling2D on rank 2',
    (f) => f.own(new L.MaxPooling2D(2)).apply(f.a23),
    /^max_pooling2_?d\w*: expects NHWC input of rank 4, got \[2,3\]/,
  ],
  [
    'Embedding index out of range',
    (f) => f.own(new L.Embedding(3, 2)).apply(f.i3),
    /^gather: index 3 out of range \[0, 3\)$/,
  ],
  ['LSTM on rank 2', (f) => f.own(new L.LSTM(2)).apply(f.a23), /^lstm\w*: .*\[2,3\]|^LSTM: .*\[2,3\]/i],
  [
    'Add of different shapes',
    (f) => f.own(new L.Add()).apply([f.a23, f.z([2, 4])]),
    /^add\w*: .*\[2,3\].*\[2,4\]|^Add: .*\[2,3\]/i,
  ],
  [
    'Concatenate of one tensor',
    (f) => f.own(new L.Concatenate()).apply([f.a23]),
    /^concatenate\w*: .*at least 2|^Concatenate: .*2/i,
  ],
  [
    'Sequential add a non-layer',
    () => new Sequential().add(3 as unknown as InstanceType<typeof L.Dense>),
    /^sequential\w*\.add: expected a Layer, got 3/,
  ],
  [
    'Model without outputs',
    () =>
      new Model({ inputs: new Input({ shape: [2] }) } as unknown as ConstructorParameters<typeof Model>[0]),
    /^Model: give both inputs and outputs/,
  ],
  [
    'Model output not from input',
    (f) => disconnected(f),
    /^Model: output depends on input 'input_layer\w*', which is not among the model's inputs/,
  ],
];

function disconnected(f: Fx): unknown {
  const a = new Input({ shape: [2] });
  const b = new Input({ shape: [2] });
  return new Model({ inputs: a, outputs: f.own(new L.Dense(1)).apply(b) as never });
}
