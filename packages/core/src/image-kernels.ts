// Image kernel descriptions (resize, crop-and-resize, projective transform) that backends implement through Backend.image.

/**
 * Image geometry in NHWC: input [batch, inHeight, inWidth, channels], output [.., outHeight, outWidth, channels].
 *
 * ```ts
 * const pixelsOut = (g: ImageGeometry) => g.batch * g.outHeight * g.outWidth * g.channels;
 * ```
 */
export interface ImageGeometry {
  batch: number;
  inHeight: number;
  inWidth: number;
  channels: number;
  outHeight: number;
  outWidth: number;
}

/**
 * Bilinear or nearest-neighbour resize with TensorFlow's corner conventions. Input [x]; output keeps x's dtype.
 *
 * ```ts
 * const k: ResizeKernel = { op: 'resize', method: 'nearest', alignCorners: false, halfPixelCenters: false, batch: 1, inHeight: 4, inWidth: 4, channels: 1, outHeight: 8, outWidth: 8 };
 * imageOutShape(k); // [1, 8, 8, 1]
 * ```
 */
export interface ResizeKernel extends ImageGeometry {
  op: 'resize';
  method: 'bilinear' | 'nearest';
  alignCorners: boolean;
  halfPixelCenters: boolean;
}

/**
 * Adjoint of `resize` (float32): input [dy] of [batch, outHeight, outWidth, channels], output [batch, inHeight, inWidth, channels].
 *
 * ```ts
 * const isGrad = (k: ImageKernel): k is ResizeGradKernel => k.op === 'resizeGrad';
 * ```
 */
export interface ResizeGradKernel extends Omit<ResizeKernel, 'op'> {
  op: 'resizeGrad';
}

/**
 * TensorFlow's CropAndResize: inputs [image float32, boxes float32 [numBoxes, 4] (y1, x1, y2, x2 normalized),
 * boxInd int32 [numBoxes]]; output float32 [numBoxes, outHeight, outWidth, channels]. `batch` is the image batch.
 *
 * ```ts
 * const boxesOf = (k: CropAndResizeKernel) => k.numBoxes; // the output's batch
 * ```
 */
export interface CropAndResizeKernel extends ImageGeometry {
  op: 'cropAndResize';
  method: 'bilinear' | 'nearest';
  numBoxes: number;
  extrapolationValue: number;
}

/**
 * Gradient of cropAndResize with respect to the image: inputs [dy, boxes, boxInd], output [batch, inHeight, inWidth, channels].
 *
 * ```ts
 * const isGrad = (k: ImageKernel): k is CropAndResizeGradKernel => k.op === 'cropAndResizeGradImage';
 * ```
 */
export interface CropAndResizeGradKernel extends Omit<CropAndResizeKernel, 'op'> {
  op: 'cropAndResizeGradImage';
}

/**
 * Gradient of bilinear cropAndResize with respect to the boxes (TensorFlow's CropAndResizeGradBoxes): inputs
 * [dy, image, boxes, boxInd], output float32 [numBoxes, 4].
 *
 * ```ts
 * const isGrad = (k: ImageKernel): k is CropAndResizeGradBoxesKernel => k.op === 'cropAndResizeGradBoxes';
 * ```
 */
export interface CropAndResizeGradBoxesKernel extends Omit<CropAndResizeKernel, 'op' | 'method'> {
  op: 'cropAndResizeGradBoxes';
}

/**
 * Out-of-image rule of a projective transform (Keras / TensorFlow names).
 *
 * ```ts
 * const fillMode: FillMode = 'wrap';
 * image.transform(zeros([1, 8, 8, 3]), tensor([[1, 0, 4, 0, 1, 0, 0, 0]]), { fillMode });
 * ```
 */
export type FillMode = 'constant' | 'reflect' | 'wrap' | 'nearest';

/**
 * TensorFlow's ImageProjectiveTransform: inputs [image float32, transforms float32 [batch or 1, 8]]; output
 * pixel (x, y) samples the input at ((a0 x + a1 y + a2) / k, (b0 x + b1 y + b2) / k), k = c0 x + c1 y + 1.
 *
 * ```ts
 * const describe = (k: TransformKernel) => `${k.interpolation}, fill ${k.fillMode} (${k.fillValue})`;
 * ```
 */
export interface TransformKernel extends ImageGeometry {
  op: 'transform';
  interpolation: 'bilinear' | 'nearest';
  fillMode: FillMode;
  fillValue: number;
  /** Whether transforms has one row per image (else one row for all). */
  perImage: boolean;
}

/**
 * Gradient of `transform` with respect to the image: inputs [dy, transforms], output [batch, inHeight, inWidth, channels].
 *
 * ```ts
 * const isGrad = (k: ImageKernel): k is TransformGradKernel => k.op === 'transformGrad';
 * ```
 */
export interface TransformGradKernel extends Omit<TransformKernel, 'op'> {
  op: 'transformGrad';
}

/**
 * Every image kernel a backend implements.
 *
 * ```ts
 * const ops = (ks: ImageKernel[]) => ks.map((k) => k.op); // 'resize', 'cropAndResize', 'transform', ...
 * ```
 */
export type ImageKernel =
  | ResizeKernel
  | ResizeGradKernel
  | CropAndResizeKernel
  | CropAndResizeGradKernel
  | CropAndResizeGradBoxesKernel
  | TransformKernel
  | TransformGradKernel;

/**
 * Output shape of an image kernel.
 *
 * ```ts
 * imageOutShape({ op: 'resize', method: 'bilinear', alignCorners: false, halfPixelCenters: true, batch: 1, inHeight: 8, inWidth: 8, channels: 3, outHeight: 4, outWidth: 4 }); // [1, 4, 4, 3]
 * ```
 */
export function imageOutShape(k: ImageKernel): number[] {
  if (k.op === 'resizeGrad' || k.op === 'cropAndResizeGradImage' || k.op === 'transformGrad') {
    return [k.batch, k.inHeight, k.inWidth, k.channels];
  }
  if (k.op === 'cropAndResizeGradBoxes') return [k.numBoxes, 4];
  const lead = k.op === 'cropAndResize' ? k.numBoxes : k.batch;
  return [lead, k.outHeight, k.outWidth, k.channels];
}
