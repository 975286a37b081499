// CPU reference kernels for convolution (regular and depthwise), their backprops, and pooling.
import type { Conv2DInfo } from '../backend.js';
import type { TypedArray } from '../types.js';

/**
 * Visits every (output position, filter tap) pair whose input position is inside the image,
 * with flat offsets of the input pixel, the output pixel and the filter tap (channel 0).
 */
function forEachTap(
  info: Conv2DInfo,
  fTapSize: number,
  fn: (xOff: number, yOff: number, fOff: number) => void,
): void {
  const {
    batch,
    inHeight: H,
    inWidth: W,
    inChannels: C,
    outHeight: OH,
    outWidth: OW,
    outChannels: OC,
  } = info;
  for (let b = 0; b < batch; b++) {
    for (let oy = 0; oy < OH; oy++) {
      for (let ox = 0; ox < OW; ox++) {
        const yOff = ((b * OH + oy) * OW + ox) * OC;
        for (let fy = 0; fy < info.filterHeight; fy++) {
          const iy = oy * info.strideHeight - info.padTop + fy * info.dilationHeight;
          if (iy < 0 || iy >= H) continue;
          for (let fx = 0; fx < info.filterWidth; fx++) {
            const ix = ox * info.strideWidth - info.padLeft + fx * info.dilationWidth;
            if (ix < 0 || ix >= W) continue;
            fn(((b * H + iy) * W + ix) * C, yOff, (fy * info.filterWidth + fx) * fTapSize);
          }
        }
      }
    }
  }
}

const sizes = (i: Conv2DInfo, depthwise = false) => ({
  x: i.batch * i.inHeight * i.inWidth * i.inChannels,
  y: i.batch * i.outHeight * i.outWidth * i.outChannels,
  // Regular filters are [fh, fw, inC, outC]; depthwise ones [fh, fw, inC, multiplier].
  f: i.filterHeight * i.filterWidth * i.inChannels * (depthwise ? i.channelMultiplier : i.outChannels),
});

/** conv2d (depthwise when `depthwise`), accumulated in float64. */
export function conv2d(x: TypedArray, f: TypedArray, info: Conv2DInfo, depthwise: boolean): Float64Array {
  const C = info.inChannels;
  const OC = info.outChannels;
  const M = info.channelMultiplier;
  const acc = new Float64Array(sizes(info).y);
  forEachTap(info, C * (depthwise ? M : OC), (xo, yo, fo) => {
    for (let c = 0; c < C; c++) {
      const xv = x[xo + c];
      if (depthwise) for (let m = 0; m < M; m++) acc[yo + c * M + m] += xv * f[fo + c * M + m];
      else for (let oc = 0; oc < OC; oc++) acc[yo + oc] += xv * f[fo + c * OC + oc];
    }
  });
  return acc;
}

/** Gradient of conv2d w.r.t. its input (also the transposed convolution). */
export function conv2dBackpropInput(
  dy: TypedArray,
  f: TypedArray,
  info: Conv2DInfo,
  depthwise: boolean,
): Float64Array {
  const C = info.inChannels;
  const OC = info.outChannels;
  const M = info.channelMultiplier;
  const acc = new Float64Array(sizes(info).x);
  forEachTap(info, C * (depthwise ? M : OC), (xo, yo, fo) => {
    for (let c = 0; c < C; c++) {
      let s = 0;
      if (depthwise) for (let m = 0; m < M; m++) s += dy[yo + c * M + m] * f[fo + c * M + m];
      else for (let oc = 0; oc < OC; oc++) s += dy[yo + oc] * f[fo + c * OC + oc];
      acc[xo + c] += s;
    }
  });
  return acc;
}

/** Gradient of conv2d w.r.t. its filter. */
export function conv2dBackpropFilter(
  x: TypedArray,
  dy: TypedArray,
  info: Conv2DInfo,
  depthwise: boolean,
): Float64Array {
  const C = info.inChannels;
  const OC = info.outChannels;
  const M = info.channelMultiplier;
  const acc = new Float64Array(sizes(info, depthwise).f);
  forEachTap(info, C * (depthwise ? M : OC), (xo, yo, fo) => {
    for (let c = 0; c < C; c++) {
      const xv = x[xo + c];
      if (depthwise) for (let m = 0; m < M; m++) acc[fo + c * M + m] += xv * dy[yo + c * M + m];
      else for (let oc = 0; oc < OC; oc++) acc[fo + c * OC + oc] += xv * dy[yo + oc];
    }
  });
  return acc;
}

/** Max or average pooling; the average counts only cells inside the image (TensorFlow's rule). */
export function pool(op: 'max' | 'avg', x: TypedArray, info: Conv2DInfo): Float64Array {
  const C = info.inChannels;
  const n = sizes(info).y;
  const acc = new Float64Array(n).fill(op === 'max' ? -Infinity : 0);
  const count = new Float64Array(n / C);
  forEachTap(info, 0, (xo, yo) => {
    count[yo / C]++;
    for (let c = 0; c < C; c++) {
      const v = x[xo + c];
      if (op === 'avg') acc[yo + c] += v;
      else if (v > acc[yo + c] || Number.isNaN(v)) acc[yo + c] = v;
    }
  });
  if (op === 'avg') for (let i = 0; i < n; i++) acc[i] /= count[Math.floor(i / C)] || 1;
  return acc;
}

/** Gradient of max pooling: each window's dy goes to its first maximal input. */
export function maxPoolBackprop(dy: TypedArray, x: TypedArray, info: Conv2DInfo): Float64Array {
  const C = info.inChannels;
  const n = sizes(info).y;
  const best = new Float64Array(n).fill(-Infinity);
  const arg = new Int32Array(n).fill(-1);
  forEachTap(info, 0, (xo, yo) => {
    for (let c = 0; c < C; c++) {
      if (x[xo + c] > best[yo + c] || arg[yo + c] < 0) {
        best[yo + c] = x[xo + c];
        arg[yo + c] = xo + c;
      }
    }
  });
  const dx = new Float64Array(sizes(info).x);
  for (let i = 0; i < n; i++) if (arg[i] >= 0) dx[arg[i]] += dy[i];
  return dx;
}

/** Gradient of average pooling: dy spread evenly over each window's valid cells. */
export function avgPoolBackprop(dy: TypedArray, info: Conv2DInfo): Float64Array {
  const C = info.inChannels;
  const count = new Float64Array(sizes(info).y / C);
  forEachTap(info, 0, (_xo, yo) => count[yo / C]++);
  const dx = new Float64Array(sizes(info).x);
  forEachTap(info, 0, (xo, yo) => {
    const k = count[yo / C];
    for (let c = 0; c < C; c++) dx[xo + c] += dy[yo + c] / k;
  });
  return dx;
}
