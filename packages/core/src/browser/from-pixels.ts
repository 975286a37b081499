// browser.fromPixels: images, canvases, video and frames to int32 [h, w, c] tensors (structural types: works in Workers, names no DOM class).
import type { Backend, DataId } from '../backend.js';
import { ENGINE } from '../engine.js';
import type { Tensor } from '../tensor.js';

/**
 * Pixels as ImageData holds them: RGBA bytes, row by row.
 *
 * ```ts
 * const pixels: PixelData = { data: new Uint8ClampedArray(4 * 2 * 2).fill(255), width: 2, height: 2 };
 * browser.fromPixels(pixels); // int32 [2, 2, 3], all 255
 * ```
 */
export interface PixelData {
  readonly data: ArrayLike<number>;
  readonly width: number;
  readonly height: number;
}

/**
 * What fromPixels accepts: ImageData (or any { data, width, height } RGBA object), HTMLImageElement,
 * HTMLCanvasElement, OffscreenCanvas, ImageBitmap, HTMLVideoElement or VideoFrame.
 *
 * ```ts
 * const source: PixelSource = canvas; // also ImageData, ImageBitmap, a video or image element
 * browser.fromPixels(source, 3);
 * ```
 */
export type PixelSource = PixelData | object;

/**
 * A backend that uploads pixel sources itself (WebGPU: copyExternalImageToTexture); null means "cannot, use the canvas path".
 *
 * ```ts
 * const canUpload = (b: Backend): b is Backend & PixelUploader => 'fromPixels' in b;
 * ```
 */
export interface PixelUploader {
  fromPixels(source: object, width: number, height: number, numChannels: number): DataId | null;
}

const OP = 'browser.fromPixels';

interface Dims {
  width: number;
  height: number;
}

const num = (o: object, k: string): number | undefined => {
  const v = (o as Record<string, unknown>)[k];
  return typeof v === 'number' ? v : undefined;
};

/** Width and height of a source, or a clear error when it has no pixels yet. */
function sourceDims(src: object): Dims {
  if (num(src, 'videoWidth') !== undefined && num(src, 'readyState') !== undefined) {
    // HTMLVideoElement: HAVE_CURRENT_DATA (2) or more means a frame is there to read.
    if ((num(src, 'readyState') ?? 0) < 2 || !num(src, 'videoWidth')) {
      throw new Error(
        `${OP}: the video is not ready (readyState ${num(src, 'readyState')}, ${num(src, 'videoWidth')}x${num(src, 'videoHeight')}); wait for its 'loadeddata' event`,
      );
    }
    return { width: num(src, 'videoWidth') ?? 0, height: num(src, 'videoHeight') ?? 0 };
  }
  if (num(src, 'displayWidth') !== undefined && num(src, 'codedWidth') !== undefined) {
    if ((src as { format?: unknown }).format === null && !num(src, 'displayWidth')) {
      throw new Error(`${OP}: the VideoFrame is closed`);
    }
    return { width: num(src, 'displayWidth') ?? 0, height: num(src, 'displayHeight') ?? 0 };
  }
  if (num(src, 'naturalWidth') !== undefined) {
    const complete = (src as { complete?: boolean }).complete;
    if (!complete || !num(src, 'naturalWidth')) {
      throw new Error(
        `${OP}: the image is not decoded yet (complete: ${String(complete)}); await img.decode() first`,
      );
    }
    return { width: num(src, 'naturalWidth') ?? 0, height: num(src, 'naturalHeight') ?? 0 };
  }
  const width = num(src, 'width');
  const height = num(src, 'height');
  if (width === undefined || height === undefined) {
    throw new Error(
      `${OP}: expected ImageData, an image, canvas, OffscreenCanvas, ImageBitmap, video or VideoFrame, got ${Object.prototype.toString.call(src)}`,
    );
  }
  return { width, height };
}

function isPixelData(src: object): src is PixelData {
  const d = (src as { data?: unknown }).data;
  return (d instanceof Uint8ClampedArray || d instanceof Uint8Array) && num(src, 'width') !== undefined;
}

/** RGBA bytes to int32 [h, w, c] values. */
function unpack(rgba: ArrayLike<number>, width: number, height: number, c: number): Int32Array {
  const out = new Int32Array(width * height * c);
  for (let p = 0, o = 0; p < width * height; p++) for (let k = 0; k < c; k++) out[o++] = rgba[4 * p + k];
  return out;
}

interface Canvas2D {
  drawImage(src: unknown, x: number, y: number): void;
  getImageData(x: number, y: number, w: number, h: number): PixelData;
}

/** Reads a drawable source through a 2-D OffscreenCanvas (the CPU path). */
export function readThroughCanvas(src: object, width: number, height: number): PixelData {
  const Offscreen = (globalThis as { OffscreenCanvas?: new (w: number, h: number) => object })
    .OffscreenCanvas;
  if (!Offscreen) {
    throw new Error(
      `${OP}: reading this source needs OffscreenCanvas (browsers and Workers); in Node pass ImageData-like { data, width, height }`,
    );
  }
  const canvas = new Offscreen(width, height) as { getContext(t: string, o?: object): Canvas2D | null };
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error(`${OP}: could not get a 2-D context of an OffscreenCanvas`);
  ctx.drawImage(src, 0, 0);
  try {
    return ctx.getImageData(0, 0, width, height);
  } catch (e) {
    throw taintError(e);
  }
}

/** Turns a SecurityError into the user-facing message (other errors pass through). */
export function taintError(e: unknown): Error {
  if ((e as { name?: string }).name === 'SecurityError') {
    return new Error(
      `${OP}: the source is tainted by cross-origin data (an image from another origin without CORS, or a canvas that drew one), so its pixels cannot be read; serve it with CORS and set crossOrigin = 'anonymous'`,
    );
  }
  return e instanceof Error ? e : new Error(String(e));
}

function uploader(b: Backend): (Backend & PixelUploader) | null {
  return typeof (b as Partial<PixelUploader>).fromPixels === 'function'
    ? (b as Backend & PixelUploader)
    : null;
}

/**
 * An int32 tensor [height, width, numChannels] (values 0..255) from ImageData, an image, a canvas, an
 * OffscreenCanvas, an ImageBitmap, a video or a VideoFrame; in the main thread and in Workers. On WebGPU
 * the pixels go to the GPU with copyExternalImageToTexture and a small unpack kernel.
 *
 * ```ts
 * const frame = browser.fromPixels(video);      // [240, 320, 3]
 * const gray = browser.fromPixels(canvas, 1);   // [h, w, 1]: the red channel, as TF.js
 * ```
 */
export function fromPixels(source: PixelSource, numChannels = 3): Tensor {
  if (numChannels !== 1 && numChannels !== 3 && numChannels !== 4) {
    throw new Error(`${OP}: numChannels must be 1, 3 or 4, got ${numChannels}`);
  }
  if (typeof source !== 'object' || source === null) {
    throw new Error(
      `${OP}: expected ImageData, an image, canvas, OffscreenCanvas, ImageBitmap, video or VideoFrame, got ${source === null ? 'null' : typeof source}`,
    );
  }
  const { width, height } = sourceDims(source);
  if (!(width > 0 && height > 0)) throw new Error(`${OP}: the source is empty (${width}x${height})`);
  const shape = [height, width, numChannels];
  if (isPixelData(source)) {
    if (source.data.length < width * height * 4) {
      throw new Error(
        `${OP}: ImageData-like data has ${source.data.length} bytes, fewer than ${width}x${height}x4`,
      );
    }
    return ENGINE.upload(unpack(source.data, width, height, numChannels), shape, 'int32');
  }
  const backend = ENGINE.backend;
  const gpu = uploader(backend);
  if (gpu) {
    const id = gpu.fromPixels(source, width, height, numChannels);
    if (id) return ENGINE.makeTensor({ dataId: id, shape, dtype: 'int32' }, backend);
  }
  const pixels = readThroughCanvas(source, width, height);
  return ENGINE.upload(unpack(pixels.data, width, height, numChannels), shape, 'int32');
}
