// image.*: resize (bilinear, nearest), cropAndResize, flipLeftRight, rgbToGrayscale and projective transform, as in tf.image.
import { ENGINE } from '../engine.js';
import { loadImagePrimitives } from '../primitives/public.js';
import { runPrimitive } from '../primitives/registry.js';
import {
  type CropAndResizeKernel,
  type FillMode,
  type ResizeKernel,
  type TransformKernel,
} from '../image-kernels.js';
import { fmtShape } from '../shape.js';
import { Tensor } from '../tensor.js';
import { tensor } from './creation.js';
import { cast } from './elementwise.js';
import { reshape, gather } from './shape-ops.js';

/**
 * Options of `image.resizeBilinear` and `image.resizeNearestNeighbor` (TensorFlow's corner conventions).
 *
 * ```ts
 * const options: ResizeOptions = { alignCorners: false, halfPixelCenters: true };
 * image.resizeBilinear(zeros([1, 8, 8, 3]), [4, 4], options);
 * ```
 */
export interface ResizeOptions {
  /** Map the corner pixels of input and output onto each other (default false). */
  alignCorners?: boolean;
  /** Sample at pixel centres, as TF 2's `tf.image.resize` does (default false). */
  halfPixelCenters?: boolean;
}

/**
 * Options of `image.cropAndResize`.
 *
 * ```ts
 * const options: CropAndResizeOptions = { method: 'nearest', extrapolationValue: 0 };
 * image.cropAndResize(zeros([1, 8, 8, 3]), tensor([[0, 0, 0.5, 0.5]]), tensor([0], [1], 'int32'), [4, 4], options);
 * ```
 */
export interface CropAndResizeOptions {
  method?: 'bilinear' | 'nearest';
  /** Value of samples that fall outside the image (default 0). */
  extrapolationValue?: number;
}

/**
 * Options of `image.transform`.
 *
 * ```ts
 * const options: TransformOptions = { interpolation: 'bilinear', fillMode: 'reflect' };
 * image.transform(zeros([1, 8, 8, 3]), tensor([[1, 0, 2, 0, 1, 0, 0, 0]]), options); // shifted 2 pixels
 * ```
 */
export interface TransformOptions {
  interpolation?: 'nearest' | 'bilinear';
  fillMode?: FillMode;
  /** Value outside the image when fillMode is 'constant' (default 0). */
  fillValue?: number;
  /** Output [height, width] (default: the input's). */
  outputShape?: readonly [number, number];
}

function checkSize(op: string, size: readonly number[], what = 'size'): [number, number] {
  if (size.length !== 2 || !size.every((d) => Number.isInteger(d) && d >= 1)) {
    throw new Error(`${op}: ${what} must be [height, width] of positive integers, got [${size.join(', ')}]`);
  }
  return [size[0], size[1]];
}

/** x as [batch, h, w, c] and whether it was rank 3. */
function batched(op: string, x: Tensor, ranks: readonly number[] = [3, 4]): [Tensor, boolean] {
  if (!(x instanceof Tensor)) throw new Error(`${op}: the image must be a Tensor`);
  if (!ranks.includes(x.rank)) {
    throw new Error(
      `${op}: the image must be rank ${ranks.join(' or ')} ([batch,] height, width, channels), got ${fmtShape(x.shape)}`,
    );
  }
  if (x.size === 0) throw new Error(`${op}: the image ${fmtShape(x.shape)} is empty`);
  return x.rank === 3 ? [reshape(x, [1, ...x.shape]), true] : [x, false];
}

const unbatch = (y: Tensor, was3: boolean) => (was3 ? reshape(y, y.shape.slice(1)) : y);

// The primitives and their gradients are in primitives/image.ts, loaded on the first image op.
const resizeRaw = (x: Tensor, kernel: ResizeKernel) => {
  loadImagePrimitives();
  return runPrimitive('image.resize', [x], { kernel })[0];
};

function resize(
  op: string,
  method: 'bilinear' | 'nearest',
  x: Tensor,
  size: readonly number[],
  options: ResizeOptions,
): Tensor {
  const [outHeight, outWidth] = checkSize(op, size);
  const { alignCorners = false, halfPixelCenters = false, ...rest } = options;
  const unknown = Object.keys(rest);
  if (unknown.length > 0)
    throw new Error(`${op}: unknown option '${unknown[0]}' (alignCorners, halfPixelCenters)`);
  if (alignCorners && halfPixelCenters) {
    throw new Error(`${op}: alignCorners and halfPixelCenters cannot both be true`);
  }
  return ENGINE.tidy(() => {
    const [x4, was3] = batched(op, x);
    if (x4.dtype === 'bool') throw new Error(`${op}: the image must be float32 or int32, got bool`);
    const input = method === 'bilinear' ? cast(x4, 'float32') : x4;
    const [batch, inHeight, inWidth, channels] = x4.shape;
    const k: ResizeKernel = {
      op: 'resize',
      method,
      alignCorners,
      halfPixelCenters,
      batch,
      inHeight,
      inWidth,
      channels,
      outHeight,
      outWidth,
    };
    return unbatch(resizeRaw(input, k), was3);
  });
}

/**
 * Bilinear resize of [batch, h, w, c] or [h, w, c] images (TensorFlow's conventions; the result is float32).
 *
 * ```ts
 * image.resizeBilinear(x, [64, 64], { halfPixelCenters: true });
 * ```
 */
function resizeBilinear(x: Tensor, size: readonly [number, number], options: ResizeOptions = {}): Tensor {
  return resize('image.resizeBilinear', 'bilinear', x, size, options);
}

/**
 * Nearest-neighbour resize (keeps the dtype).
 *
 * ```ts
 * image.resizeNearestNeighbor(x, [32, 48], { alignCorners: true });
 * ```
 */
function resizeNearestNeighbor(
  x: Tensor,
  size: readonly [number, number],
  options: ResizeOptions = {},
): Tensor {
  return resize('image.resizeNearestNeighbor', 'nearest', x, size, options);
}

const cropRaw = (img: Tensor, boxes: Tensor, boxInd: Tensor, kernel: CropAndResizeKernel) => {
  loadImagePrimitives();
  return runPrimitive('image.cropAndResize', [img, boxes, boxInd], { kernel })[0];
};

/**
 * Crops boxes (normalized [y1, x1, y2, x2], parts outside the image get `extrapolationValue`) from
 * [batch, h, w, c] images and resizes each to `cropSize`: [numBoxes, cropH, cropW, c] float32.
 * A box index outside the batch throws on the CPU backend and gives NaN samples on WebGPU.
 *
 * ```ts
 * image.cropAndResize(x, [[0, 0, 0.5, 0.5]], [0], [24, 24]);
 * ```
 */
function cropAndResize(
  img: Tensor,
  boxes: Tensor | readonly (readonly number[])[],
  boxInd: Tensor | readonly number[],
  cropSize: readonly [number, number],
  options: CropAndResizeOptions = {},
): Tensor {
  const op = 'image.cropAndResize';
  const [outHeight, outWidth] = checkSize(op, cropSize, 'cropSize');
  const { method = 'bilinear', extrapolationValue = 0 } = options;
  if (method !== 'bilinear' && method !== 'nearest')
    throw new Error(`${op}: method must be 'bilinear' or 'nearest', got '${String(method)}'`);
  return ENGINE.tidy(() => {
    const [x4] = batched(op, img, [4]);
    const b =
      boxes instanceof Tensor
        ? boxes
        : tensor(
            boxes.length ? (boxes as number[][]) : new Float32Array(0),
            boxes.length ? undefined : [0, 4],
            'float32',
          );
    const bi = boxInd instanceof Tensor ? boxInd : tensor(Int32Array.from(boxInd), [boxInd.length], 'int32');
    const numBoxes = b.shape[0];
    if (b.rank !== 2 || b.shape[1] !== 4 || b.dtype !== 'float32') {
      throw new Error(`${op}: boxes must be float32 [numBoxes, 4], got ${b.dtype} ${fmtShape(b.shape)}`);
    }
    if (bi.rank !== 1 || bi.shape[0] !== numBoxes || bi.dtype !== 'int32') {
      throw new Error(
        `${op}: boxInd must be int32 [${numBoxes}] (one per box), got ${bi.dtype} ${fmtShape(bi.shape)}`,
      );
    }
    if (!(boxInd instanceof Tensor)) {
      const bad = boxInd.findIndex((i) => !Number.isInteger(i) || i < 0 || i >= x4.shape[0]);
      if (bad >= 0)
        throw new Error(
          `${op}: boxInd[${bad}] = ${boxInd[bad]} is outside [0, ${x4.shape[0]}) (the image batch)`,
        );
    }
    const [batch, inHeight, inWidth, channels] = x4.shape;
    const k: CropAndResizeKernel = {
      op: 'cropAndResize',
      method,
      extrapolationValue,
      numBoxes,
      batch,
      inHeight,
      inWidth,
      channels,
      outHeight,
      outWidth,
    };
    return cropRaw(cast(x4, 'float32'), b, bi, k);
  });
}

/**
 * Mirrors images horizontally ([batch, h, w, c] or [h, w, c]).
 *
 * ```ts
 * image.flipLeftRight(x);
 * ```
 */
function flipLeftRight(x: Tensor): Tensor {
  if (!(x instanceof Tensor) || (x.rank !== 3 && x.rank !== 4)) {
    throw new Error(
      `image.flipLeftRight: the image must be a rank 3 or 4 Tensor, got ${x instanceof Tensor ? fmtShape(x.shape) : typeof x}`,
    );
  }
  const w = x.shape[x.rank - 2];
  const reversed = Array.from({ length: w }, (_, i) => w - 1 - i);
  return gather(x, reversed, x.rank - 2);
}

/**
 * RGB to grayscale with TensorFlow's weights (0.2989, 0.587, 0.114): [..., 3] -> [..., 1], same dtype.
 *
 * ```ts
 * image.rgbToGrayscale(x);
 * ```
 */
function rgbToGrayscale(x: Tensor): Tensor {
  if (x.rank < 2 || x.shape[x.rank - 1] !== 3) {
    throw new Error(
      `image.rgbToGrayscale: the last dimension must be 3 (RGB) and the rank at least 2, got ${fmtShape(x.shape)}`,
    );
  }
  if (x.dtype === 'bool')
    throw new Error('image.rgbToGrayscale: the image must be float32 or int32, got bool');
  return ENGINE.tidy(() => {
    const gray = cast(x, 'float32')
      .mul(tensor([0.2989, 0.587, 0.114]))
      .sum(-1, true);
    return x.dtype === 'int32' ? cast(gray, 'int32') : gray;
  });
}

/**
 * Projective transform of [batch, h, w, c] images (what Keras's RandomRotation/Zoom/Translation use):
 * `transforms` is [batch or 1, 8] rows [a0, a1, a2, b0, b1, b2, c0, c1] mapping output to input points.
 *
 * ```ts
 * image.transform(x, [[1, 0, -3, 0, 1, 0, 0, 0]], { interpolation: 'bilinear', fillMode: 'reflect' });
 * ```
 */
function transform(
  img: Tensor,
  transforms: Tensor | readonly (readonly number[])[],
  options: TransformOptions = {},
): Tensor {
  const op = 'image.transform';
  const { interpolation = 'nearest', fillMode = 'constant', fillValue = 0, outputShape } = options;
  if (interpolation !== 'nearest' && interpolation !== 'bilinear') {
    throw new Error(`${op}: interpolation must be 'nearest' or 'bilinear', got '${String(interpolation)}'`);
  }
  if (!['constant', 'reflect', 'wrap', 'nearest'].includes(fillMode)) {
    throw new Error(
      `${op}: fillMode must be 'constant', 'reflect', 'wrap' or 'nearest', got '${String(fillMode)}'`,
    );
  }
  return ENGINE.tidy(() => {
    const [x4] = batched(op, img, [4]);
    const t =
      transforms instanceof Tensor ? transforms : tensor(transforms as number[][], undefined, 'float32');
    const [batch, inHeight, inWidth, channels] = x4.shape;
    if (
      t.rank !== 2 ||
      t.shape[1] !== 8 ||
      (t.shape[0] !== batch && t.shape[0] !== 1) ||
      t.dtype !== 'float32'
    ) {
      throw new Error(
        `${op}: transforms must be float32 [${batch} or 1, 8] for images ${fmtShape(x4.shape)}, got ${t.dtype} ${fmtShape(t.shape)}`,
      );
    }
    const [outHeight, outWidth] = outputShape
      ? checkSize(op, outputShape, 'outputShape')
      : [inHeight, inWidth];
    const k: TransformKernel = {
      op: 'transform',
      interpolation,
      fillMode,
      fillValue,
      perImage: t.shape[0] === batch && batch > 1,
      batch,
      inHeight,
      inWidth,
      channels,
      outHeight,
      outWidth,
    };
    loadImagePrimitives();
    return runPrimitive('image.transform', [cast(x4, 'float32'), t], { kernel: k })[0];
  });
}

/**
 * Image ops, as `tf.image`: resizeBilinear, resizeNearestNeighbor, cropAndResize, flipLeftRight,
 * rgbToGrayscale, transform.
 *
 * ```ts
 * const small = image.resizeBilinear(images, [64, 64]);
 * ```
 */
export const image = {
  resizeBilinear,
  resizeNearestNeighbor,
  cropAndResize,
  flipLeftRight,
  rgbToGrayscale,
  transform,
};
