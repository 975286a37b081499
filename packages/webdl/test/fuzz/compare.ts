// Shared pieces of the fuzzer: its report, tolerances, and how a call is described.
import type { Call } from './gen.js';

/** What a fuzz run found. */
export interface FuzzReport {
  calls: Record<string, number>;
  mismatches: { backend: string; what: string }[];
  /** TF.js disagreed with webdl's CPU reference and float64 sided with webdl, by primitive. */
  tfjsWrong: Record<string, number>;
  /** Examples of those, one per primitive. */
  tfjsWrongExamples: Record<string, string>;
  /** TF.js and webdl disagree where float64 cannot decide (a derivative at a non-finite input). */
  undecided: Record<string, { count: number; example: string }>;
  /** Primitives with no TF.js counterpart, and why. */
  unmapped: Record<string, string>;
  /** TF.js threw on a valid call (first message per primitive) and how often. */
  tfjsRefused: Record<string, { count: number; message: string }>;
  /** Gradient checks against float64 central differences: per backend, agreed and non-smooth points. */
  gradChecks: Record<string, { agree: number; nonSmooth: number }>;
  /** Primitives whose registry entry says differentiable but whose gradient throws (name: message). */
  gradientsRefused: Record<string, string>;
  primitives: number;
}

/** Index of the first element of `a` not within tolerance of `r` (NaN matches NaN), or -1. */
export function close(a: ArrayLike<number>, r: ArrayLike<number>, rtol: number, atol: number): number {
  if (a.length !== r.length) return 0;
  for (let i = 0; i < r.length; i++) {
    const [x, y] = [a[i], r[i]];
    if (Number.isNaN(x) && Number.isNaN(y)) continue;
    if (x === y) continue;
    if (!Number.isFinite(x) || !Number.isFinite(y) || Math.abs(x - y) > atol + rtol * Math.abs(y)) return i;
  }
  return -1;
}

/** Tolerances by kind: elementwise near an ulp; accumulating kinds (sums, matmul, conv) looser. */
export function tolerance(call: Call): [number, number] {
  const k = call.prim.kind;
  if (k === 'elementwise' || k === 'identity' || k === 'random') return [3e-5, 3e-6];
  if (k === 'layout' && !call.prim.name.startsWith('image.')) return [3e-5, 3e-6];
  return [2e-4, 2e-4];
}

export const describeCall = (c: Call): string =>
  `${c.prim.name}(${c.inputs.map((i) => `${i.dtype}[${i.shape}]`).join(', ')}) ${JSON.stringify(c.attrs).slice(0, 160)}`;
