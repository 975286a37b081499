// browser.*: pixels in (fromPixels) and out (toPixels), as tf.browser.
import { fromPixels } from './from-pixels.js';
import { toPixels } from './to-pixels.js';

/**
 * Pixels in and out, as `tf.browser`.
 *
 * ```ts
 * const x = browser.fromPixels(canvas);         // int32 [h, w, 3]
 * await browser.toPixels(x.div(255), canvas);   // draws it back
 * ```
 */
export const browser = { fromPixels, toPixels };
export type { PixelData, PixelSource, PixelUploader } from './from-pixels.js';
export type { PixelCanvas } from './to-pixels.js';
