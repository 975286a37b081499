// Random calls for the differential fuzzer: a seeded generator, shapes (ranks 0-4, size-1 and empty
// dims, broadcasting both ways) and values (normal ones plus NaN, ±Inf, ±0, ±1e30).
import type { DType, PrimitiveInfo } from '@webdl/core';
import { randomSpec, type Spec } from './calls.js';

/** mulberry32: a small seeded generator. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];

const DIMS = [0, 1, 1, 2, 3, 3, 4, 5, 7];
export const SPECIALS = [NaN, Infinity, -Infinity, 0, -0, 1e30, -1e30, 1, -1];
/**
 * Specials for accumulating kinds (sums, matmul, conv): no ±1e30, whose products overflow float32
 * while the float64 CPU reference cancels them exactly (1e60 - 1e60), a precision difference, not a bug.
 */
const SPECIALS_ACC = [NaN, Infinity, -Infinity, 0, -0, 1, -1];

/**
 * Primitives fed finite values only. Known, reported: the image kernels weigh a tap of weight 0
 * differently on the two backends (0·Inf is NaN on one, skipped on the other: cropAndResize on WebGPU,
 * resizeGrad on the CPU, transformGrad on WebGPU). Convolutions get non-finite values since WebGPU's
 * conv kernels skip taps outside a window (they used to spread a NaN or Inf into neighbouring outputs).
 */
const finiteOnly: RegExp | null = /^image\./;

/** Accumulating primitives (sums, products, matmul, conv, adjoints) get no ±1e30 (see SPECIALS_ACC). */
const specialsFor = (p: PrimitiveInfo) =>
  p.kind === 'matmul' || p.kind === 'conv' || /^(sum|prod)$|Grad/.test(p.name) ? SPECIALS_ACC : SPECIALS;

/** One input of a call: host values with shape and dtype. */
export interface HostInput {
  shape: number[];
  dtype: DType;
  values: Float32Array | Int32Array | Uint8Array;
}

/** A generated call: the primitive, its attrs, inputs, and whether special values were injected. */
export interface Call {
  prim: PrimitiveInfo;
  attrs: object;
  inputs: HostInput[];
  specials: boolean;
}

/** Shapes of an elementwise call: an output of rank 0-4 and inputs that broadcast to it (dropping or 1-ing dims). */
function broadcastShapes(r: () => number, arity: number): number[][] {
  const rank = Math.floor(r() * 5);
  const out = Array.from({ length: rank }, () => pick(r, DIMS));
  return Array.from({ length: arity }, () => {
    const drop = Math.floor(r() * (rank + 1) * 0.5);
    return out.slice(drop).map((d) => (r() < 0.25 ? 1 : d));
  });
}

function values(
  r: () => number,
  n: number,
  dtype: DType,
  range: readonly [number, number],
  special: readonly number[] | null,
) {
  const [lo, hi] = range;
  if (dtype === 'bool') return Uint8Array.from({ length: n }, () => (r() < 0.5 ? 1 : 0));
  if (dtype === 'int32') return Int32Array.from({ length: n }, () => Math.floor(lo + r() * (hi - lo)));
  return Float32Array.from({ length: n }, () =>
    special && r() < 0.2 ? pick(r, special) : lo + r() * (hi - lo),
  );
}

/** A random call of `prim`: elementwise ones get random broadcast shapes, others random shapes and attrs. */
export function makeCall(r: () => number, prim: PrimitiveInfo): Call {
  const ex = prim.example();
  const elementwise = prim.kind === 'elementwise' && prim.name !== 'broadcastTo' && prim.arity > 0;
  const spec = elementwise ? null : randomSpec(r, prim.name);
  const shapes = elementwise ? broadcastShapes(r, prim.arity) : null;
  const specs: Spec['inputs'] = spec
    ? spec.inputs
    : ex.inputs.map((i, k) => ({ ...i, shape: shapes ? shapes[k] : [...i.shape] }));
  // Index-like inputs (gather indices, crop boxes) keep their ranges: special values would be invalid.
  const specials = r() < 0.3 && (finiteOnly === null || !finiteOnly.test(prim.name));
  const inputs = specs.map((s) => {
    const pool = specials && (prim.kind === 'elementwise' || !s.range) ? specialsFor(prim) : null;
    const n = s.shape.reduce((a, b) => a * b, 1);
    const vals = s.values
      ? Float32Array.from(s.values)
      : values(r, n, s.dtype, s.range ?? [-2, 2], s.dtype === 'float32' ? pool : null);
    return { shape: [...s.shape], dtype: s.dtype, values: vals };
  });
  return {
    prim,
    attrs: spec ? spec.attrs : ex.attrs,
    inputs,
    specials: specials && inputs.some((i) => i.dtype === 'float32'),
  };
}
