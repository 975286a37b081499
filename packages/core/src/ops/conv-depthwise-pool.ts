// Depthwise convolution and max/average pooling in NHWC, with their gradients.
import type { Conv2DInfo } from '../backend.js';
import { ENGINE } from '../engine.js';
import { fmtShape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { eye, onesLike, tensor } from './creation.js';
import { cast, equal, where } from './elementwise.js';
import { matmul } from './matmul.js';
import { reshape, tile } from './shape-ops.js';
import {
  batched,
  checkFloat,
  convInfo,
  inShapeOf,
  outShapeOf,
  pair,
  unbatch,
  type ConvOptions,
  type PoolPadding,
} from './conv.js';

function depthwiseRaw(x: Tensor, f: Tensor, info: Conv2DInfo): Tensor {
  return ENGINE.run(
    'depthwiseConv2d',
    [x, f],
    (b, [xi, fi]) => [{ dataId: b.depthwiseConv2d(xi, fi, info), shape: outShapeOf(info), dtype: 'float32' }],
    ([dy], s) => [
      s.needs[0] ? depthwiseBackpropInputRaw(dy, s.inputs[1], info) : null,
      s.needs[1] ? depthwiseBackpropFilterRaw(s.inputs[0], dy, info) : null,
    ],
  )[0];
}

function depthwiseBackpropInputRaw(dy: Tensor, f: Tensor, info: Conv2DInfo): Tensor {
  return ENGINE.run(
    'depthwiseConv2dBackpropInput',
    [dy, f],
    (b, [di, fi]) => [
      { dataId: b.depthwiseConv2dBackpropInput(di, fi, info), shape: inShapeOf(info), dtype: 'float32' },
    ],
    ([g], s) => [
      s.needs[0] ? depthwiseRaw(g, s.inputs[1], info) : null,
      s.needs[1] ? depthwiseBackpropFilterRaw(g, s.inputs[0], info) : null,
    ],
  )[0];
}

function depthwiseBackpropFilterRaw(x: Tensor, dy: Tensor, info: Conv2DInfo): Tensor {
  const fShape = [info.filterHeight, info.filterWidth, info.inChannels, info.channelMultiplier];
  return ENGINE.run(
    'depthwiseConv2dBackpropFilter',
    [x, dy],
    (b, [xi, di]) => [
      { dataId: b.depthwiseConv2dBackpropFilter(xi, di, info), shape: fShape, dtype: 'float32' },
    ],
    ([g], s) => [
      s.needs[0] ? depthwiseBackpropInputRaw(s.inputs[1], g, info) : null,
      s.needs[1] ? depthwiseRaw(s.inputs[0], g, info) : null,
    ],
  )[0];
}

/**
 * Depthwise 2-D convolution: each input channel is convolved with its own
 * [fh, fw, inC, multiplier] filter slice; output channels = inC * multiplier.
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

function avgPoolBackpropRaw(dy: Tensor, info: Conv2DInfo): Tensor {
  return ENGINE.run(
    'avgPoolBackprop',
    [dy],
    (b, [di]) => [{ dataId: b.avgPoolBackprop(di, info), shape: inShapeOf(info), dtype: 'float32' }],
    ([g]) => [poolRaw('avg', g, info)],
  )[0];
}

function poolRaw(op: 'max' | 'avg', x: Tensor, info: Conv2DInfo): Tensor {
  return ENGINE.run(
    `${op}Pool`,
    [x],
    (b, [xi]) => [{ dataId: b.pool(op, xi, info), shape: outShapeOf(info), dtype: 'float32' }],
    ([dy], s) => [
      op === 'avg'
        ? avgPoolBackpropRaw(dy, info)
        : ENGINE.run(
            'maxPoolBackprop',
            [dy, s.inputs[0]],
            (b, [di, xi]) => [
              { dataId: b.maxPoolBackprop(di, xi, info), shape: inShapeOf(info), dtype: 'float32' },
            ],
            ([g], m) => [m.needs[0] ? maxPoolBackpropAdjoint(g, m.inputs[1], info) : null, null],
          )[0],
    ],
  )[0];
}

/** Window cells as a last axis: x [b,h,w,C] -> [b,oh,ow,C,K], K = fh·fw taps in row-major order (0 off the image). */
function patches(x: Tensor, info: Conv2DInfo): Tensor {
  const k = info.filterHeight * info.filterWidth;
  const c = info.inChannels;
  const taps = tile(reshape(eye(k), [info.filterHeight, info.filterWidth, 1, k]), [1, 1, c, 1]);
  const y = depthwiseRaw(x, taps, { ...info, outChannels: c * k, channelMultiplier: k });
  return reshape(y, [...outShapeOf(info), k]);
}

/**
 * Gradient of maxPoolBackprop(dy, x) with respect to dy (it is linear in dy): g read at each window's
 * first maximum, the cell the kernel routes dy to. Written with tensor ops, so it differentiates again.
 */
function maxPoolBackpropAdjoint(g: Tensor, x: Tensor, info: Conv2DInfo): Tensor {
  const k = info.filterHeight * info.filterWidth;
  const inside = patches(onesLike(x), info).greater(0.5);
  const cells = where(inside, patches(x, info), -Infinity);
  const isMax = cast(equal(cells, cells.max(-1, true)), 'float32');
  // Keep a tap only when no earlier tap of its window is a maximum too (earlier[j] = Σ_{i<j} isMax[i]).
  const upper = tensor(
    Array.from({ length: k * k }, (_, q) => Number(Math.floor(q / k) < q % k)),
    [k, k],
  );
  const earlier = reshape(matmul(reshape(isMax, [-1, k]), upper), isMax.shape);
  const first = isMax.mul(cast(equal(earlier, 0), 'float32'));
  return first.mul(patches(g, info)).sum(-1);
}

/** Max pooling over windows (strides default to the pool size). `maxPool(x, 2)` */
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

/** Average pooling over windows (padding cells are not counted, as TensorFlow). `avgPool(x, 2)` */
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
