// Depthwise convolution and max/average pooling in NHWC, with their gradients.
import type { Conv2DInfo } from '../backend.js';
import { ENGINE } from '../engine.js';
import { fmtShape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { batched, checkFloat, convInfo, inShapeOf, outShapeOf, pair, unbatch, type ConvOptions, type PoolPadding } from './conv.js';

function depthwiseRaw(x: Tensor, f: Tensor, info: Conv2DInfo): Tensor {
  return ENGINE.run('depthwiseConv2d', [x, f], (b, [xi, fi]) => [{ dataId: b.depthwiseConv2d(xi, fi, info), shape: outShapeOf(info), dtype: 'float32' }],
    ([dy], s) => [
      s.needs[0] ? depthwiseBackpropInputRaw(dy, s.inputs[1], info) : null,
      s.needs[1] ? depthwiseBackpropFilterRaw(s.inputs[0], dy, info) : null,
    ])[0];
}

function depthwiseBackpropInputRaw(dy: Tensor, f: Tensor, info: Conv2DInfo): Tensor {
  return ENGINE.run('depthwiseConv2dBackpropInput', [dy, f], (b, [di, fi]) => [{ dataId: b.depthwiseConv2dBackpropInput(di, fi, info), shape: inShapeOf(info), dtype: 'float32' }],
    ([g], s) => [
      s.needs[0] ? depthwiseRaw(g, s.inputs[1], info) : null,
      s.needs[1] ? depthwiseBackpropFilterRaw(g, s.inputs[0], info) : null,
    ])[0];
}

function depthwiseBackpropFilterRaw(x: Tensor, dy: Tensor, info: Conv2DInfo): Tensor {
  const fShape = [info.filterHeight, info.filterWidth, info.inChannels, info.channelMultiplier];
  return ENGINE.run('depthwiseConv2dBackpropFilter', [x, dy], (b, [xi, di]) => [{ dataId: b.depthwiseConv2dBackpropFilter(xi, di, info), shape: fShape, dtype: 'float32' }],
    ([g], s) => [
      s.needs[0] ? depthwiseBackpropInputRaw(s.inputs[1], g, info) : null,
      s.needs[1] ? depthwiseRaw(s.inputs[0], g, info) : null,
    ])[0];
}

/**
 * Depthwise 2-D convolution: each input channel is convolved with its own
 * [fh, fw, inC, multiplier] filter slice; output channels = inC * multiplier.
 */
export function depthwiseConv2d(x: Tensor, filter: Tensor, options: ConvOptions = {}): Tensor {
  const [x4, was3] = batched('depthwiseConv2d', x);
  checkFloat('depthwiseConv2d', x, filter);
  if (filter.rank !== 4 || filter.shape[2] !== x4.shape[3]) {
    throw new Error(`depthwiseConv2d: filter ${fmtShape(filter.shape)} must be [fh, fw, ${x4.shape[3]}, multiplier] for input ${fmtShape(x.shape)}`);
  }
  const mult = filter.shape[3];
  const info = convInfo('depthwiseConv2d', x4.shape, filter.shape[0], filter.shape[1], x4.shape[3] * mult, options, mult);
  return unbatch(depthwiseRaw(x4, filter, info), was3, x4, x);
}

function poolInfo(op: string, x: Tensor, poolSize: number | readonly [number, number], strides: number | readonly [number, number] | undefined, padding: PoolPadding): Conv2DInfo {
  const [ph, pw] = pair(poolSize, 1);
  return convInfo(op, x.shape, ph, pw, x.shape[3], { strides: strides ?? poolSize, padding });
}

function avgPoolBackpropRaw(dy: Tensor, info: Conv2DInfo): Tensor {
  return ENGINE.run('avgPoolBackprop', [dy], (b, [di]) => [{ dataId: b.avgPoolBackprop(di, info), shape: inShapeOf(info), dtype: 'float32' }],
    ([g]) => [poolRaw('avg', g, info)])[0];
}

function poolRaw(op: 'max' | 'avg', x: Tensor, info: Conv2DInfo): Tensor {
  return ENGINE.run(`${op}Pool`, [x], (b, [xi]) => [{ dataId: b.pool(op, xi, info), shape: outShapeOf(info), dtype: 'float32' }],
    ([dy], s) => [
      op === 'avg'
        ? avgPoolBackpropRaw(dy, info)
        : ENGINE.run('maxPoolBackprop', [dy, s.inputs[0]], (b, [di, xi]) => [{ dataId: b.maxPoolBackprop(di, xi, info), shape: inShapeOf(info), dtype: 'float32' }])[0],
    ])[0];
}

/** Max pooling over windows (strides default to the pool size). `maxPool(x, 2)` */
export function maxPool(x: Tensor, poolSize: number | readonly [number, number], strides?: number | readonly [number, number], padding: PoolPadding = 'valid'): Tensor {
  const [x4, was3] = batched('maxPool', x);
  checkFloat('maxPool', x);
  return unbatch(poolRaw('max', x4, poolInfo('maxPool', x4, poolSize, strides, padding)), was3, x4, x);
}

/** Average pooling over windows (padding cells are not counted, as TensorFlow). `avgPool(x, 2)` */
export function avgPool(x: Tensor, poolSize: number | readonly [number, number], strides?: number | readonly [number, number], padding: PoolPadding = 'valid'): Tensor {
  const [x4, was3] = batched('avgPool', x);
  checkFloat('avgPool', x);
  return unbatch(poolRaw('avg', x4, poolInfo('avgPool', x4, poolSize, strides, padding)), was3, x4, x);
}
