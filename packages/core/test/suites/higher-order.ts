// Backend-agnostic higher-order gradient checks: nested tapes for 2nd and 3rd derivatives, and the
// Hessian-vector product of a small MLP loss against float64 finite differences.
import * as dl from '@webdl/core';
import { GradientTape, tensor, type Tensor } from '@webdl/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { rng } from './gradcheck.js';
import { expectClose, vals } from './autodiff.js';

/** n-th derivative of an elementwise f at every element of x, by n nested tapes. */
export function nthDerivative(f: (x: Tensor) => Tensor, x: Tensor, n: number): Tensor {
  if (n === 0) return f(x);
  const tape = new GradientTape();
  tape.watch(x);
  const y = tape.record(() => nthDerivative(f, x, n - 1).sum());
  const g = tape.gradient(y, x);
  return g ?? dl.zerosLike(x);
}

/** Float64 third derivative by the 5-point stencil, h = 1e-3 (error ~1e-6). */
function third(f: (v: number) => number, v: number): number {
  const h = 1e-3;
  return (f(v + 2 * h) - 2 * f(v + h) + 2 * f(v - h) - f(v - 2 * h)) / (2 * h ** 3);
}

const sig = (v: number) => 1 / (1 + Math.exp(-v));
const THIRD: [string, (x: Tensor) => Tensor, (v: number) => number][] = [
  ['sin', dl.sin, Math.sin],
  ['exp(2x)', (x) => x.mul(2).exp(), (v) => Math.exp(2 * v)],
  ['x^4 (pow)', (x) => x.pow(4), (v) => v ** 4],
  ['tanh', dl.tanh, Math.tanh],
  ['sigmoid', dl.sigmoid, sig],
  ['softplus', dl.softplus, (v) => Math.log1p(Math.exp(v))],
  ['log', (x) => x.abs().log(), (v) => Math.log(Math.abs(v))],
  [
    'gelu (tanh)',
    (x) => dl.gelu(x, true),
    (v) => 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3))),
  ],
  ['x·sin(x) (mul)', (x) => x.mul(x.sin()), (v) => v * Math.sin(v)],
];

/** A 3-4-2 tanh MLP's mean squared error, in float64, over a flat parameter vector. */
function mlpLoss64(p: Float64Array, X: number[][], Y: number[][]): number {
  const W1 = (i: number, j: number) => p[i * 4 + j];
  const b1 = (j: number) => p[12 + j];
  const W2 = (j: number, k: number) => p[16 + j * 2 + k];
  const b2 = (k: number) => p[24 + k];
  let total = 0;
  X.forEach((x, n) => {
    const h = [0, 1, 2, 3].map((j) => Math.tanh(x.reduce((s, v, i) => s + v * W1(i, j), b1(j))));
    for (let k = 0; k < 2; k++) total += (h.reduce((s, v, j) => s + v * W2(j, k), b2(k)) - Y[n][k]) ** 2;
  });
  return total / (X.length * 2);
}

const SHAPES = [[3, 4], [4], [4, 2], [2]];
const split = (p: ArrayLike<number>) => {
  let o = 0;
  return SHAPES.map((s) => {
    const n = s.reduce((a, d) => a * d, 1);
    const part = Array.from(p).slice(o, o + n);
    o += n;
    return tensor(part, s);
  });
};

function mlpLoss(params: Tensor[], X: Tensor, Y: Tensor): Tensor {
  const [W1, b1, W2, b2] = params;
  return X.matmul(W1).add(b1).tanh().matmul(W2).add(b2).sub(Y).square().mean();
}

/** Gradient of the MLP loss at params (float32, by one tape). */
function gradAt(params: Tensor[], X: Tensor, Y: Tensor): Tensor[] {
  const tape = new GradientTape();
  tape.watch(params);
  return tape.gradient(
    tape.record(() => mlpLoss(params, X, Y)),
    params,
  ) as Tensor[];
}

/** Registers the higher-order tests for a backend. */
export function higherOrderSuite(backend: string): void {
  describe(`higher-order gradients on ${backend}`, () => {
    beforeAll(async () => {
      await dl.setBackend(backend);
    });

    it('d²/dx² sin = -sin by nested tapes', async () => {
      const xs = [-2, -0.5, 0, 1, 2.5];
      const x = tensor(xs);
      const outer = new GradientTape();
      const inner = new GradientTape();
      outer.watch(x);
      inner.watch(x);
      const dx = outer.record(() =>
        inner.gradient(
          inner.record(() => x.sin()),
          x,
        ),
      );
      expectClose(
        await vals(outer.gradient(dx as Tensor, x)),
        xs.map((v) => -Math.sin(v)),
      );
    });

    it.each(THIRD)('third derivative of %s matches float64 finite differences', async (_n, f, ref) => {
      const xs = [-1.3, -0.4, 0.35, 0.9, 1.7];
      const d3 = dl.tidy(() => nthDerivative(f, tensor(xs), 3));
      expectClose(
        Array.from(await d3.data()),
        xs.map((v) => third(ref, v)),
        1e-3,
      );
      d3.dispose();
    });

    it('Hessian-vector product of a small MLP loss', async () => {
      const u = rng(42);
      const normal = () => Math.fround((u() + u() + u() - 1.5) * 1.4);
      const X64 = Array.from({ length: 6 }, () => [normal(), normal(), normal()]);
      const Y64 = Array.from({ length: 6 }, () => [normal(), normal()]);
      const p64 = Float64Array.from({ length: 26 }, () => Math.fround(normal() * 0.8));
      const v64 = Float64Array.from({ length: 26 }, () => Math.fround(u() * 2 - 1));
      const X = tensor(X64);
      const Y = tensor(Y64);
      const params = split(p64);
      const vs = split(v64);
      // H·v = d/dθ <∇L(θ), v>, the inner gradient recorded by the outer tape.
      const outer = new GradientTape();
      outer.watch(params);
      const gv = outer.record(() =>
        gradAt(params, X, Y)
          .map((g, i) => g.mul(vs[i]).sum())
          .reduce((a, b) => a.add(b)),
      );
      const hv = (await Promise.all(outer.gradient(gv, params).map(vals))).flat();
      // Reference 1: float64 4-point differences of the float64 loss (accuracy ~1e-8).
      const h = 1e-4;
      const at = (j: number, se: number, sv: number) =>
        mlpLoss64(
          p64.map((p, q) => p + sv * h * v64[q] + (q === j ? se * h : 0)),
          X64,
          Y64,
        );
      const want = Array.from(
        p64,
        (_, j) => (at(j, 1, 1) - at(j, 1, -1) - at(j, -1, 1) + at(j, -1, -1)) / (4 * h * h),
      );
      expectClose(hv, want, 1e-4);
      // Reference 2: central differences of the tape's float32 gradient along v (eps = 1e-2; float32 noise ~1e-5/eps).
      const eps = 1e-2;
      const shifted = (s: number) => gradAt(split(p64.map((p, q) => p + s * eps * v64[q])), X, Y);
      const gp = (await Promise.all(shifted(1).map(vals))).flat();
      const gm = (await Promise.all(shifted(-1).map(vals))).flat();
      expectClose(
        hv,
        gp.map((g, j) => (g - gm[j]) / (2 * eps)),
        3e-3,
      );
      expect(Math.max(...hv.map(Math.abs))).toBeGreaterThan(0.05);
    });
  });
}
