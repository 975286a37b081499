// CPU reference image kernels (float64 math): resize, crop-and-resize, projective transform and their adjoints.
import type {
  CropAndResizeGradKernel,
  CropAndResizeKernel,
  FillMode,
  ImageKernel,
  ResizeGradKernel,
  ResizeKernel,
  TransformGradKernel,
  TransformKernel,
} from '../image-kernels.js';
import type { TypedArray } from '../types.js';
import { cropAndResizeGradBoxes } from './crop-boxes-grad.js';

/** Input-per-output scale of one axis (TensorFlow: (in - 1) / (out - 1) with alignCorners, else in / out). */
export function resizeScale(inSize: number, outSize: number, alignCorners: boolean): number {
  return alignCorners && outSize > 1 ? (inSize - 1) / (outSize - 1) : inSize / outSize;
}

/** Bilinear taps of output index r along one axis: rows lo and hi, weight `frac` on hi (TensorFlow's rule). */
export function bilinearTaps(
  r: number,
  inSize: number,
  scale: number,
  halfPixelCenters: boolean,
): [lo: number, hi: number, frac: number] {
  const s = halfPixelCenters ? (r + 0.5) * scale - 0.5 : r * scale;
  const lo = Math.max(0, Math.floor(s));
  const hi = Math.min(inSize - 1, Math.ceil(s));
  return [lo, hi, s - lo];
}

/**
 * Nearest source index of output index r, in exact integer arithmetic (the float formulas of TensorFlow
 * give the same result except where rounding lands just below an integer).
 */
export function nearestIndex(
  r: number,
  inSize: number,
  outSize: number,
  alignCorners: boolean,
  halfPixelCenters: boolean,
): number {
  let i: number;
  if (alignCorners && outSize > 1) {
    // round(r * (in - 1) / (out - 1)), halves rounded up as Math.round does.
    i = Math.floor((2 * r * (inSize - 1) + (outSize - 1)) / (2 * (outSize - 1)));
  } else if (halfPixelCenters) i = Math.floor(((2 * r + 1) * inSize) / (2 * outSize));
  else i = Math.floor((r * inSize) / outSize);
  return Math.min(inSize - 1, Math.max(0, i));
}

/** Per output index along one axis: up to two (source, weight) taps. */
function axisTaps(
  k: ResizeKernel | ResizeGradKernel,
  inSize: number,
  outSize: number,
): [number, number, number][] {
  const scale = resizeScale(inSize, outSize, k.alignCorners);
  return Array.from({ length: outSize }, (_, r) => {
    if (k.method === 'nearest') {
      const i = nearestIndex(r, inSize, outSize, k.alignCorners, k.halfPixelCenters);
      return [i, i, 0];
    }
    return bilinearTaps(r, inSize, scale, k.halfPixelCenters);
  });
}

function resize(k: ResizeKernel, x: TypedArray, out: TypedArray): void {
  const { batch, inHeight: H, inWidth: W, channels: C, outHeight: OH, outWidth: OW } = k;
  const rows = axisTaps(k, H, OH);
  const cols = axisTaps(k, W, OW);
  let o = 0;
  for (let n = 0; n < batch; n++) {
    for (const [t, b, fy] of rows) {
      for (const [l, r, fx] of cols) {
        const tl = ((n * H + t) * W + l) * C;
        const tr = ((n * H + t) * W + r) * C;
        const bl = ((n * H + b) * W + l) * C;
        const br = ((n * H + b) * W + r) * C;
        for (let c = 0; c < C; c++) {
          if (k.method === 'nearest') out[o++] = x[tl + c];
          else {
            const top = x[tl + c] + (x[tr + c] - x[tl + c]) * fx;
            const bottom = x[bl + c] + (x[br + c] - x[bl + c]) * fx;
            out[o++] = top + (bottom - top) * fy;
          }
        }
      }
    }
  }
}

/** Scatter form of the adjoint (the GPU kernel gathers instead, so the two are independent). */
function resizeGrad(k: ResizeGradKernel, dy: TypedArray, out: Float64Array): void {
  const { batch, inHeight: H, inWidth: W, channels: C } = k;
  const rows = axisTaps(k, H, k.outHeight);
  const cols = axisTaps(k, W, k.outWidth);
  let o = 0;
  for (let n = 0; n < batch; n++) {
    for (const [t, b, fy] of rows) {
      for (const [l, r, fx] of cols) {
        const taps: [number, number][] =
          k.method === 'nearest'
            ? [[((n * H + t) * W + l) * C, 1]]
            : [
                [((n * H + t) * W + l) * C, (1 - fy) * (1 - fx)],
                [((n * H + t) * W + r) * C, (1 - fy) * fx],
                [((n * H + b) * W + l) * C, fy * (1 - fx)],
                [((n * H + b) * W + r) * C, fy * fx],
              ];
        // A tap of weight 0 is skipped: 0 * Inf would spread NaN where the sum over read taps is Inf.
        for (let c = 0; c < C; c++, o++) for (const [at, w] of taps) if (w !== 0) out[at + c] += dy[o] * w;
      }
    }
  }
}

/** Sampling position of crop index r along one axis of a box [a, b] (normalized), TensorFlow's rule. */
export function cropCoord(r: number, a: number, b: number, inSize: number, outSize: number): number {
  return outSize > 1
    ? a * (inSize - 1) + (r * (b - a) * (inSize - 1)) / (outSize - 1)
    : 0.5 * (a + b) * (inSize - 1);
}

type CropVisit = (outIndex: number, taps: [number, number][]) => void;

/** Walks every in-image crop sample of every box with its (input element, weight) taps for channel 0. */
function forEachCropSample(
  k: CropAndResizeKernel | CropAndResizeGradKernel,
  boxes: TypedArray,
  boxInd: TypedArray,
  visit: CropVisit,
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
    for (let y = 0; y < OH; y++) {
      const yi = cropCoord(y, y1, y2, H, OH);
      for (let x = 0; x < OW; x++) {
        const xi = cropCoord(x, x1, x2, W, OW);
        const o = ((b * OH + y) * OW + x) * C;
        if (yi < 0 || yi > H - 1 || xi < 0 || xi > W - 1) continue;
        const at = (yy: number, xx: number) => ((n * H + yy) * W + xx) * C;
        if (k.method === 'nearest') {
          visit(o, [[at(Math.round(yi), Math.round(xi)), 1]]);
          continue;
        }
        const [t, bt, l, r] = [Math.floor(yi), Math.ceil(yi), Math.floor(xi), Math.ceil(xi)];
        const [fy, fx] = [yi - t, xi - l];
        visit(o, [
          [at(t, l), (1 - fy) * (1 - fx)],
          [at(t, r), (1 - fy) * fx],
          [at(bt, l), fy * (1 - fx)],
          [at(bt, r), fy * fx],
        ]);
      }
    }
  }
}

function cropAndResize(
  k: CropAndResizeKernel,
  [image, boxes, boxInd]: TypedArray[],
  out: Float64Array,
): void {
  out.fill(k.extrapolationValue);
  const C = k.channels;
  forEachCropSample(k, boxes, boxInd, (o, taps) => {
    for (let c = 0; c < C; c++) {
      let v = 0;
      for (const [at, w] of taps) if (w !== 0) v += image[at + c] * w;
      out[o + c] = v;
    }
  });
}

function cropAndResizeGrad(
  k: CropAndResizeGradKernel,
  [dy, boxes, boxInd]: TypedArray[],
  out: Float64Array,
): void {
  const C = k.channels;
  forEachCropSample(k, boxes, boxInd, (o, taps) => {
    for (let c = 0; c < C; c++) for (const [at, w] of taps) if (w !== 0) out[at + c] += dy[o + c] * w;
  });
}

/** Maps an out-of-range coordinate into [0, len - 1] by TensorFlow's fill-mode rules (constant leaves it). */
export function mapCoord(v: number, len: number, mode: FillMode): number {
  if (mode === 'constant') return v;
  if (mode === 'nearest') return Math.min(len - 1, Math.max(0, v));
  let c = v;
  if (len <= 1) c = 0;
  else if (mode === 'reflect') {
    const sz2 = 2 * len;
    if (c < 0) {
      if (c < sz2) c = sz2 * Math.trunc(-c / sz2) + c;
      c = c < -len ? c + sz2 : -c - 1;
    } else if (c > len - 1) {
      c -= sz2 * Math.trunc(c / sz2);
      if (c >= len) c = sz2 - c - 1;
    }
  } else if (c < 0) {
    // 'wrap', with TensorFlow's period arithmetic (it divides by len - 1).
    c += len * (Math.trunc(-c / (len - 1)) + 1);
  } else if (c > len - 1) {
    c -= len * Math.trunc(c / (len - 1));
  }
  return Math.min(len - 1, Math.max(0, c));
}

/** Weight times value, 0 for a tap of weight 0 (skipped, so 0 * Inf adds no NaN; the GPU kernels agree). */
const tap = (w: number, v: number) => (w === 0 ? 0 : w * v);

function transform(k: TransformKernel, [image, transforms]: TypedArray[], out: Float64Array): void {
  const { batch, inHeight: H, inWidth: W, channels: C, outHeight: OH, outWidth: OW, fillValue } = k;
  const read = (n: number, y: number, x: number, c: number) =>
    y >= 0 && y < H && x >= 0 && x < W ? image[((n * H + y) * W + x) * C + c] : fillValue;
  let o = 0;
  for (let n = 0; n < batch; n++) {
    const t = k.perImage ? 8 * n : 0;
    const [a0, a1, a2, b0, b1, b2, c0, c1] = Array.from(transforms.subarray(t, t + 8));
    for (let y = 0; y < OH; y++) {
      for (let x = 0; x < OW; x++, o += C) {
        const proj = c0 * x + c1 * y + 1;
        if (proj === 0) {
          for (let c = 0; c < C; c++) out[o + c] = fillValue;
          continue;
        }
        const sx = mapCoord((a0 * x + a1 * y + a2) / proj, W, k.fillMode);
        const sy = mapCoord((b0 * x + b1 * y + b2) / proj, H, k.fillMode);
        for (let c = 0; c < C; c++) {
          if (k.interpolation === 'nearest') {
            out[o + c] = read(n, Math.round(sy), Math.round(sx), c);
            continue;
          }
          const [fy, fx] = [Math.floor(sy), Math.floor(sx)];
          const top = tap(fx + 1 - sx, read(n, fy, fx, c)) + tap(sx - fx, read(n, fy, fx + 1, c));
          const bottom = tap(fx + 1 - sx, read(n, fy + 1, fx, c)) + tap(sx - fx, read(n, fy + 1, fx + 1, c));
          out[o + c] = tap(fy + 1 - sy, top) + tap(sy - fy, bottom);
        }
      }
    }
  }
}

/** Scatter form of the transform's adjoint: each dy element adds to the in-image pixels its sample read. */
function transformGrad(k: TransformGradKernel, [dy, transforms]: TypedArray[], out: Float64Array): void {
  const { batch, inHeight: H, inWidth: W, channels: C, outHeight: OH, outWidth: OW } = k;
  const add = (n: number, y: number, x: number, o: number, w: number) => {
    if (w === 0 || y < 0 || y >= H || x < 0 || x >= W) return;
    const at = ((n * H + y) * W + x) * C;
    for (let c = 0; c < C; c++) out[at + c] += w * dy[o + c];
  };
  let o = 0;
  for (let n = 0; n < batch; n++) {
    const t = k.perImage ? 8 * n : 0;
    const [a0, a1, a2, b0, b1, b2, c0, c1] = Array.from(transforms.subarray(t, t + 8));
    for (let y = 0; y < OH; y++) {
      for (let x = 0; x < OW; x++, o += C) {
        const proj = c0 * x + c1 * y + 1;
        if (proj === 0) continue;
        const sx = mapCoord((a0 * x + a1 * y + a2) / proj, W, k.fillMode);
        const sy = mapCoord((b0 * x + b1 * y + b2) / proj, H, k.fillMode);
        if (k.interpolation === 'nearest') {
          add(n, Math.round(sy), Math.round(sx), o, 1);
          continue;
        }
        const [fy, fx] = [Math.floor(sy), Math.floor(sx)];
        add(n, fy, fx, o, (fy + 1 - sy) * (fx + 1 - sx));
        add(n, fy, fx + 1, o, (fy + 1 - sy) * (sx - fx));
        add(n, fy + 1, fx, o, (sy - fy) * (fx + 1 - sx));
        add(n, fy + 1, fx + 1, o, (sy - fy) * (sx - fx));
      }
    }
  }
}

/**
 * Runs an image kernel on host values; returns float64 results (the caller stores them in the output
 * dtype) of `outSize` elements.
 */
export function imageKernel(k: ImageKernel, inputs: TypedArray[], outSize: number, out: TypedArray): void {
  if (k.op === 'resize') return resize(k, inputs[0], out);
  const acc = new Float64Array(outSize);
  if (k.op === 'resizeGrad') resizeGrad(k, inputs[0], acc);
  else if (k.op === 'cropAndResize') cropAndResize(k, inputs, acc);
  else if (k.op === 'cropAndResizeGradImage') cropAndResizeGrad(k, inputs, acc);
  else if (k.op === 'cropAndResizeGradBoxes') cropAndResizeGradBoxes(k, inputs, acc);
  else if (k.op === 'transformGrad') transformGrad(k, inputs, acc);
  else transform(k, inputs, acc);
  out.set(acc);
}
