// Float64 reference forwards of the differentiable ops (plain loops, independent of core's kernels):
// the oracle that numeric gradient checks difference.

/** A float64 n-d array. */
export interface Arr {
  shape: number[];
  data: Float64Array;
}

export const sizeOf = (shape: readonly number[]): number => shape.reduce((a, d) => a * d, 1);

export function arr(shape: readonly number[], data?: ArrayLike<number>): Arr {
  const out = new Float64Array(sizeOf(shape));
  if (data) out.set(data);
  return { shape: [...shape], data: out };
}

function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i];
  }
  return s;
}

/** Calls fn with every multi-index of shape in row-major order (and its flat offset). */
function each(shape: readonly number[], fn: (idx: number[], flat: number) => void): void {
  const n = sizeOf(shape);
  const idx = new Array<number>(shape.length).fill(0);
  for (let flat = 0; flat < n; flat++) {
    fn(idx, flat);
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++idx[d] < shape[d]) break;
      idx[d] = 0;
    }
  }
}

function broadcastShape(a: readonly number[], b: readonly number[]): number[] {
  const r = Math.max(a.length, b.length);
  return Array.from({ length: r }, (_, i) => {
    const da = a[a.length - r + i] ?? 1;
    const db = b[b.length - r + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) throw new Error(`ref: cannot broadcast [${a}] and [${b}]`);
    return da === 1 ? db : da;
  });
}

/** NumPy broadcast of a to shape. */
export function broadcastTo(a: Arr, shape: readonly number[]): Arr {
  if (a.shape.length === shape.length && a.shape.every((d, i) => d === shape[i])) return a;
  const out = arr(shape);
  const lead = shape.length - a.shape.length;
  const st = stridesOf(a.shape);
  each(shape, (idx, flat) => {
    let off = 0;
    for (let d = 0; d < a.shape.length; d++) off += (a.shape[d] === 1 ? 0 : idx[d + lead]) * st[d];
    out.data[flat] = a.data[off];
  });
  return out;
}

export const map = (a: Arr, f: (v: number) => number): Arr => ({ shape: [...a.shape], data: a.data.map(f) });

/** Elementwise function of broadcast arguments. */
export function zip(args: Arr[], f: (...v: number[]) => number): Arr {
  const shape = args.reduce<number[]>((s, a) => broadcastShape(s, a.shape), []);
  const bs = args.map((a) => broadcastTo(a, shape));
  const out = arr(shape);
  const [x, y] = bs.map((b) => b.data);
  if (bs.length === 2) for (let i = 0; i < out.data.length; i++) out.data[i] = f(x[i], y[i]);
  else for (let i = 0; i < out.data.length; i++) out.data[i] = f(...bs.map((b) => b.data[i]));
  return out;
}

export const add = (a: Arr, b: Arr) => zip([a, b], (x, y) => x + y);
export const sub = (a: Arr, b: Arr) => zip([a, b], (x, y) => x - y);
export const mul = (a: Arr, b: Arr) => zip([a, b], (x, y) => x * y);
export const div = (a: Arr, b: Arr) => zip([a, b], (x, y) => x / y);

/** Reduction over axes (all when undefined) with an associative op. */
export function reduce(
  a: Arr,
  axes: number[] | undefined,
  keepDims: boolean,
  op: 'sum' | 'prod' | 'max' | 'min',
): Arr {
  const ax = (axes ?? a.shape.map((_, i) => i)).map((x) => (x < 0 ? x + a.shape.length : x));
  const keptShape = a.shape.map((d, i) => (ax.includes(i) ? 1 : d));
  const init = { sum: 0, prod: 1, max: -Infinity, min: Infinity }[op];
  const out = arr(keptShape).data.fill(init);
  const st = stridesOf(keptShape);
  each(a.shape, (idx, flat) => {
    let off = 0;
    for (let d = 0; d < idx.length; d++) if (!ax.includes(d)) off += idx[d] * st[d];
    const v = a.data[flat];
    const o = out[off];
    out[off] = op === 'sum' ? o + v : op === 'prod' ? o * v : op === 'max' ? Math.max(o, v) : Math.min(o, v);
  });
  const shape = keepDims ? keptShape : a.shape.filter((_, i) => !ax.includes(i));
  return { shape, data: out };
}

export const sum = (a: Arr, axes?: number[], keepDims = false) => reduce(a, axes, keepDims, 'sum');

export function mean(a: Arr, axes?: number[], keepDims = false): Arr {
  const s = sum(a, axes, keepDims);
  return map(s, (v) => (v * s.data.length) / a.data.length);
}

export function logSumExp(a: Arr, axes?: number[], keepDims = false): Arr {
  const m = reduce(a, axes, true, 'max');
  const s = sum(map(sub(a, m), Math.exp), axes, true);
  const lse = add(map(s, Math.log), m);
  return keepDims ? lse : { shape: reduce(a, axes, false, 'sum').shape, data: lse.data };
}

export const softmax = (a: Arr, axis: number) => map(sub(a, logSumExp(a, [axis], true)), Math.exp);
export const logSoftmax = (a: Arr, axis: number) => sub(a, logSumExp(a, [axis], true));

export function moments(a: Arr, axes?: number[], keepDims = false): { mean: Arr; variance: Arr } {
  const m = mean(a, axes, true);
  const variance = mean(
    map(sub(a, m), (v) => v * v),
    axes,
    keepDims,
  );
  return { mean: keepDims ? m : { shape: variance.shape, data: m.data }, variance };
}

export function reshape(a: Arr, shape: number[]): Arr {
  return { shape: [...shape], data: a.data.slice() };
}

export function transpose(a: Arr, perm: number[]): Arr {
  const shape = perm.map((p) => a.shape[p]);
  const st = stridesOf(a.shape);
  const out = arr(shape);
  each(shape, (idx, flat) => {
    out.data[flat] = a.data[idx.reduce((o, v, d) => o + v * st[perm[d]], 0)];
  });
  return out;
}

export function slice(a: Arr, begin: number[], size: number[]): Arr {
  const st = stridesOf(a.shape);
  const out = arr(size);
  each(size, (idx, flat) => {
    out.data[flat] = a.data[idx.reduce((o, v, d) => o + (v + begin[d]) * st[d], 0)];
  });
  return out;
}

export function pad(a: Arr, paddings: [number, number][], value = 0): Arr {
  const shape = a.shape.map((d, i) => d + paddings[i][0] + paddings[i][1]);
  const out = arr(shape);
  out.data.fill(value);
  const st = stridesOf(shape);
  each(a.shape, (idx, flat) => {
    out.data[idx.reduce((o, v, d) => o + (v + paddings[d][0]) * st[d], 0)] = a.data[flat];
  });
  return out;
}

export function concat(list: Arr[], axis: number): Arr {
  const shape = [...list[0].shape];
  shape[axis] = list.reduce((n, a) => n + a.shape[axis], 0);
  const out = arr(shape);
  const st = stridesOf(shape);
  let offset = 0;
  for (const a of list) {
    each(a.shape, (idx, flat) => {
      out.data[idx.reduce((o, v, d) => o + (d === axis ? v + offset : v) * st[d], 0)] = a.data[flat];
    });
    offset += a.shape[axis];
  }
  return out;
}

export function gather(a: Arr, indices: number[], indexShape: number[], axis: number): Arr {
  const shape = [...a.shape.slice(0, axis), ...indexShape, ...a.shape.slice(axis + 1)];
  const st = stridesOf(a.shape);
  const out = arr(shape);
  const k = indexShape.length;
  each(shape, (idx, flat) => {
    const flatIndex = idx.slice(axis, axis + k).reduce((o, v, d) => o * indexShape[d] + v, 0);
    const src = [...idx.slice(0, axis), indices[flatIndex], ...idx.slice(axis + k)];
    out.data[flat] = a.data[src.reduce((o, v, d) => o + v * st[d], 0)];
  });
  return out;
}

export function tile(a: Arr, reps: number[]): Arr {
  const shape = a.shape.map((d, i) => d * reps[i]);
  const st = stridesOf(a.shape);
  const out = arr(shape);
  each(shape, (idx, flat) => {
    out.data[flat] = a.data[idx.reduce((o, v, d) => o + (v % a.shape[d]) * st[d], 0)];
  });
  return out;
}

/** Batched matmul of the last two axes with optional transposes and NumPy batch broadcasting. */
export function matmul(a: Arr, b: Arr, ta = false, tb = false): Arr {
  const at = ta
    ? transpose(a, [...a.shape.slice(0, -2).map((_, i) => i), a.shape.length - 1, a.shape.length - 2])
    : a;
  const bt = tb
    ? transpose(b, [...b.shape.slice(0, -2).map((_, i) => i), b.shape.length - 1, b.shape.length - 2])
    : b;
  const [m, k] = at.shape.slice(-2);
  const n = bt.shape[bt.shape.length - 1];
  const batch = broadcastShape(at.shape.slice(0, -2), bt.shape.slice(0, -2));
  const A = broadcastTo(at, [...batch, m, k]);
  const B = broadcastTo(bt, [...batch, k, n]);
  const out = arr([...batch, m, n]);
  const nb = sizeOf(batch);
  for (let p = 0; p < nb; p++) {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let q = 0; q < k; q++) s += A.data[p * m * k + i * k + q] * B.data[p * k * n + q * n + j];
        out.data[p * m * n + i * n + j] = s;
      }
    }
  }
  return out;
}

/** Output size and leading padding of one spatial axis (TensorFlow's 'same' / 'valid'). */
export function outAndPad(inSize: number, k: number, stride: number, dil: number, padding: 'same' | 'valid') {
  const eff = (k - 1) * dil + 1;
  if (padding === 'valid') return { out: Math.max(0, Math.ceil((inSize - eff + 1) / stride)), pad: 0 };
  const out = Math.ceil(inSize / stride);
  return { out, pad: Math.floor(Math.max((out - 1) * stride + eff - inSize, 0) / 2) };
}

/** Geometry shared by conv/pool references. */
export interface Geo {
  strides?: [number, number];
  padding?: 'same' | 'valid';
  dilations?: [number, number];
}

/**
 * Visits every (output position, filter tap, input position inside the image) of a 2-D window op on
 * an NHWC input shape, calling fn(b, oh, ow, fh, fw, ih, iw).
 */
function windows(
  inShape: number[],
  fhN: number,
  fwN: number,
  geo: Geo,
  fn: (b: number, oh: number, ow: number, fh: number, fw: number, ih: number, iw: number) => void,
): [number, number] {
  const [sh, sw] = geo.strides ?? [1, 1];
  const [dh, dw] = geo.dilations ?? [1, 1];
  const H = outAndPad(inShape[1], fhN, sh, dh, geo.padding ?? 'valid');
  const W = outAndPad(inShape[2], fwN, sw, dw, geo.padding ?? 'valid');
  for (let b = 0; b < inShape[0]; b++)
    for (let oh = 0; oh < H.out; oh++)
      for (let ow = 0; ow < W.out; ow++)
        for (let fh = 0; fh < fhN; fh++)
          for (let fw = 0; fw < fwN; fw++) {
            const ih = oh * sh - H.pad + fh * dh;
            const iw = ow * sw - W.pad + fw * dw;
            if (ih >= 0 && ih < inShape[1] && iw >= 0 && iw < inShape[2]) fn(b, oh, ow, fh, fw, ih, iw);
          }
  return [H.out, W.out];
}

export function conv2d(x: Arr, f: Arr, geo: Geo = {}): Arr {
  const [, , C, O] = f.shape;
  const [oh, ow] = windows(x.shape, f.shape[0], f.shape[1], geo, () => undefined);
  const out = arr([x.shape[0], oh, ow, O]);
  const [H, W] = [x.shape[1], x.shape[2]];
  windows(x.shape, f.shape[0], f.shape[1], geo, (b, i, j, p, q, ih, iw) => {
    for (let c = 0; c < C; c++)
      for (let o = 0; o < O; o++)
        out.data[((b * oh + i) * ow + j) * O + o] +=
          x.data[((b * H + ih) * W + iw) * C + c] * f.data[((p * f.shape[1] + q) * C + c) * O + o];
  });
  return out;
}

/** Transposed conv: the adjoint of conv2d over `outShape` with filter [fh, fw, outC, inC]. */
export function conv2dTranspose(x: Arr, f: Arr, outShape: number[], geo: Geo = {}): Arr {
  const [, , O, C] = f.shape;
  const out = arr(outShape);
  const [H, W] = [outShape[1], outShape[2]];
  const [xh, xw] = [x.shape[1], x.shape[2]];
  windows(outShape, f.shape[0], f.shape[1], geo, (b, i, j, p, q, ih, iw) => {
    for (let c = 0; c < C; c++)
      for (let o = 0; o < O; o++)
        out.data[((b * H + ih) * W + iw) * O + o] +=
          x.data[((b * xh + i) * xw + j) * C + c] * f.data[((p * f.shape[1] + q) * O + o) * C + c];
  });
  return out;
}

export function depthwiseConv2d(x: Arr, f: Arr, geo: Geo = {}): Arr {
  const [, , C, M] = f.shape;
  const [oh, ow] = windows(x.shape, f.shape[0], f.shape[1], geo, () => undefined);
  const out = arr([x.shape[0], oh, ow, C * M]);
  const [H, W] = [x.shape[1], x.shape[2]];
  windows(x.shape, f.shape[0], f.shape[1], geo, (b, i, j, p, q, ih, iw) => {
    for (let c = 0; c < C; c++)
      for (let m = 0; m < M; m++)
        out.data[((b * oh + i) * ow + j) * C * M + c * M + m] +=
          x.data[((b * H + ih) * W + iw) * C + c] * f.data[((p * f.shape[1] + q) * C + c) * M + m];
  });
  return out;
}

/** Max or average pooling; padding cells are ignored (average divides by the valid count). */
export function pool(x: Arr, op: 'max' | 'avg', size: [number, number], geo: Geo = {}): Arr {
  const C = x.shape[3];
  const [oh, ow] = windows(x.shape, size[0], size[1], geo, () => undefined);
  const acc = arr([x.shape[0], oh, ow, C]);
  acc.data.fill(op === 'max' ? -Infinity : 0);
  const count = new Float64Array(acc.data.length / C);
  const [H, W] = [x.shape[1], x.shape[2]];
  windows(x.shape, size[0], size[1], geo, (b, i, j, _p, _q, ih, iw) => {
    const o = (b * oh + i) * ow + j;
    count[o]++;
    for (let c = 0; c < C; c++) {
      const v = x.data[((b * H + ih) * W + iw) * C + c];
      acc.data[o * C + c] = op === 'max' ? Math.max(acc.data[o * C + c], v) : acc.data[o * C + c] + v;
    }
  });
  if (op === 'avg') for (let i = 0; i < acc.data.length; i++) acc.data[i] /= count[Math.floor(i / C)];
  return acc;
}
