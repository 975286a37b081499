// Random valid calls of the non-elementwise primitives: shapes (ranks 0-4, size-1 and empty dims,
// batch broadcasting) and attrs (axes, perms, paddings, conv/pool strides, dilations, 'same'/'valid').
import * as dl from '@webdl/core';
import type { Conv2DInfo, ExampleInput, PrimitiveName } from '@webdl/core';

type R = () => number;
/** A generated call: inputs (explicit `values` where random ones would be meaningless) and attrs. */
export interface Spec {
  inputs: (ExampleInput & { values?: number[] })[];
  attrs: object;
}

const int = (r: R, n: number) => Math.floor(r() * n);
const pick = <T>(r: R, xs: readonly T[]): T => xs[int(r, xs.length)];
const DIMS = [0, 1, 1, 2, 3, 3, 4, 5];
const dims = (r: R, rank: number, pool = DIMS) => Array.from({ length: rank }, () => pick(r, pool));
const f32 = (shape: number[], range?: readonly [number, number]): ExampleInput => ({
  shape,
  dtype: 'float32',
  ...(range ? { range } : {}),
});
const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

function reduce(r: R, nonEmpty: boolean): Spec {
  const rank = 1 + int(r, 4);
  const inner = 1 + int(r, rank);
  const shape = dims(r, rank).map((d, i) => (nonEmpty && i >= rank - inner && d === 0 ? 2 : d));
  return { inputs: [f32(shape)], attrs: { inner, outShape: shape.slice(0, rank - inner) } };
}

/** A random shape with the same size as `shape` (its factors regrouped; any dims when empty). */
function reshapeOf(r: R, shape: number[]): number[] {
  const n = size(shape);
  const rank = n === 1 ? int(r, 5) : 1 + int(r, 4);
  if (n === 0) return dims(r, rank).map((d, i) => (i === 0 ? 0 : d));
  const out = new Array<number>(rank).fill(1);
  for (const d of shape)
    for (const p of [2, 3, 5, 7]) for (let q = d; q % p === 0; q /= p) out[int(r, rank)] *= p;
  return out;
}

function shuffle(r: R, n: number): number[] {
  const p = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = int(r, i + 1);
    [p[i], p[j]] = [p[j], p[i]];
  }
  return p;
}

function layout(r: R, name: string): Spec | null {
  const shape = dims(r, int(r, 5));
  switch (name) {
    case 'reshape':
      return { inputs: [f32(shape)], attrs: { shape: reshapeOf(r, shape) } };
    case 'transpose':
      return { inputs: [f32(shape)], attrs: { perm: shuffle(r, shape.length) } };
    case 'slice': {
      const begin = shape.map((d) => int(r, d + 1));
      return { inputs: [f32(shape)], attrs: { begin, size: shape.map((d, i) => int(r, d - begin[i] + 1)) } };
    }
    case 'pad':
      return {
        inputs: [f32(shape)],
        attrs: { paddings: shape.map(() => [int(r, 3), int(r, 3)]), value: pick(r, [0, 0.5, -2, Infinity]) },
      };
    case 'tile':
      return { inputs: [f32(shape)], attrs: { reps: shape.map(() => pick(r, [0, 1, 1, 2, 3])) } };
    case 'broadcastTo': {
      const from = shape.slice(int(r, shape.length + 1)).map((d) => (r() < 0.4 ? 1 : d));
      return { inputs: [f32(from)], attrs: { shape } };
    }
    case 'concat': {
      const base = dims(r, 1 + int(r, 4));
      const axis = int(r, base.length);
      const k = 1 + int(r, 3);
      const inputs = Array.from({ length: k }, () =>
        f32(base.map((d, i) => (i === axis ? pick(r, DIMS) : d))),
      );
      return { inputs, attrs: { axis } };
    }
    case 'gather': {
      const x = dims(r, 1 + int(r, 4));
      const axis = int(r, x.length);
      if (x[axis] === 0) x[axis] = 3;
      const idx = {
        shape: dims(r, int(r, 3), [0, 1, 2, 3]),
        dtype: 'int32' as const,
        range: [0, x[axis]] as const,
      };
      return { inputs: [f32(x), idx], attrs: { axis } };
    }
    case 'matmul': {
      const batch = pick(r, [1, 2, 3]);
      const [m, k, n] = dims(r, 3, [0, 1, 2, 3, 5, 7]);
      const [ta, tb] = [r() < 0.5, r() < 0.5];
      const [ba, bb] = [r() < 0.3 ? 1 : batch, r() < 0.3 ? 1 : batch];
      return {
        inputs: [f32(ta ? [ba, k, m] : [ba, m, k]), f32(tb ? [bb, n, k] : [bb, k, n])],
        attrs: { transposeA: ta, transposeB: tb },
      };
    }
    default:
      return null;
  }
}

/** A conv or pool geometry: strides or dilations (not both above 1, as TensorFlow), 'same' or 'valid'. */
function geometry(r: R, name: string, pool: boolean): Conv2DInfo {
  const depthwise = name.startsWith('depthwise');
  const [fh, fw] = [1 + int(r, 3), 1 + int(r, 3)];
  const strides: [number, number] = [pick(r, [1, 1, 2, 3]), pick(r, [1, 1, 2])];
  const dil: [number, number] =
    pool || strides[0] > 1 || strides[1] > 1 ? [1, 1] : [pick(r, [1, 1, 2]), pick(r, [1, 2, 3])];
  const padding = r() < 0.5 ? 'same' : 'valid';
  const need = padding === 'valid' ? [(fh - 1) * dil[0] + 1, (fw - 1) * dil[1] + 1] : [1, 1];
  const x = [pick(r, [0, 1, 1, 2]), need[0] + int(r, 5), need[1] + int(r, 5), 1 + int(r, 3)];
  const m = depthwise ? 1 + int(r, 2) : 1;
  const oc = pool ? x[3] : depthwise ? x[3] * m : 1 + int(r, 3);
  return dl.convInfo(name, x, fh, fw, oc, { strides, padding, dilations: dil }, m);
}

function conv(r: R, name: string): Spec | null {
  if (!/^(conv2d|depthwiseConv2d|maxPool|avgPool)/.test(name)) return null;
  const pool = /Pool/.test(name);
  const info = geometry(r, name, pool);
  const xs = [info.batch, info.inHeight, info.inWidth, info.inChannels];
  const dy = [info.batch, info.outHeight, info.outWidth, info.outChannels];
  const fLast = name.startsWith('depthwise') ? info.channelMultiplier : info.outChannels;
  const f = [info.filterHeight, info.filterWidth, info.inChannels, fLast];
  const shapes: Record<string, number[][]> = {
    conv2d: [xs, f],
    conv2dBackpropInput: [dy, f],
    conv2dBackpropFilter: [xs, dy],
    maxPool: [xs],
    avgPool: [xs],
    maxPoolBackprop: [dy, xs],
    avgPoolBackprop: [dy],
  };
  const key = name.replace('depthwiseConv2d', 'conv2d');
  return { inputs: shapes[key].map((s) => f32(s)), attrs: { info } };
}

function image(r: R, name: string): Spec | null {
  if (!name.startsWith('image.')) return null;
  const b = pick(r, [1, 1, 2]);
  const g = { batch: b, inHeight: 1 + int(r, 5), inWidth: 1 + int(r, 5), channels: 1 + int(r, 3) };
  const out = { outHeight: 1 + int(r, 6), outWidth: 1 + int(r, 6) };
  const method = r() < 0.5 ? ('bilinear' as const) : ('nearest' as const);
  const img = [b, g.inHeight, g.inWidth, g.channels];
  if (name === 'image.resize' || name === 'image.resizeGrad') {
    const alignCorners = r() < 0.3;
    const kernel = { ...g, ...out, method, alignCorners, halfPixelCenters: !alignCorners && r() < 0.6 };
    if (name === 'image.resize')
      return { inputs: [f32(img)], attrs: { kernel: { ...kernel, op: 'resize' } } };
    const dy = [b, out.outHeight, out.outWidth, g.channels];
    return { inputs: [f32(dy)], attrs: { kernel: { ...kernel, op: 'resizeGrad' } } };
  }
  if (name.startsWith('image.cropAndResize')) {
    const numBoxes = 1 + int(r, 3);
    const boxes = f32([numBoxes, 4], [-0.25, 1.25]);
    const boxInd = { shape: [numBoxes], dtype: 'int32' as const, range: [0, b] as const };
    const dy = f32([numBoxes, out.outHeight, out.outWidth, g.channels]);
    const k = { ...g, ...out, numBoxes, extrapolationValue: pick(r, [0, 0.5]) };
    if (name === 'image.cropAndResize')
      return { inputs: [f32(img), boxes, boxInd], attrs: { kernel: { ...k, method, op: 'cropAndResize' } } };
    if (name === 'image.cropAndResizeGradImage')
      return {
        inputs: [dy, boxes, boxInd],
        attrs: { kernel: { ...k, method, op: 'cropAndResizeGradImage' } },
      };
    return {
      inputs: [dy, f32(img), boxes, boxInd],
      attrs: { kernel: { ...k, extrapolationValue: 0, op: 'cropAndResizeGradBoxes' } },
    };
  }
  // A projective transform near the identity (shear, scale, shift, a little perspective).
  const perImage = r() < 0.5;
  const u = () => (r() - 0.5) * 0.6;
  const rows = perImage ? b : 1;
  const values = Array.from({ length: rows }, () => [
    1 + u(),
    u(),
    u() * g.inWidth,
    u(),
    1 + u(),
    u() * g.inHeight,
    u() * 0.05,
    u() * 0.05,
  ]).flat();
  const transforms = { ...f32([rows, 8]), values };
  const kernel = {
    ...g,
    ...out,
    interpolation: method,
    fillMode: pick(r, ['constant', 'reflect', 'wrap', 'nearest'] as const),
    fillValue: pick(r, [0, 0.5]),
    perImage,
  };
  if (name === 'image.transform')
    return { inputs: [f32(img), transforms], attrs: { kernel: { ...kernel, op: 'transform' } } };
  const dy = f32([b, out.outHeight, out.outWidth, g.channels]);
  return { inputs: [dy, transforms], attrs: { kernel: { ...kernel, op: 'transformGrad' } } };
}

/** A random call of a non-elementwise primitive, or null where its example is used as it is. */
export function randomSpec(r: R, name: PrimitiveName): Spec | null {
  if (['sum', 'prod'].includes(name)) return reduce(r, false);
  if (['max', 'min', 'argMax', 'argMin'].includes(name)) return reduce(r, true);
  return layout(r, name) ?? conv(r, name) ?? image(r, name);
}
