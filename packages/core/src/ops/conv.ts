// Convolutions and pooling in NHWC with TensorFlow's 'same'/'valid' padding, and their gradients.
import type { Conv2DInfo } from '../backend.js';
import { ENGINE } from '../engine.js';
import { runPrimitive } from '../primitives/registry.js';
import { fmtShape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { reshape } from './shape-ops.js';

/**
 * 'same' keeps ceil(in/stride) outputs (zero padding split as TensorFlow), 'valid' uses no padding.
 *
 * ```ts
 * const padding: PoolPadding = 'same';
 * maxPool(zeros([1, 5, 5, 1]), 2, 2, padding); // shape [1, 3, 3, 1]
 * ```
 */
export type PoolPadding = 'same' | 'valid';

/**
 * Strides/dilations as one number or [height, width]; 1-D convs take numbers.
 *
 * ```ts
 * const options: ConvOptions = { strides: [2, 2], padding: 'same', dilations: 1 };
 * conv2d(zeros([1, 28, 28, 1]), zeros([3, 3, 1, 8]), options); // shape [1, 14, 14, 8]
 * ```
 */
export interface ConvOptions<S = number | readonly [number, number]> {
  strides?: S;
  padding?: PoolPadding;
  dilations?: S;
}

const pair = (v: number | readonly [number, number] | undefined, dflt: number): [number, number] =>
  v === undefined ? [dflt, dflt] : typeof v === 'number' ? [v, v] : [v[0], v[1]];

function checkPositive(op: string, what: string, v: readonly number[]): void {
  if (v.some((d) => !Number.isInteger(d) || d < 1))
    throw new Error(`${op}: ${what} must be positive integers, got [${v.join(',')}]`);
}

function outAndPad(inSize: number, eff: number, stride: number, padding: PoolPadding): [number, number] {
  if (padding === 'same') {
    const out = Math.ceil(inSize / stride);
    const total = Math.max((out - 1) * stride + eff - inSize, 0);
    return [out, Math.floor(total / 2)];
  }
  return [Math.max(0, Math.ceil((inSize - eff + 1) / stride)), 0];
}

/**
 * Computes the geometry of a conv/pool from NHWC input shape and the filter's height/width.
 *
 * ```ts
 * convInfo('conv2d', [1, 28, 28, 3], 5, 5, 16, { padding: 'valid' }).outHeight; // 24
 * ```
 */
export function convInfo(
  op: string,
  xShape: readonly number[],
  fh: number,
  fw: number,
  outChannels: number,
  options: ConvOptions,
  channelMultiplier = 1,
): Conv2DInfo {
  const padding = options.padding ?? 'valid';
  if (padding !== 'same' && padding !== 'valid')
    throw new Error(`${op}: padding must be 'same' or 'valid', got '${String(padding)}'`);
  const [sh, sw] = pair(options.strides, 1);
  const [dh, dw] = pair(options.dilations, 1);
  checkPositive(op, 'strides', [sh, sw]);
  checkPositive(op, 'dilations', [dh, dw]);
  checkPositive(op, 'filter size', [fh, fw]);
  if (Math.max(sh, sw) > 1 && Math.max(dh, dw) > 1) {
    throw new Error(
      `${op}: strides [${sh},${sw}] and dilations [${dh},${dw}] cannot both exceed 1 (as in TensorFlow)`,
    );
  }
  const [batch, inHeight, inWidth, inChannels] = xShape;
  const [effH, effW] = [(fh - 1) * dh + 1, (fw - 1) * dw + 1];
  // TensorFlow refuses this too ("output size would be negative"); an empty result hides the mistake.
  if (padding === 'valid' && (inHeight < effH || inWidth < effW)) {
    throw new Error(
      `${op}: input ${fmtShape(xShape)} is smaller than the ${effH}x${effW} window with 'valid' padding (use 'same', or a larger input)`,
    );
  }
  const [outHeight, padTop] = outAndPad(inHeight, effH, sh, padding);
  const [outWidth, padLeft] = outAndPad(inWidth, effW, sw, padding);
  return {
    batch,
    inHeight,
    inWidth,
    inChannels,
    outHeight,
    outWidth,
    outChannels,
    filterHeight: fh,
    filterWidth: fw,
    strideHeight: sh,
    strideWidth: sw,
    dilationHeight: dh,
    dilationWidth: dw,
    padTop,
    padLeft,
    channelMultiplier,
  };
}

/** Adds a batch axis to a rank-3 image; checks rank 4. */
function batched(op: string, x: Tensor): [Tensor, boolean] {
  if (x.rank === 3) return [reshape(x, [1, ...x.shape]), true];
  if (x.rank !== 4)
    throw new Error(`${op}: input must be rank 4 (NHWC) or 3 (HWC), got ${fmtShape(x.shape)}`);
  return [x, false];
}

function unbatch(y: Tensor, was3: boolean, x4: Tensor, x: Tensor): Tensor {
  if (x4 !== x) x4.dispose();
  if (!was3) return y;
  const r = reshape(y, y.shape.slice(1));
  y.dispose();
  return r;
}

const conv2dRaw = (x: Tensor, f: Tensor, info: Conv2DInfo) => runPrimitive('conv2d', [x, f], { info })[0];
const conv2dBackpropInputRaw = (dy: Tensor, f: Tensor, info: Conv2DInfo) =>
  runPrimitive('conv2dBackpropInput', [dy, f], { info })[0];

function checkFloat(op: string, ...ts: Tensor[]): void {
  for (const t of ts)
    if (t.dtype !== 'float32')
      throw new Error(`${op}: expects float32 tensors, got ${t.dtype} ${fmtShape(t.shape)}`);
}

/**
 * 2-D convolution, NHWC input and [fh, fw, inC, outC] filter.
 *
 * ```ts
 * conv2d(x, w, { strides: 2, padding: 'same' });
 * ```
 */
export function conv2d(x: Tensor, filter: Tensor, options: ConvOptions = {}): Tensor {
  // In a tidy scope: a check failing after the rank-3 reshape leaves nothing behind.
  return ENGINE.tidy(() => conv2dEager(x, filter, options));
}

function conv2dEager(x: Tensor, filter: Tensor, options: ConvOptions, op = 'conv2d'): Tensor {
  const [x4, was3] = batched(op, x);
  checkFloat(op, x, filter);
  if (filter.rank !== 4 || filter.shape[2] !== x4.shape[3]) {
    throw new Error(
      `${op}: filter ${fmtShape(filter.shape)} must be [fh, fw, ${x4.shape[3]}, outC] for input ${fmtShape(x.shape)}`,
    );
  }
  const info = convInfo(op, x4.shape, filter.shape[0], filter.shape[1], filter.shape[3], options);
  return unbatch(conv2dRaw(x4, filter, info), was3, x4, x);
}

/**
 * 1-D convolution, [batch, width, inC] input and [fw, inC, outC] filter.
 *
 * ```ts
 * conv1d(zeros([2, 10, 4]), zeros([3, 4, 8]), { padding: 'same' }); // shape [2, 10, 8]
 * ```
 */
export function conv1d(x: Tensor, filter: Tensor, options: ConvOptions<number> = {}): Tensor {
  if (x.rank !== 3 || filter.rank !== 3) {
    throw new Error(
      `conv1d: input must be [batch, width, channels] and filter [fw, inC, outC], got ${fmtShape(x.shape)} and ${fmtShape(filter.shape)}`,
    );
  }
  if (filter.shape[1] !== x.shape[2]) {
    throw new Error(
      `conv1d: filter ${fmtShape(filter.shape)} must be [fw, ${x.shape[2]}, outC] for input ${fmtShape(x.shape)}`,
    );
  }
  const window = (filter.shape[0] - 1) * (options.dilations ?? 1) + 1;
  if ((options.padding ?? 'valid') === 'valid' && x.shape[1] < window) {
    throw new Error(
      `conv1d: input ${fmtShape(x.shape)} is smaller than the window of ${window} with 'valid' padding (use 'same', or a larger input)`,
    );
  }
  return ENGINE.tidy(() => {
    const y = conv2dEager(
      reshape(x, [x.shape[0], 1, x.shape[1], x.shape[2]]),
      reshape(filter, [1, ...filter.shape]),
      {
        padding: options.padding,
        strides: [1, options.strides ?? 1],
        dilations: [1, options.dilations ?? 1],
      },
      'conv1d',
    );
    return reshape(y, [y.shape[0], y.shape[2], y.shape[3]]);
  });
}

/**
 * Transposed convolution (the gradient of conv2d w.r.t. its input): x [N,H,W,inC], filter
 * [fh, fw, outC, inC], outputShape [N, outH, outW, outC] (or without N).
 *
 * ```ts
 * conv2dTranspose(zeros([1, 7, 7, 8]), zeros([3, 3, 4, 8]), [1, 14, 14, 4], { strides: 2, padding: 'same' }); // [1, 14, 14, 4]
 * ```
 */
export function conv2dTranspose(
  x: Tensor,
  filter: Tensor,
  outputShape: readonly number[],
  options: ConvOptions = {},
): Tensor {
  return ENGINE.tidy(() => conv2dTransposeEager(x, filter, outputShape, options));
}

function conv2dTransposeEager(
  x: Tensor,
  filter: Tensor,
  outputShape: readonly number[],
  options: ConvOptions,
): Tensor {
  const [x4, was3] = batched('conv2dTranspose', x);
  checkFloat('conv2dTranspose', x, filter);
  const out4 = outputShape.length === 3 ? [x4.shape[0], ...outputShape] : [...outputShape];
  if (
    filter.rank !== 4 ||
    out4.length !== 4 ||
    filter.shape[3] !== x4.shape[3] ||
    filter.shape[2] !== out4[3]
  ) {
    throw new Error(
      `conv2dTranspose: filter ${fmtShape(filter.shape)} must be [fh, fw, ${out4[3]}, ${x4.shape[3]}] for input ${fmtShape(x.shape)} and output ${fmtShape(outputShape)}`,
    );
  }
  const info = convInfo('conv2dTranspose', out4, filter.shape[0], filter.shape[1], filter.shape[3], options);
  if (info.outHeight !== x4.shape[1] || info.outWidth !== x4.shape[2]) {
    throw new Error(
      `conv2dTranspose: output shape ${fmtShape(outputShape)} is inconsistent with input ${fmtShape(x.shape)} and the strides/padding`,
    );
  }
  return unbatch(conv2dBackpropInputRaw(x4, filter, info), was3, x4, x);
}

export { depthwiseConv2d, maxPool, avgPool } from './conv-depthwise-pool.js';
export { batched, unbatch, checkFloat, pair };
