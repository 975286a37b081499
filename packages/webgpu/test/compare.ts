// Test helpers: seeded input values, and comparison of WebGPU results with the CPU reference at a stated tolerance.
import { expect } from 'vitest';

/** Deterministic values in [lo, hi) from a small LCG (tests must not depend on Math.random). */
export function values(n: number, seed: number, lo = -1, hi = 1): number[] {
  let s = (seed * 2654435761) >>> 0 || 1;
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = lo + ((s >>> 8) / 16777216) * (hi - lo);
  }
  return out;
}

/** Tolerance: |gpu - cpu| <= atol + rtol * |cpu|; NaN must match NaN and infinities must match exactly. */
export interface Tol {
  atol: number;
  rtol: number;
}

/** Exact equality (integers, bools, data movement, random bits). */
export const EXACT: Tol = { atol: 0, rtol: 0 };
/** Single float32 operations (+, *, max, comparisons of computed values...). */
export const F32: Tol = { atol: 1e-6, rtol: 1e-6 };
/** Transcendentals on the GPU (exp, log, tanh, erf approximations): a few float32 ulps plus 2e-6 absolute. */
export const TRANS: Tol = { atol: 2e-6, rtol: 2e-5 };
/** Accumulations (sums, matmul, convolutions) in float32 against the CPU's float64. */
export const ACC: Tol = { atol: 1e-4, rtol: 1e-4 };

/** Asserts that two arrays agree elementwise within `tol`, reporting the first mismatch with its index. */
export function expectClose(label: string, got: ArrayLike<number>, want: ArrayLike<number>, tol: Tol): void {
  expect(got.length, `${label}: length`).toBe(want.length);
  let worst = -1;
  let worstErr = 0;
  for (let i = 0; i < want.length; i++) {
    const g = got[i];
    const w = want[i];
    if (Number.isNaN(w) || Number.isNaN(g)) {
      if (Number.isNaN(w) !== Number.isNaN(g)) {
        worst = i;
        break;
      }
      continue;
    }
    if (!Number.isFinite(w) || !Number.isFinite(g)) {
      if (g !== w) {
        worst = i;
        break;
      }
      continue;
    }
    const err = Math.abs(g - w) - (tol.atol + tol.rtol * Math.abs(w));
    if (err > worstErr) {
      worstErr = err;
      worst = i;
    }
  }
  if (worst >= 0) {
    expect.fail(
      `${label}: element ${worst} is ${got[worst]}, CPU gives ${want[worst]} (tolerance atol ${tol.atol}, rtol ${tol.rtol})`,
    );
  }
}
