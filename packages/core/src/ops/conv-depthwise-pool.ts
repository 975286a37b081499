// Depthwise convolution and max/average pooling in NHWC (their gradients are in primitives/nn.ts).
import type { Conv2DInfo } from '../backend.js';
import { ENGINE } from '../engine.js';
import { fmtShape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { runPrimitive } from '../primitives/registry.js';
import { batched, checkFloat, convInfo, pair, unbatch, type ConvOptions, type PoolPadding } from './conv.js';

const depthwiseRaw = (x: Tensor, f: Tensor, info: Conv2DInfo) =>
  runPrimitive('depthwiseConv2d', [x, f], { info })[0];

/**
 * Depthwise 2-D convolution: each input channel is convolved with its own
 * [fh, fw, inC, multiplier] filter slice; output channels = inC * multiplier.
 *
 * ```ts
 * depthwiseConv2d(zeros([1, 8, 8, 3]), zeros([3, 3, 3, 2])); // shape [1, 6, 6, 6]
 * ```
 */
export function depthwiseConv2d(x: Tensor, filter: Tensor, options: ConvOptions = {}): Tensor {
  // In a tidy scope: a check failing after the rank-3 reshape leaves nothing behind.
  return ENGINE.tidy(() => depthwiseEager(x, filter, options));
}

function depthwiseEager(x: Tensor, filter: Tensor, options: ConvOptions): Tensor {
  const [x4, was3] = batched('depthwiseConv2d', x);
  checkFloat('depthwiseConv2d', x, filter);
  if (filter.rank !== 4 || filter.shape[2] !== x4.shape[3]) {
    throw new Error(
      `depthwiseConv2d: filter ${fmtShape(filter.shape)} must be [fh, fw, ${x4.shape[3]}, multiplier] for input ${fmtShape(x.shape)}`,
    );
  }
  const mult = filter.shape[3];
  const info = convInfo(
    'depthwiseConv2d',
    x4.shape,
    filter.shape[0],
    filter.shape[1],
    x4.shape[3] * mult,
    options,
    mult,
  );
  return unbatch(depthwiseRaw(x4, filter, info), was3, x4, x);
}

function poolInfo(
  op: string,
  x: Tensor,
  poolSize: number | readonly [number, number],
  strides: number | readonly [number, number] | undefined,
  padding: PoolPadding,
): Conv2DInfo {
  const [ph, pw] = pair(poolSize, 1);
  return convInfo(op, x.shape, ph, pw, x.shape[3], { strides: strides ?? poolSize, padding });
}

const poolRaw = (op: 'max' | 'avg', x: Tensor, info: Conv2DInfo) =>
  runPrimitive(op === 'max' ? 'maxPool' : 'avgPool', [x], { info })[0];

/**
 * Max pooling over windows (strides default to the pool size). `maxPool(x, 2)`
 *
 * ```ts
 * maxPool(zeros([1, 28, 28, 8]), 2); // shape [1, 14, 14, 8]
 * ```
 */
export function maxPool(
  x: Tensor,
  poolSize: number | readonly [number, number],
  strides?: number | readonly [number, number],
  padding: PoolPadding = 'valid',
): Tensor {
  checkFloat('maxPool', x);
  return ENGINE.tidy(() => {
    const [x4, was3] = batched('maxPool', x);
    return unbatch(poolRaw('max', x4, poolInfo('maxPool', x4, poolSize, strides, padding)), was3, x4, x);
  });
}

/**
 * Average pooling over windows (padding cells are not counted, as TensorFlow). `avgPool(x, 2)`
 *
 * ```ts
 * avgPool(zeros([1, 28, 28, 8]), [2, 2], 2); // shape [1, 14, 14, 8]
 * ```
 */
export function avgPool(
  x: Tensor,
  poolSize: number | readonly [number, number],
  strides?: number | readonly [number, number],
  padding: PoolPadding = 'valid',
): Tensor {
  checkFloat('avgPool', x);
  return ENGINE.tidy(() => {
    const [x4, was3] = batched('avgPool', x);
    return unbatch(poolRaw('avg', x4, poolInfo('avgPool', x4, poolSize, strides, padding)), was3, x4, x);
  });
}
