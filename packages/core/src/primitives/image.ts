// Registry entries of the image primitives (resize, crop-and-resize, projective transform and their
// adjoints): the attrs are the plain-data kernel descriptions of image-kernels.ts.
import {
  imageOutShape,
  type CropAndResizeGradBoxesKernel,
  type CropAndResizeGradKernel,
  type CropAndResizeKernel,
  type ResizeGradKernel,
  type ResizeKernel,
  type TransformGradKernel,
  type TransformKernel,
} from '../image-kernels.js';
import { runPrimitive } from './registry.js';
import type { PrimitiveDef } from './types.js';

/** Attributes of the image primitives, by name. */
export interface ImageAttrs {
  'image.resize': { kernel: ResizeKernel };
  'image.resizeGrad': { kernel: ResizeGradKernel };
  'image.cropAndResize': { kernel: CropAndResizeKernel };
  'image.cropAndResizeGradImage': { kernel: CropAndResizeGradKernel };
  'image.cropAndResizeGradBoxes': { kernel: CropAndResizeGradBoxesKernel };
  'image.transform': { kernel: TransformKernel };
  'image.transformGrad': { kernel: TransformGradKernel };
}

const geometry = { batch: 1, inHeight: 4, inWidth: 5, channels: 2, outHeight: 3, outWidth: 7 };
const img = (shape: number[]) => ({ shape, dtype: 'float32' as const, range: [0, 1] as const });
const boxInputs = [
  img([1, 4, 5, 2]),
  { shape: [2, 4], dtype: 'float32' as const, range: [0, 1] as const },
  { shape: [2], dtype: 'int32' as const, range: [0, 1] as const },
];
const crop: CropAndResizeKernel = {
  ...geometry,
  op: 'cropAndResize',
  method: 'bilinear',
  numBoxes: 2,
  extrapolationValue: 0,
};
const resizeK: ResizeKernel = {
  ...geometry,
  op: 'resize',
  method: 'bilinear',
  alignCorners: false,
  halfPixelCenters: true,
};

const transformK: TransformKernel = {
  ...geometry,
  outHeight: 4,
  outWidth: 5,
  op: 'transform',
  interpolation: 'bilinear',
  fillMode: 'constant',
  fillValue: 0,
  perImage: false,
};
const transformRow = { shape: [1, 8], dtype: 'float32' as const, range: [0, 0.2] as const };

const SECOND_ORDER =
  'image.cropAndResize: second-order gradients involving the boxes are not implemented (nor in TensorFlow)';

/** Attributes of the boxes gradient of a bilinear crop (TensorFlow has none for 'nearest'). */
function boxesGrad(kernel: CropAndResizeKernel): { kernel: CropAndResizeGradBoxesKernel } {
  if (kernel.method !== 'bilinear') {
    throw new Error(
      "image.cropAndResize: the gradient with respect to boxes needs method 'bilinear' (as in TensorFlow), got 'nearest'",
    );
  }
  const { method: _m, ...rest } = kernel;
  return { kernel: { ...rest, op: 'cropAndResizeGradBoxes', extrapolationValue: 0 } };
}

/** Registry entries of the image primitives. */
export function imagePrimitives(): { [P in keyof ImageAttrs]: PrimitiveDef<ImageAttrs[P]> } {
  return {
    'image.resize': {
      kind: 'layout',
      arity: 1,
      infer: ([x], { kernel }) => [{ shape: imageOutShape(kernel), dtype: x.dtype }],
      kernel: (b, xs, { kernel }, [out]) => [b.image(kernel, xs, out.dtype)],
      grad: ([dy], _s, { kernel }) =>
        runPrimitive('image.resizeGrad', [dy], { kernel: { ...kernel, op: 'resizeGrad' } }),
      example: () => ({ inputs: [img([1, 4, 5, 2])], attrs: { kernel: resizeK } }),
    },
    // The adjoint is linear in dy; its own adjoint is the forward resize, so gradients nest.
    'image.resizeGrad': {
      kind: 'layout',
      arity: 1,
      infer: (_xs, { kernel }) => [{ shape: imageOutShape(kernel), dtype: 'float32' }],
      kernel: (b, xs, { kernel }) => [b.image(kernel, xs, 'float32')],
      grad: ([g], _s, { kernel }) =>
        runPrimitive('image.resize', [g], { kernel: { ...kernel, op: 'resize' } }),
      example: () => ({
        inputs: [img([1, 3, 7, 2])],
        attrs: { kernel: { ...resizeK, op: 'resizeGrad' } },
      }),
    },
    'image.cropAndResize': {
      kind: 'layout',
      arity: 3,
      infer: (_xs, { kernel }) => [{ shape: imageOutShape(kernel), dtype: 'float32' }],
      kernel: (b, xs, { kernel }) => [b.image(kernel, xs, 'float32')],
      grad: ([dy], s, { kernel }) => {
        const [image, boxes, boxInd] = s.inputs;
        const k: CropAndResizeGradKernel = { ...kernel, op: 'cropAndResizeGradImage' };
        return [
          s.needs[0]
            ? runPrimitive('image.cropAndResizeGradImage', [dy, boxes, boxInd], { kernel: k })[0]
            : null,
          s.needs[1]
            ? runPrimitive('image.cropAndResizeGradBoxes', [dy, image, boxes, boxInd], boxesGrad(kernel))[0]
            : null,
          null,
        ];
      },
      example: () => ({ inputs: boxInputs, attrs: { kernel: crop } }),
    },
    'image.cropAndResizeGradImage': {
      kind: 'layout',
      arity: 3,
      infer: (_xs, { kernel }) => [{ shape: imageOutShape(kernel), dtype: 'float32' }],
      kernel: (b, xs, { kernel }) => [b.image(kernel, xs, 'float32')],
      grad: ([g], s, { kernel }) => {
        if (s.needs[1]) throw new Error(SECOND_ORDER);
        const k: CropAndResizeKernel = { ...kernel, op: 'cropAndResize', extrapolationValue: 0 };
        return [
          s.needs[0]
            ? runPrimitive('image.cropAndResize', [g, s.inputs[1], s.inputs[2]], { kernel: k })[0]
            : null,
          null,
          null,
        ];
      },
      example: () => ({
        inputs: [img([2, 3, 7, 2]), boxInputs[1], boxInputs[2]],
        attrs: { kernel: { ...crop, op: 'cropAndResizeGradImage' } },
      }),
    },
    // TensorFlow has no gradient of CropAndResizeGradBoxes either.
    'image.cropAndResizeGradBoxes': {
      kind: 'layout',
      arity: 4,
      infer: (_xs, { kernel }) => [{ shape: imageOutShape(kernel), dtype: 'float32' }],
      kernel: (b, xs, { kernel }) => [b.image(kernel, xs, 'float32')],
      grad: (_gs, s) => {
        if (s.needs.some(Boolean)) throw new Error(SECOND_ORDER);
        return [null, null, null, null];
      },
      example: () => ({
        inputs: [img([2, 3, 7, 2]), boxInputs[0], boxInputs[1], boxInputs[2]],
        attrs: boxesGrad(crop),
      }),
    },
    'image.transform': {
      kind: 'layout',
      arity: 2,
      infer: (_xs, { kernel }) => [{ shape: imageOutShape(kernel), dtype: 'float32' }],
      kernel: (b, xs, { kernel }) => [b.image(kernel, xs, 'float32')],
      grad: ([dy], s, { kernel }) => {
        if (s.needs[1]) {
          throw new Error(
            'image.transform: the gradient with respect to transforms is not implemented (as in TensorFlow)',
          );
        }
        const k: TransformGradKernel = { ...kernel, op: 'transformGrad' };
        return [
          s.needs[0] ? runPrimitive('image.transformGrad', [dy, s.inputs[1]], { kernel: k })[0] : null,
          null,
        ];
      },
      example: () => ({ inputs: [img([1, 4, 5, 2]), transformRow], attrs: { kernel: transformK } }),
    },
    // Linear in dy; its adjoint is the forward transform with a zero fill, so gradients nest.
    'image.transformGrad': {
      kind: 'layout',
      arity: 2,
      infer: (_xs, { kernel }) => [{ shape: imageOutShape(kernel), dtype: 'float32' }],
      kernel: (b, xs, { kernel }) => [b.image(kernel, xs, 'float32')],
      grad: ([g], s, { kernel }) => {
        if (s.needs[1]) {
          throw new Error(
            'image.transform: the gradient with respect to transforms is not implemented (as in TensorFlow)',
          );
        }
        const k: TransformKernel = { ...kernel, op: 'transform', fillValue: 0 };
        return [
          s.needs[0] ? runPrimitive('image.transform', [g, s.inputs[1]], { kernel: k })[0] : null,
          null,
        ];
      },
      example: () => ({
        inputs: [img([1, 4, 5, 2]), transformRow],
        attrs: { kernel: { ...transformK, op: 'transformGrad' } },
      }),
    },
  };
}
