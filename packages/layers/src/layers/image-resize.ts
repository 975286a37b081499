// Shared by Resizing and CenterCrop: Keras's resize (TF 2 half-pixel centres) with an optional centred crop to the target aspect ratio.
import { image, slice, type Tensor } from '@webdl/core';

/** Resize interpolations the image layers take. */
export type ResizeInterpolation = 'bilinear' | 'nearest';

/**
 * Resizes [batch, h, w, c] or [h, w, c] images to [height, width] as Keras does; with cropToAspectRatio
 * the largest centred window of the target aspect ratio is cut first (Keras's smart_resize).
 */
export function kerasResize(
  x: Tensor,
  height: number,
  width: number,
  interpolation: ResizeInterpolation,
  cropToAspectRatio: boolean,
): Tensor {
  let img = x.dtype === 'float32' ? x : x.cast('float32');
  if (cropToAspectRatio) {
    const r = img.rank;
    const [h, w] = img.shape.slice(r - 3, r - 1);
    const cropH = Math.min(h, Math.floor((w * height) / width));
    const cropW = Math.min(w, Math.floor((h * width) / height));
    const begin = img.shape.map(() => 0);
    begin[r - 3] = Math.floor((h - cropH) / 2);
    begin[r - 2] = Math.floor((w - cropW) / 2);
    const size = [...img.shape];
    size[r - 3] = cropH;
    size[r - 2] = cropW;
    img = slice(img, begin, size);
  }
  const options = { halfPixelCenters: true };
  return interpolation === 'nearest'
    ? image.resizeNearestNeighbor(img, [height, width], options)
    : image.resizeBilinear(img, [height, width], options);
}
