// CPU reference (float64) of TensorFlow's CropAndResizeGradBoxes: the gradient of bilinear cropAndResize with respect to the boxes.
import type { CropAndResizeGradBoxesKernel } from '../image-kernels.js';
import type { TypedArray } from '../types.js';

/**
 * Per box, sums dy times the derivative of each in-image bilinear sample with respect to y1, x1, y2, x2
 * (samples outside the image hold the constant extrapolation value, so they contribute nothing).
 */
export function cropAndResizeGradBoxes(
  k: CropAndResizeGradBoxesKernel,
  [dy, image, boxes, boxInd]: TypedArray[],
  out: Float64Array,
): void {
  const { inHeight: H, inWidth: W, channels: C, outHeight: OH, outWidth: OW } = k;
  for (let b = 0; b < k.numBoxes; b++) {
    const n = boxInd[b];
    if (!(n >= 0 && n < k.batch)) {
      throw new Error(
        `image.cropAndResize: boxInd[${b}] = ${n} is outside [0, ${k.batch}) (the image batch)`,
      );
    }
    const [y1, x1, y2, x2] = [boxes[4 * b], boxes[4 * b + 1], boxes[4 * b + 2], boxes[4 * b + 3]];
    const at = (y: number, x: number, c: number) => image[((n * H + y) * W + x) * C + c];
    for (let y = 0; y < OH; y++) {
      const yi = OH > 1 ? y1 * (H - 1) + (y * (y2 - y1) * (H - 1)) / (OH - 1) : 0.5 * (y1 + y2) * (H - 1);
      if (yi < 0 || yi > H - 1) continue;
      // d yi / d y1 and d yi / d y2.
      const [wy1, wy2] =
        OH > 1 ? [(H - 1) * (1 - y / (OH - 1)), ((H - 1) * y) / (OH - 1)] : [0.5 * (H - 1), 0.5 * (H - 1)];
      const [t, bt] = [Math.floor(yi), Math.ceil(yi)];
      const fy = yi - t;
      for (let x = 0; x < OW; x++) {
        const xi = OW > 1 ? x1 * (W - 1) + (x * (x2 - x1) * (W - 1)) / (OW - 1) : 0.5 * (x1 + x2) * (W - 1);
        if (xi < 0 || xi > W - 1) continue;
        const [wx1, wx2] =
          OW > 1 ? [(W - 1) * (1 - x / (OW - 1)), ((W - 1) * x) / (OW - 1)] : [0.5 * (W - 1), 0.5 * (W - 1)];
        const [l, r] = [Math.floor(xi), Math.ceil(xi)];
        const fx = xi - l;
        for (let c = 0; c < C; c++) {
          const g = dy[((b * OH + y) * OW + x) * C + c];
          const [tl, tr, bl, br] = [at(t, l, c), at(t, r, c), at(bt, l, c), at(bt, r, c)];
          // Derivatives of the sample along y and x (TensorFlow's one-sided choice at whole pixels).
          const gy = tl + (tr - tl) * fx - (bl + (br - bl) * fx);
          const gx = (1 - fy) * (tr - tl) + fy * (br - bl);
          out[4 * b] -= g * gy * wy1;
          out[4 * b + 2] -= g * gy * wy2;
          out[4 * b + 1] += g * gx * wx1;
          out[4 * b + 3] += g * gx * wx2;
        }
      }
    }
  }
}
