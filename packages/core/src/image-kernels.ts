// Image kernel descriptions (resize, crop-and-resize, projective transform) that backends implement through Backend.image.

/** Image geometry in NHWC: input [batch, inHeight, inWidth, channels], output [.., outHeight, outWidth, channels]. */
export interface ImageGeometry {
  batch: number;
  inHeight: number;
  inWidth: number;
  channels: number;
  outHeight: number;
  outWidth: number;
}

/** Bilinear or nearest-neighbour resize with TensorFlow's corner conventions. Input [x]; output keeps x's dtype. */
export interface ResizeKernel extends ImageGeometry {
  op: 'resize';
  method: 'bilinear' | 'nearest';
  alignCorners: boolean;
  halfPixelCenters: boolean;
}

/** Adjoint of `resize` (float32): input [dy] of [batch, outHeight, outWidth, channels], output [batch, inHeight, inWidth, channels]. */
export interface ResizeGradKernel extends Omit<ResizeKernel, 'op'> {
  op: 'resizeGrad';
}

/**
 * TensorFlow's CropAndResize: inputs [image float32, boxes float32 [numBoxes, 4] (y1, x1, y2, x2 normalized),
 * boxInd int32 [numBoxes]]; output float32 [numBoxes, outHeight, outWidth, channels]. `batch` is the image batch.
 */
export interface CropAndResizeKernel extends ImageGeometry {
  op: 'cropAndResize';
  method: 'bilinear' | 'nearest';
  numBoxes: number;
  extrapolationValue: number;
}

/** Gradient of cropAndResize with respect to the image: inputs [dy, boxes, boxInd], output [batch, inHeight, inWidth, channels]. */
export interface CropAndResizeGradKernel extends Omit<CropAndResizeKernel, 'op'> {
  op: 'cropAndResizeGradImage';
}

/**
 * Gradient of bilinear cropAndResize with respect to the boxes (TensorFlow's CropAndResizeGradBoxes): inputs
 * [dy, image, boxes, boxInd], output float32 [numBoxes, 4].
 */
export interface CropAndResizeGradBoxesKernel extends Omit<CropAndResizeKernel, 'op' | 'method'> {
  op: 'cropAndResizeGradBoxes';
}

/** Out-of-image rule of a projective transform (Keras / TensorFlow names). */
export type FillMode = 'constant' | 'reflect' | 'wrap' | 'nearest';

/**
 * TensorFlow's ImageProjectiveTransform: inputs [image float32, transforms float32 [batch or 1, 8]]; output
 * pixel (x, y) samples the input at ((a0 x + a1 y + a2) / k, (b0 x + b1 y + b2) / k), k = c0 x + c1 y + 1.
 */
export interface TransformKernel extends ImageGeometry {
  op: 'transform';
  interpolation: 'bilinear' | 'nearest';
  fillMode: FillMode;
  fillValue: number;
  /** Whether transforms has one row per image (else one row for all). */
  perImage: boolean;
}

/** Gradient of `transform` with respect to the image: inputs [dy, transforms], output [batch, inHeight, inWidth, channels]. */
export interface TransformGradKernel extends Omit<TransformKernel, 'op'> {
  op: 'transformGrad';
}

/** Every image kernel a backend implements. */
export type ImageKernel =
  | ResizeKernel
  | ResizeGradKernel
  | CropAndResizeKernel
  | CropAndResizeGradKernel
  | CropAndResizeGradBoxesKernel
  | TransformKernel
  | TransformGradKernel;

/** Output shape of an image kernel. */
export function imageOutShape(k: ImageKernel): number[] {
  if (k.op === 'resizeGrad' || k.op === 'cropAndResizeGradImage' || k.op === 'transformGrad') {
    return [k.batch, k.inHeight, k.inWidth, k.channels];
  }
  if (k.op === 'cropAndResizeGradBoxes') return [k.numBoxes, 4];
  const lead = k.op === 'cropAndResize' ? k.numBoxes : k.batch;
  return [lead, k.outHeight, k.outWidth, k.channels];
}
