// The fuzzer's map from webdl primitives to TensorFlow.js calls, attrs converted (adjoints via tf.grad);
// a primitive TF.js cannot run is listed with the reason.
import type { Conv2DInfo, ImageKernel, PrimitiveInfo } from '@webdl/core';
import * as tf from '@tensorflow/tfjs';

/**
 * TF.js's computation of a primitive: inputs as TF.js tensors (same shapes and dtypes) and the attrs;
 * a string instead where TF.js cannot run that call (why).
 */
export type TfCall = (xs: tf.Tensor[], attrs: Record<string, unknown>) => tf.Tensor | string;
type T4 = tf.Tensor4D;
type Pads = [[number, number], [number, number], [number, number], [number, number]];

/** Elementwise primitives whose TF.js op has another name or takes attrs. */
const ELEMENTWISE: Record<string, TfCall> = {
  leakyRelu: ([x], a) => tf.leakyRelu(x, a.alpha as number),
  // TF.js's elu has no alpha: a * (exp(x) - 1) below 0 is built from its ops.
  elu: ([x], a) => tf.where(tf.greater(x, 0), x, tf.mul(a.alpha as number, tf.sub(tf.exp(x), 1))),
  clipByValue: ([x], a) => tf.clipByValue(x, a.min as number, a.max as number),
  cast: ([x], a) => tf.cast(x, a.dtype as 'int32'),
  where: ([c, x, y]) => tf.where(tf.cast(c, 'bool'), x, y),
  broadcastTo: ([x], a) => tf.broadcastTo(x, a.shape as number[]),
};

/** Explicit [top, bottom], [left, right] padding of a conv geometry (none past the last window). */
function pads(i: Conv2DInfo): Pads {
  const extent = (o: number, s: number, f: number, d: number) => (o - 1) * s + (f - 1) * d + 1;
  const bottom =
    extent(i.outHeight, i.strideHeight, i.filterHeight, i.dilationHeight) - i.inHeight - i.padTop;
  const right = extent(i.outWidth, i.strideWidth, i.filterWidth, i.dilationWidth) - i.inWidth - i.padLeft;
  return [
    [0, 0],
    [i.padTop, Math.max(0, bottom)],
    [i.padLeft, Math.max(0, right)],
    [0, 0],
  ];
}

const strides = (i: Conv2DInfo): [number, number] => [i.strideHeight, i.strideWidth];
const dilations = (i: Conv2DInfo): [number, number] => [i.dilationHeight, i.dilationWidth];
const xShape = (i: Conv2DInfo): [number, number, number, number] => [
  i.batch,
  i.inHeight,
  i.inWidth,
  i.inChannels,
];

const conv = (x: T4, f: T4, i: Conv2DInfo) => tf.conv2d(x, f, strides(i), pads(i), 'NHWC', dilations(i));
const depthwise = (x: T4, f: T4, i: Conv2DInfo) =>
  tf.depthwiseConv2d(x, f, strides(i), pads(i), 'NHWC', dilations(i));
const maxPool = (x: T4, i: Conv2DInfo) =>
  tf.maxPool(tf.pad(x, pads(i), -Infinity), [i.filterHeight, i.filterWidth], strides(i), 'valid');
/** The mean over the window's cells inside the image (TensorFlow's 'same' rule): sum / count. */
const avgPool = (x: T4, i: Conv2DInfo) => {
  const window: [number, number] = [i.filterHeight, i.filterWidth];
  const sum = tf.avgPool(tf.pad(x, pads(i)), window, strides(i), 'valid');
  return tf.div(sum, tf.avgPool(tf.pad(tf.onesLike(x), pads(i)), window, strides(i), 'valid'));
};
/** The adjoint of `f` at a zero input of `shape`, applied to dy (TF.js's own gradient). */
const adjoint = (f: (x: tf.Tensor) => tf.Tensor, shape: number[], dy: tf.Tensor) =>
  tf.grad(f)(tf.zeros(shape), dy);

const resize = (x: T4, k: ImageKernel & { op: 'resize' | 'resizeGrad' }) => {
  const size: [number, number] = [k.outHeight, k.outWidth];
  return k.method === 'bilinear'
    ? tf.image.resizeBilinear(x, size, k.alignCorners, k.halfPixelCenters)
    : tf.image.resizeNearestNeighbor(x, size, k.alignCorners, k.halfPixelCenters);
};

const info = (a: Record<string, unknown>) => a.info as Conv2DInfo;
const kernelOf = <K>(a: Record<string, unknown>) => a.kernel as K;

/** The rest of the registry: TF.js calls, or why there is none. */
const OTHERS: Record<string, TfCall | string> = {
  sum: ([x], a) => tf.sum(x, trailing(x, a)),
  prod: ([x], a) => tf.prod(x, trailing(x, a)),
  max: ([x], a) => tf.max(x, trailing(x, a)),
  min: ([x], a) => tf.min(x, trailing(x, a)),
  // argMax/argMin of the trailing axes flattened into one (the primitive's meaning).
  argMax: ([x], a) => tf.argMax(tf.reshape(x, [...(a.outShape as number[]), -1]), -1),
  argMin: ([x], a) => tf.argMin(tf.reshape(x, [...(a.outShape as number[]), -1]), -1),
  reshape: ([x], a) => tf.reshape(x, a.shape as number[]),
  transpose: ([x], a) => tf.transpose(x, a.perm as number[]),
  slice: ([x], a) => tf.slice(x, a.begin as number[], a.size as number[]),
  pad: ([x], a) => tf.pad(x, a.paddings as [number, number][], a.value as number),
  concat: (xs, a) => tf.concat(xs, a.axis as number),
  gather: ([x, i], a) => tf.gather(x, i, a.axis as number),
  tile: ([x], a) => tf.tile(x, a.reps as number[]),
  matmul: ([x, y], a) => tf.matMul(x, y, a.transposeA as boolean, a.transposeB as boolean),
  conv2d: ([x, f], a) => conv(x as T4, f as T4, info(a)),
  conv2dBackpropInput: ([dy, f], a) => adjoint((x) => conv(x as T4, f as T4, info(a)), xShape(info(a)), dy),
  conv2dBackpropFilter: ([x, dy], a) =>
    adjoint((f) => conv(x as T4, f as T4, info(a)), [...filterShape(info(a), false)], dy),
  depthwiseConv2d: ([x, f], a) => depthwise(x as T4, f as T4, info(a)),
  depthwiseConv2dBackpropInput: ([dy, f], a) =>
    adjoint((x) => depthwise(x as T4, f as T4, info(a)), xShape(info(a)), dy),
  depthwiseConv2dBackpropFilter: ([x, dy], a) =>
    adjoint((f) => depthwise(x as T4, f as T4, info(a)), [...filterShape(info(a), true)], dy),
  maxPool: ([x], a) => maxPool(x as T4, info(a)),
  avgPool: ([x], a) => avgPool(x as T4, info(a)),
  maxPoolBackprop: ([dy, x], a) => tf.grad((v) => maxPool(v as T4, info(a)))(x, dy),
  avgPoolBackprop: ([dy], a) => adjoint((x) => avgPool(x as T4, info(a)), xShape(info(a)), dy),
  randomUniform:
    'TF.js draws from another generator: values are not comparable (moments are tested elsewhere)',
  randomNormal:
    'TF.js draws from another generator: values are not comparable (moments are tested elsewhere)',
  stopGradient: 'an identity with no gradient: TF.js has no such op (nothing to compute)',
  assign: "a Variable write: TF.js's Variable.assign keeps no separate output to compare",
  'image.resize': ([x], a) => resize(x as T4, kernelOf(a)),
  'image.resizeGrad': ([dy], a) => {
    const k = kernelOf<ImageKernel & { op: 'resizeGrad' }>(a);
    // Found by this fuzzer: TF.js 4.22's CPU resizeNearestNeighborGrad loops forever (and its bilinear
    // one returns a transposed shape) with alignCorners and an input height or width of 1.
    if (k.alignCorners && (k.inHeight === 1 || k.inWidth === 1))
      return 'TF.js hangs (nearest) or returns a wrong shape (bilinear) for the resize gradient with alignCorners and an input side of 1';
    return adjoint((x) => resize(x as T4, k), [k.batch, k.inHeight, k.inWidth, k.channels], dy);
  },
  'image.cropAndResize': ([x, boxes, ind], a) => {
    const k = kernelOf<ImageKernel & { op: 'cropAndResize' }>(a);
    return tf.image.cropAndResize(
      x as T4,
      boxes as tf.Tensor2D,
      ind as tf.Tensor1D,
      [k.outHeight, k.outWidth],
      k.method,
      k.extrapolationValue,
    );
  },
  'image.cropAndResizeGradImage': 'TF.js has no gradient for cropAndResize',
  'image.cropAndResizeGradBoxes': 'TF.js has no gradient for cropAndResize',
  'image.transform': ([x, t], a) => {
    const k = kernelOf<ImageKernel & { op: 'transform' }>(a);
    const rows = k.perImage ? t : tf.tile(t, [k.batch, 1]);
    return tf.image.transform(x as T4, rows as tf.Tensor2D, k.interpolation, k.fillMode, k.fillValue, [
      k.outHeight,
      k.outWidth,
    ]);
  },
  'image.transformGrad': 'TF.js has no gradient for image.transform',
};

function trailing(x: tf.Tensor, a: Record<string, unknown>): number[] {
  const outRank = (a.outShape as number[]).length;
  return Array.from({ length: x.rank - outRank }, (_, k) => outRank + k);
}

function filterShape(i: Conv2DInfo, dw: boolean): [number, number, number, number] {
  return [i.filterHeight, i.filterWidth, i.inChannels, dw ? i.channelMultiplier : i.outChannels];
}

/** TF.js's computation of `prim`, or the reason it has none (walked from the registry). */
export function tfjsCall(prim: PrimitiveInfo): TfCall | string {
  if (prim.kind === 'elementwise') {
    if (prim.name in ELEMENTWISE) return ELEMENTWISE[prim.name];
    const fn = (tf as unknown as Record<string, unknown>)[prim.name];
    if (typeof fn !== 'function') return `TF.js has no ${prim.name} op`;
    return (xs) => (fn as (...t: tf.Tensor[]) => tf.Tensor)(...xs);
  }
  return OTHERS[prim.name] ?? `no TF.js mapping for primitive kind '${prim.kind}'`;
}
