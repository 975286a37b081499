// browser.toPixels: a [h, w] or [h, w, 1|3|4] tensor to RGBA bytes (TF.js semantics), drawn into a canvas when given.
import { fmtShape } from '../shape.js';
import type { Tensor } from '../tensor.js';

const OP = 'browser.toPixels';

/**
 * A canvas toPixels can draw into: HTMLCanvasElement or OffscreenCanvas (structurally).
 *
 * ```ts
 * const target: PixelCanvas = new OffscreenCanvas(28, 28);
 * await browser.toPixels(zeros([28, 28, 1]), target);
 * ```
 */
export interface PixelCanvas {
  width: number;
  height: number;
  getContext(type: '2d'): unknown;
}

interface Context2D {
  putImageData(data: unknown, x: number, y: number): void;
}

/**
 * RGBA bytes of an image tensor: float32 values in [0, 1] or int32 values in 0..255; one channel
 * gives gray, three get alpha 255. Draws into `canvas` (resized to the image) when given.
 *
 * ```ts
 * const rgba = await browser.toPixels(image, canvas);
 * ```
 */
export async function toPixels(t: Tensor, canvas?: PixelCanvas): Promise<Uint8ClampedArray> {
  if (t.rank !== 2 && t.rank !== 3) {
    throw new Error(`${OP}: the tensor must be rank 2 or 3 ([h, w] or [h, w, c]), got ${fmtShape(t.shape)}`);
  }
  const [height, width] = t.shape;
  const depth = t.rank === 2 ? 1 : t.shape[2];
  if (depth !== 1 && depth !== 3 && depth !== 4) {
    throw new Error(`${OP}: the tensor must have 1, 3 or 4 channels, got ${fmtShape(t.shape)}`);
  }
  if (t.dtype !== 'float32' && t.dtype !== 'int32') {
    throw new Error(`${OP}: unsupported dtype ${t.dtype} (float32 in [0, 1] or int32 in 0..255)`);
  }
  const values = await t.data();
  const [scale, max] = t.dtype === 'float32' ? [255, 1] : [1, 255];
  const bytes = new Uint8ClampedArray(width * height * 4);
  for (let p = 0; p < width * height; p++) {
    const rgba = [0, 0, 0, 255];
    for (let k = 0; k < depth; k++) {
      const v = values[p * depth + k];
      if (!(v >= 0 && v <= max)) {
        throw new Error(
          `${OP}: ${t.dtype} values must be in [0, ${max}], found ${v} at pixel (${Math.floor(p / width)}, ${p % width}) channel ${k} of ${fmtShape(t.shape)}`,
        );
      }
      rgba[k] = Math.round(v * scale);
    }
    if (depth === 1) rgba[1] = rgba[2] = rgba[0];
    bytes.set(rgba, p * 4);
  }
  if (canvas) draw(canvas, bytes, width, height);
  return bytes;
}

function draw(canvas: PixelCanvas, bytes: Uint8ClampedArray, width: number, height: number): void {
  const Image = (globalThis as { ImageData?: new (d: Uint8ClampedArray, w: number, h: number) => unknown })
    .ImageData;
  if (!Image) throw new Error(`${OP}: drawing into a canvas needs ImageData (browsers and Workers)`);
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d') as Context2D | null;
  if (!ctx || typeof ctx.putImageData !== 'function') {
    throw new Error(`${OP}: the canvas has no 2-D context (it may already have a webgpu or webgl context)`);
  }
  ctx.putImageData(new Image(bytes, width, height), 0, 0);
}
