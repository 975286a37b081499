// The differential op fuzzer: random calls of every primitive in core's registry, run on the CPU
// reference and on WebGPU (values, and first-order gradients), and elementwise ones and matmul on
// TensorFlow.js too, where a disagreement is decided by the float64 scalar reference.
import * as dl from '@webdl/core';
import type { PrimitiveName, Tensor } from '@webdl/core';
import * as tf from '@tensorflow/tfjs';
import { makeCall, rng, type Call, type HostInput } from './gen.js';

/** What a fuzz run found. */
export interface FuzzReport {
  calls: Record<string, number>;
  mismatches: { backend: string; what: string }[];
  /** TF.js disagreed with webdl's CPU reference, and float64 sided with webdl. */
  tfjsWrong: number;
  /** Primitives whose registry entry says differentiable but whose gradient throws (name: message). */
  gradientsRefused: Record<string, string>;
  primitives: number;
}

const toTensor = (h: HostInput) => dl.tensor(h.values, h.shape, h.dtype);

function close(a: ArrayLike<number>, r: ArrayLike<number>, rtol: number, atol: number): number {
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
function tolerance(call: Call): [number, number] {
  const k = call.prim.kind;
  if (k === 'elementwise' || k === 'layout' || k === 'identity' || k === 'random') return [3e-5, 3e-6];
  return [2e-4, 2e-4];
}

/** Outputs (and gradients of sum(y·w) for differentiable float calls) on the current backend. */
async function evaluate(
  call: Call,
  withGrad: boolean,
): Promise<{ outs: ArrayLike<number>[]; grads: ArrayLike<number>[] | null }> {
  const xs = call.inputs.map(toTensor);
  const tape = new dl.GradientTape({ persistent: false });
  const floats = xs.filter((x) => x.dtype === 'float32');
  tape.watch(floats);
  let ys: Tensor[] = [];
  let gs: (Tensor | null)[] | null = null;
  try {
    ys = tape.record(() => dl.runPrimitive(call.prim.name as PrimitiveName, xs, call.attrs as never));
    if (withGrad && ys[0].dtype === 'float32' && floats.length > 0 && ys[0].size > 0) {
      const w = dl.tensor(
        Float32Array.from({ length: ys[0].size }, (_, i) => ((i * 7) % 5) / 4 - 0.5),
        ys[0].shape,
      );
      const loss = tape.record(() => dl.sum(dl.mul(ys[0], w)));
      gs = tape.gradient(loss, floats);
      dl.dispose([w, loss]);
    } else tape.dispose();
    const outs = await Promise.all(ys.map((y) => y.data()));
    const grads = gs
      ? await Promise.all(gs.map((g) => (g ? g.data() : Promise.resolve(new Float32Array(0)))))
      : null;
    return { outs, grads };
  } finally {
    dl.dispose([...xs, ...ys, ...(gs ?? []).filter((g): g is Tensor => g !== null)]);
  }
}

const describeCall = (c: Call) =>
  `${c.prim.name}(${c.inputs.map((i) => `${i.dtype}[${i.shape}]`).join(', ')}) ${JSON.stringify(c.attrs).slice(0, 80)}`;

/** TF.js's op for a primitive, if it has one with the same meaning. */
function tfOp(call: Call): ((xs: tf.Tensor[]) => tf.Tensor) | null {
  const name = call.prim.name;
  const a = call.attrs as Record<string, number | boolean>;
  if (name === 'matmul') return ([x, y]) => tf.matMul(x, y, a.transposeA as boolean, a.transposeB as boolean);
  if (name === 'leakyRelu') return ([x]) => tf.leakyRelu(x, a.alpha as number);
  if (name === 'clipByValue') return ([x]) => tf.clipByValue(x, a.min as number, a.max as number);
  if (name === 'elu' && a.alpha !== 1) return null;
  if (call.prim.kind !== 'elementwise' || ['cast', 'where', 'broadcastTo'].includes(name)) return null;
  const fn = (tf as unknown as Record<string, unknown>)[name];
  return typeof fn === 'function' ? (xs) => (fn as (...t: tf.Tensor[]) => tf.Tensor)(...xs) : null;
}

/** Independent float64 references (JS Math, IEEE 754 semantics) for deciding TF.js disagreements. */
const F64: Record<string, (...v: number[]) => number> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  maximum: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.max(a, b)),
  minimum: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.min(a, b)),
  pow: (a, b) => (a === 1 || b === 0 ? 1 : a === -1 && !Number.isFinite(b) && !Number.isNaN(b) ? 1 : a ** b),
  neg: (a) => -a,
  abs: Math.abs,
  sign: (a) => (Number.isNaN(a) ? NaN : Math.sign(a)),
  exp: Math.exp,
  log: Math.log,
  sqrt: Math.sqrt,
  rsqrt: (a) => 1 / Math.sqrt(a),
  square: (a) => a * a,
  reciprocal: (a) => 1 / a,
  sin: Math.sin,
  cos: Math.cos,
  tanh: Math.tanh,
  sigmoid: (a) => 1 / (1 + Math.exp(-a)),
  relu: (a) => (Number.isNaN(a) ? NaN : Math.max(a, 0)),
  floor: Math.floor,
  ceil: Math.ceil,
  softplus: (a) => (a > 0 ? a + Math.log1p(Math.exp(-a)) : Math.log1p(Math.exp(a))),
  equal: (a, b) => Number(a === b),
  notEqual: (a, b) => Number(a !== b),
  greater: (a, b) => Number(a > b),
  greaterEqual: (a, b) => Number(a >= b),
  less: (a, b) => Number(a < b),
  lessEqual: (a, b) => Number(a <= b),
};

/** float64 value of an elementwise call at flat output index i (inputs broadcast NumPy-style). */
function float64At(call: Call, outShape: readonly number[], i: number): number {
  const f = F64[call.prim.name];
  const args = call.inputs.map((inp) => {
    let idx = 0;
    let stride = 1;
    let rem = i;
    const coords = outShape.map(() => 0);
    for (let d = outShape.length - 1; d >= 0; d--) {
      coords[d] = rem % outShape[d];
      rem = Math.floor(rem / outShape[d]);
    }
    for (let d = inp.shape.length - 1; d >= 0; d--) {
      const c = coords[outShape.length - inp.shape.length + d];
      idx += (inp.shape[d] === 1 ? 0 : c) * stride;
      stride *= inp.shape[d];
    }
    return inp.values[idx];
  });
  return f ? Math.fround(f(...args)) : NaN;
}

/** Runs `calls` random calls from `seed`; `backends` beyond 'cpu' are compared with it. */
export async function runFuzz(opts: {
  calls: number;
  seed: number;
  webgpu: boolean;
  tfjs: boolean;
}): Promise<FuzzReport> {
  const prims = dl.listPrimitives();
  const r = rng(opts.seed);
  const report: FuzzReport = {
    calls: { webgpu: 0, tfjs: 0 },
    mismatches: [],
    tfjsWrong: 0,
    primitives: prims.length,
    gradientsRefused: {},
  };
  await tf.setBackend('cpu');
  for (let n = 0; n < opts.calls; n++) {
    const call = makeCall(r, prims[n % prims.length]);
    let withGrad = call.prim.differentiable && !call.specials && !(call.prim.name in report.gradientsRefused);
    await dl.setBackend('cpu');
    let ref: Awaited<ReturnType<typeof evaluate>>;
    try {
      ref = await evaluate(call, withGrad);
    } catch (e) {
      if (!withGrad) throw e;
      report.gradientsRefused[call.prim.name] = (e as Error).message;
      withGrad = false;
      ref = await evaluate(call, false);
    }
    const [rtol, atol] = tolerance(call);
    if (opts.webgpu) {
      await dl.setBackend('webgpu');
      report.calls.webgpu++;
      const got = await evaluate(call, withGrad);
      got.outs.forEach((o, k) => {
        const bad = close(o, ref.outs[k], rtol, atol);
        if (bad >= 0)
          report.mismatches.push({
            backend: 'webgpu',
            what: `${describeCall(call)} out[${bad}] ${o[bad]} vs ${ref.outs[k][bad]}`,
          });
      });
      got.grads?.forEach((g, k) => {
        const bad = close(g, ref.grads?.[k] ?? [], 2e-4, 2e-4);
        if (bad >= 0)
          report.mismatches.push({
            backend: 'webgpu',
            what: `${describeCall(call)} grad[${k}][${bad}] ${g[bad]} vs ${ref.grads?.[k][bad]}`,
          });
      });
    }
    const op = opts.tfjs ? tfOp(call) : null;
    if (op) {
      report.calls.tfjs++;
      const ys = tf.tidy(() => {
        const xs = call.inputs.map((h) => tf.tensor(h.values, h.shape, h.dtype));
        return op(xs).dataSync();
      });
      const bad = close(ys, ref.outs[0], rtol, atol);
      if (bad >= 0) {
        const outShape = tf.tidy(
          () => op(call.inputs.map((h) => tf.tensor(h.values, h.shape, h.dtype))).shape,
        );
        const exact = call.prim.kind === 'elementwise' ? float64At(call, outShape, bad) : NaN;
        const webdlRight = close([ref.outs[0][bad]], [exact], rtol, atol) < 0;
        if (webdlRight) report.tfjsWrong++;
        else
          report.mismatches.push({
            backend: 'tfjs',
            what: `${describeCall(call)} out[${bad}] tfjs ${ys[bad]} vs webdl ${ref.outs[0][bad]} (float64 ${exact})`,
          });
      }
    }
  }
  return report;
}
