// Numeric gradient checks: the tape's float32 gradients (first and second order) against central
// differences of float64 reference forwards (ref64.ts), as PyTorch's gradcheck/gradgradcheck.
import { GradientTape, scalar, tensor, type Tensor } from '@webdl/core';
import { arr, sizeOf, type Arr } from './ref64.js';

/** Deterministic uniform [0, 1) generator (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An input: its shape and optionally how to draw its values from a uniform [0, 1) source. */
export interface InputSpec {
  shape: number[];
  gen?: (u: () => number) => number;
}

/** One op under test: the webdl function and its float64 reference, on the same inputs. */
export interface GradCase {
  name: string;
  inputs: (number[] | InputSpec)[];
  f: (...xs: Tensor[]) => Tensor | Tensor[];
  ref: (...xs: Arr[]) => Arr | Arr[];
  /** First-order tolerance on max|tape - numeric| / max(1, max|numeric|) (default 1e-4). */
  tol?: number;
  /** Same for the Hessian-vector product; false skips the second-order check (default 1e-3). */
  tol2?: number | false;
}

/** Away from 0 (the kink of relu/abs/sign...): ±[0.05, 2). */
export const defaultGen = (u: () => number): number => (u() < 0.5 ? -1 : 1) * (0.05 + 1.95 * u());
export const positive = (u: () => number): number => 0.1 + 1.9 * u();

const list = <X>(v: X | X[]): X[] => (Array.isArray(v) ? v : [v]);
const hash = (s: string) =>
  [...s].reduce((h, c) => Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0, 2166136261);
const toT = (a: Arr) => tensor(Float32Array.from(a.data), a.shape);

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

async function values(t: Tensor | null, n: number): Promise<Float64Array> {
  return t ? Float64Array.from(await t.data()) : new Float64Array(n);
}

/** Max error of got vs want relative to max(1, max|want|); NaN anywhere gives Infinity. */
export function relErr(got: ArrayLike<number>, want: ArrayLike<number>): number {
  let scale = 1;
  let err = 0;
  for (let i = 0; i < want.length; i++) scale = Math.max(scale, Math.abs(want[i]));
  for (let i = 0; i < want.length; i++) {
    const e = Math.abs(got[i] - want[i]);
    err = Number.isNaN(e) ? Infinity : Math.max(err, e);
  }
  return got.length === want.length ? err / scale : Infinity;
}

interface Setup {
  xs64: Arr[];
  rs: Arr[];
  vs: Arr[];
  loss: (xs: Arr[]) => number;
}

function setup(c: GradCase): Setup {
  const u = rng(hash(c.name));
  const draw = (shape: number[], gen: (u: () => number) => number) =>
    arr(
      shape,
      Array.from({ length: sizeOf(shape) }, () => Math.fround(gen(u))),
    );
  const specs = c.inputs.map((s) => (Array.isArray(s) ? { shape: s } : s));
  const xs64 = specs.map((s) => draw(s.shape, s.gen ?? defaultGen));
  const rs = list(c.ref(...xs64)).map((y) => draw(y.shape, (v) => v() * 2 - 1));
  const vs = xs64.map((x) => draw(x.shape, (v) => v() * 2 - 1));
  const loss = (xs: Arr[]) => list(c.ref(...xs)).reduce((s, y, k) => s + dot(y.data, rs[k].data), 0);
  return { xs64, rs, vs, loss };
}

/** Runs f under the tape(s) already recording and returns the scalar target sum_k <y_k, r_k> (seed trick for one output). */
function target(c: GradCase, xs: Tensor[], rts: Tensor[]): { y: Tensor; seed?: Tensor } {
  const ys = list(c.f(...xs));
  if (ys.length === 1) return { y: ys[0], seed: rts[0] };
  return { y: ys.map((y, k) => y.mul(rts[k]).sum()).reduce((a, b) => a.add(b)) };
}

/** Result of a check: errors found (first order per input, forward, second order). */
export interface CheckResult {
  forward: number;
  first: number[];
  second?: number[];
}

/** Compares forward, gradient and (unless tol2 is false) Hessian-vector product with float64 references. */
export async function gradCheck(c: GradCase): Promise<CheckResult> {
  const { xs64, rs, vs, loss } = setup(c);
  const xs = xs64.map(toT);
  const rts = rs.map(toT);
  const made: Tensor[] = [...xs, ...rts];
  try {
    // Forward values (a sanity check of the reference itself).
    const ys = list(c.f(...xs));
    made.push(...ys);
    const y64 = list(c.ref(...xs64));
    let forward = 0;
    for (let k = 0; k < ys.length; k++) {
      if (ys[k].shape.join() !== y64[k].shape.join()) forward = Infinity;
      else forward = Math.max(forward, relErr(await ys[k].data(), y64[k].data));
    }
    // First order: the tape against central differences, h = 1e-6 in float64.
    const tape = new GradientTape();
    tape.watch(xs);
    const { y, seed } = tape.record(() => target(c, xs, rts));
    const grads = tape.gradient(y, xs, seed);
    made.push(y, ...grads.filter((g): g is Tensor => g !== null));
    const h = 1e-6;
    const first: number[] = [];
    for (let i = 0; i < xs.length; i++) {
      const got = await values(grads[i], xs64[i].data.length);
      const want = numericGrad(loss, xs64, i, h);
      first.push(relErr(got, want));
    }
    if (c.tol2 === false) return { forward, first };
    const second = await hvpCheck(c, xs, rts, xs64, vs, loss, made);
    return { forward, first, second };
  } finally {
    for (const t of made) t.dispose();
  }
}

function numericGrad(loss: (xs: Arr[]) => number, xs64: Arr[], i: number, h: number): Float64Array {
  const out = new Float64Array(xs64[i].data.length);
  for (let j = 0; j < out.length; j++) {
    const p = xs64.map((x) => ({ shape: x.shape, data: x.data.slice() }));
    const m = xs64.map((x) => ({ shape: x.shape, data: x.data.slice() }));
    p[i].data[j] += h;
    m[i].data[j] -= h;
    out[j] = (loss(p) - loss(m)) / (2 * h);
  }
  return out;
}

/** Nested tapes give H·v; the reference is a 4-point float64 difference with h = 1e-4. */
async function hvpCheck(
  c: GradCase,
  xs: Tensor[],
  rts: Tensor[],
  xs64: Arr[],
  vs: Arr[],
  loss: (xs: Arr[]) => number,
  made: Tensor[],
): Promise<number[]> {
  const vts = vs.map(toT);
  made.push(...vts);
  const outer = new GradientTape();
  outer.watch(xs);
  const s = outer.record(() => {
    const inner = new GradientTape();
    inner.watch(xs);
    const { y, seed } = inner.record(() => target(c, xs, rts));
    const gs = inner.gradient(y, xs, seed);
    const terms = gs.flatMap((g, i) => (g ? [g.mul(vts[i]).sum()] : []));
    return terms.length ? terms.reduce((a, b) => a.add(b)) : scalar(0);
  });
  const hv = outer.gradient(s, xs);
  made.push(s, ...hv.filter((g): g is Tensor => g !== null));
  const h = 1e-4;
  const out: number[] = [];
  for (let i = 0; i < xs.length; i++) {
    const want = new Float64Array(xs64[i].data.length);
    for (let j = 0; j < want.length; j++) {
      const pp = lossAt(loss, xs64, vs, i, j, h, 1, 1);
      const pm = lossAt(loss, xs64, vs, i, j, h, 1, -1);
      const mp = lossAt(loss, xs64, vs, i, j, h, -1, 1);
      const mm = lossAt(loss, xs64, vs, i, j, h, -1, -1);
      want[j] = (pp - pm - mp + mm) / (4 * h * h);
    }
    out.push(relErr(await values(hv[i], want.length), want));
  }
  return out;
}

function lossAt(
  loss: (xs: Arr[]) => number,
  xs64: Arr[],
  vs: Arr[],
  i: number,
  j: number,
  h: number,
  se: number,
  sv: number,
) {
  const p = xs64.map((x, k) => ({ shape: x.shape, data: x.data.map((v, q) => v + sv * h * vs[k].data[q]) }));
  p[i].data[j] += se * h;
  return loss(p);
}
