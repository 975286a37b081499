// Test helpers shared by the backend-agnostic op suites: tolerances, value checks, leak checks,
// deterministic inputs and independent (naive, float64) reference implementations.
import { expect } from 'vitest';
import { memory, tensor, type DType, type Tensor } from '@webdl/core';

/** A tolerance: |actual - expected| <= atol + rtol * |expected|. */
export interface Tol {
  atol: number;
  rtol: number;
}

/** Bit-exact, after rounding the float64 expectation to float32. */
export const EXACT: Tol = { atol: 0, rtol: 0 };

/** A tolerance with the given absolute and relative parts. */
export const tol = (atol: number, rtol = atol): Tol => ({ atol, rtol });

/** Whether a value matches: NaN matches NaN, infinities match exactly, -0 matches 0. */
export function closeTo(actual: number, expected: number, t: Tol): boolean {
  if (Number.isNaN(expected)) return Number.isNaN(actual);
  if (!Number.isFinite(expected)) return actual === expected;
  if (actual === Math.fround(expected)) return true;
  return Math.abs(actual - expected) <= t.atol + t.rtol * Math.abs(expected);
}

/** Checks a tensor's shape, values (and dtype when given) against a tolerance. */
export async function expectTensor(
  t: Tensor,
  shape: readonly number[],
  expected: ArrayLike<number>,
  tl: Tol = EXACT,
  dtype?: DType,
): Promise<void> {
  expect(t.shape).toEqual(shape);
  if (dtype) expect(t.dtype).toBe(dtype);
  const data = await t.data();
  expect(data.length).toBe(expected.length);
  const bad: string[] = [];
  for (let i = 0; i < expected.length; i++) {
    if (!closeTo(data[i], expected[i], tl)) bad.push(`[${i}] got ${data[i]}, want ${expected[i]}`);
  }
  expect(bad.slice(0, 6), `${bad.length} of ${expected.length} values off (${JSON.stringify(tl)})`).toEqual(
    [],
  );
}

/** Runs fn and checks that it leaves exactly `n` new live tensors (its outputs): no leaked temporaries. */
export function creates<R>(n: number, fn: () => R): R {
  const before = memory().numTensors;
  const r = fn();
  expect(memory().numTensors - before, 'live tensors added by the op').toBe(n);
  return r;
}

/** Size of a shape. */
export const sizeOfShape = (shape: readonly number[]): number => shape.reduce((a, d) => a * d, 1);

/** `n` values cycling through `domain`, starting at `offset`. */
export function cycle(domain: readonly number[], n: number, offset = 0): number[] {
  return Array.from({ length: n }, (_, i) => domain[(i + offset) % domain.length]);
}

/** Deterministic values in [-2, 2] on a 1/8 grid: float32 sums and products of a few stay exact. */
export function gridValues(n: number, seed = 1): number[] {
  let s = seed >>> 0;
  return Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return ((s >>> 16) % 33) / 8 - 2;
  });
}

/** A tensor of a shape filled from a value list. */
export function make(shape: readonly number[], values: readonly number[], dtype: DType = 'float32'): Tensor {
  return tensor(values, shape, dtype);
}

/** Multi-index of flat index i in a shape. */
export function unravel(i: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    idx[d] = i % shape[d];
    i = Math.floor(i / shape[d]);
  }
  return idx;
}

/** Flat index of a multi-index in a shape. */
export function ravel(idx: readonly number[], shape: readonly number[]): number {
  return idx.reduce((a, v, d) => a * shape[d] + v, 0);
}

/** NumPy broadcast of shapes (the test's own implementation). */
export function refBroadcastShape(...shapes: (readonly number[])[]): number[] {
  const rank = Math.max(...shapes.map((s) => s.length));
  return Array.from({ length: rank }, (_, i) => {
    const dims = shapes.map((s) => s[s.length - rank + i] ?? 1);
    return dims.includes(0) ? 0 : Math.max(...dims);
  });
}

/** Elementwise f over broadcast inputs, in float64. */
export function refElementwise(
  inputs: { shape: readonly number[]; values: readonly number[] }[],
  f: (...v: number[]) => number,
): { shape: number[]; values: number[] } {
  const shape = refBroadcastShape(...inputs.map((x) => x.shape));
  const values = Array.from({ length: sizeOfShape(shape) }, (_, i) => {
    const idx = unravel(i, shape);
    const args = inputs.map((x) => {
      const lead = shape.length - x.shape.length;
      const own = x.shape.map((d, k) => (d === 1 ? 0 : idx[lead + k]));
      return x.values[ravel(own, x.shape)];
    });
    return f(...args);
  });
  return { shape, values };
}

/** Reduction over axes with a fold, in float64; `finish` maps (accumulator, count) to the result. */
export function refReduce(
  shape: readonly number[],
  values: readonly number[],
  axes: readonly number[],
  keepDims: boolean,
  init: number,
  step: (acc: number, v: number, k: number) => number,
  finish: (acc: number, count: number) => number = (a) => a,
): { shape: number[]; values: number[] } {
  const outFull = shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const acc = new Array<number>(sizeOfShape(outFull)).fill(init);
  const counts = new Array<number>(acc.length).fill(0);
  for (let i = 0; i < values.length; i++) {
    const idx = unravel(i, shape);
    const o = ravel(
      idx.map((v, d) => (axes.includes(d) ? 0 : v)),
      outFull,
    );
    acc[o] = step(acc[o], values[i], counts[o]++);
  }
  const outShape = keepDims ? outFull : shape.filter((_, i) => !axes.includes(i));
  return { shape: outShape, values: acc.map((a, i) => finish(a, counts[i])) };
}

/** Transpose by a permutation, naive. */
export function refTranspose(
  shape: readonly number[],
  values: readonly number[],
  perm: readonly number[],
): number[] {
  const outShape = perm.map((p) => shape[p]);
  return Array.from({ length: values.length }, (_, i) => {
    const oi = unravel(i, outShape);
    const src = new Array<number>(shape.length);
    perm.forEach((p, k) => (src[p] = oi[k]));
    return values[ravel(src, shape)];
  });
}

/** [m,k] x [k,n] in float64. */
export function refMatmul(
  a: readonly number[],
  b: readonly number[],
  m: number,
  k: number,
  n: number,
): number[] {
  const out = new Array<number>(m * n).fill(0);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) for (let p = 0; p < k; p++) out[i * n + j] += a[i * k + p] * b[p * n + j];
  return out;
}

/** Output size and leading pad of one spatial dimension under TensorFlow's padding rules. */
export function tfPadding(
  inSize: number,
  k: number,
  stride: number,
  dilation: number,
  padding: 'same' | 'valid',
): { out: number; before: number } {
  const eff = (k - 1) * dilation + 1;
  if (padding === 'valid') return { out: Math.max(0, Math.floor((inSize - eff) / stride) + 1), before: 0 };
  const out = Math.ceil(inSize / stride);
  const total = Math.max(0, (out - 1) * stride + eff - inSize);
  return { out, before: Math.floor(total / 2) }; // the odd extra cell goes after (bottom/right)
}

/** Geometry of a 2-D window op. */
export interface Geo {
  strides: [number, number];
  dilations: [number, number];
  padding: 'same' | 'valid';
}

/**
 * Naive NHWC conv2d (or depthwise when `multiplier` is given: filter [fh,fw,C,M]) in float64:
 * loops over every output cell and filter tap, reading zeros outside the image.
 */
export function refConv2d(
  x: readonly number[],
  [N, H, W, C]: readonly number[],
  f: readonly number[],
  [FH, FW, FC, FO]: readonly number[],
  g: Geo,
  depthwise = false,
): { shape: number[]; values: number[] } {
  const ph = tfPadding(H, FH, g.strides[0], g.dilations[0], g.padding);
  const pw = tfPadding(W, FW, g.strides[1], g.dilations[1], g.padding);
  const OC = depthwise ? C * FO : FO;
  const shape = [N, ph.out, pw.out, OC];
  const values = new Array<number>(sizeOfShape(shape)).fill(0);
  for (let b = 0; b < N; b++)
    for (let oy = 0; oy < ph.out; oy++)
      for (let ox = 0; ox < pw.out; ox++)
        for (let oc = 0; oc < OC; oc++) {
          let s = 0;
          for (let fy = 0; fy < FH; fy++)
            for (let fx = 0; fx < FW; fx++) {
              const iy = oy * g.strides[0] + fy * g.dilations[0] - ph.before;
              const ix = ox * g.strides[1] + fx * g.dilations[1] - pw.before;
              if (iy < 0 || iy >= H || ix < 0 || ix >= W) continue;
              if (depthwise) {
                const c = Math.floor(oc / FO);
                s += x[((b * H + iy) * W + ix) * C + c] * f[((fy * FW + fx) * FC + c) * FO + (oc % FO)];
              } else {
                for (let c = 0; c < C; c++)
                  s += x[((b * H + iy) * W + ix) * C + c] * f[((fy * FW + fx) * FC + c) * FO + oc];
              }
            }
          values[((b * ph.out + oy) * pw.out + ox) * OC + oc] = s;
        }
  return { shape, values };
}

/** Naive max/avg pooling with TensorFlow's rules: padding cells are ignored (not counted). */
export function refPool(
  op: 'max' | 'avg',
  x: readonly number[],
  [N, H, W, C]: readonly number[],
  [PH, PW]: readonly [number, number],
  g: Geo,
): { shape: number[]; values: number[] } {
  const ph = tfPadding(H, PH, g.strides[0], 1, g.padding);
  const pw = tfPadding(W, PW, g.strides[1], 1, g.padding);
  const shape = [N, ph.out, pw.out, C];
  const values = new Array<number>(sizeOfShape(shape)).fill(0);
  for (let b = 0; b < N; b++)
    for (let oy = 0; oy < ph.out; oy++)
      for (let ox = 0; ox < pw.out; ox++)
        for (let c = 0; c < C; c++) {
          let acc = op === 'max' ? -Infinity : 0;
          let count = 0;
          for (let fy = 0; fy < PH; fy++)
            for (let fx = 0; fx < PW; fx++) {
              const iy = oy * g.strides[0] + fy - ph.before;
              const ix = ox * g.strides[1] + fx - pw.before;
              if (iy < 0 || iy >= H || ix < 0 || ix >= W) continue;
              const v = x[((b * H + iy) * W + ix) * C + c];
              acc = op === 'max' ? Math.max(acc, v) : acc + v;
              count++;
            }
          values[((b * ph.out + oy) * pw.out + ox) * C + c] = op === 'max' ? acc : acc / count;
        }
  return { shape, values };
}

/** erf by composite Simpson integration of 2/√π·e^(-t²) (independent of core's series). */
export function refErf(x: number): number {
  if (!Number.isFinite(x)) return Math.sign(x);
  const n = 2000;
  const h = x / n;
  let s = 1 + Math.exp(-x * x);
  for (let i = 1; i < n; i++) s += (i % 2 ? 4 : 2) * Math.exp(-((i * h) ** 2));
  return ((2 / Math.sqrt(Math.PI)) * s * h) / 3;
}
