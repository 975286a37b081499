// Independent float64 scalar references (JS Math, IEEE 754 semantics) of the elementwise primitives,
// for deciding where TF.js and webdl disagree.
import type { Call } from './gen.js';

/** erf to float64 accuracy: its Maclaurin series below 2.5, the erfc continued fraction above. */
function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const a = Math.abs(x);
  if (a < 2.5) {
    let term = a;
    let sum = a;
    for (let n = 1; n < 80; n++) {
      term *= (-a * a) / n;
      sum += term / (2 * n + 1);
    }
    return (Math.sign(x) * 2 * sum) / Math.sqrt(Math.PI);
  }
  if (a > 6) return Math.sign(x);
  // erfc(a) = exp(-a^2)/sqrt(pi) * 1/(a + 1/2/(a + 1/(a + 3/2/(a + ...)))), evaluated bottom-up.
  let f = a;
  for (let n = 60; n >= 1; n--) f = a + n / 2 / f;
  return Math.sign(x) * (1 - Math.exp(-a * a) / Math.sqrt(Math.PI) / f);
}

const nanOr = (a: number, b: number, f: () => number) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : f());
const SELU = [1.0507009873554805, 1.6732632423543772];

/** float64 value of each elementwise primitive TF.js also has, from its mathematical definition. */
const F64: Record<string, (attrs: Record<string, number>, ...v: number[]) => number> = {
  add: (_, a, b) => a + b,
  sub: (_, a, b) => a - b,
  mul: (_, a, b) => a * b,
  div: (_, a, b) => a / b,
  maximum: (_, a, b) => nanOr(a, b, () => Math.max(a, b)),
  minimum: (_, a, b) => nanOr(a, b, () => Math.min(a, b)),
  pow: (_, a, b) => (a === 1 || b === 0 ? 1 : a === -1 && Math.abs(b) === Infinity ? 1 : a ** b),
  neg: (_, a) => -a,
  abs: (_, a) => Math.abs(a),
  sign: (_, a) => (Number.isNaN(a) ? NaN : Math.sign(a)),
  exp: (_, a) => Math.exp(a),
  log: (_, a) => Math.log(a),
  log1p: (_, a) => Math.log1p(a),
  sqrt: (_, a) => Math.sqrt(a),
  rsqrt: (_, a) => 1 / Math.sqrt(a),
  square: (_, a) => a * a,
  reciprocal: (_, a) => 1 / a,
  sin: (_, a) => Math.sin(a),
  cos: (_, a) => Math.cos(a),
  tanh: (_, a) => Math.tanh(a),
  sigmoid: (_, a) => 1 / (1 + Math.exp(-a)),
  relu: (_, a) => (Number.isNaN(a) ? NaN : Math.max(a, 0)),
  relu6: (_, a) => (Number.isNaN(a) ? NaN : Math.min(Math.max(a, 0), 6)),
  selu: (_, a) => SELU[0] * (a > 0 ? a : SELU[1] * Math.expm1(a)),
  softplus: (_, a) => (a > 0 ? a + Math.log1p(Math.exp(-a)) : Math.log1p(Math.exp(a))),
  erf: (_, a) => erf(a),
  floor: (_, a) => Math.floor(a),
  ceil: (_, a) => Math.ceil(a),
  // Half to even, as TensorFlow.
  round: (_, a) => (Math.abs(a % 1) === 0.5 ? 2 * Math.round(a / 2) : Math.round(a)),
  equal: (_, a, b) => Number(a === b),
  notEqual: (_, a, b) => Number(a !== b),
  greater: (_, a, b) => Number(a > b),
  greaterEqual: (_, a, b) => Number(a >= b),
  less: (_, a, b) => Number(a < b),
  lessEqual: (_, a, b) => Number(a <= b),
  logicalAnd: (_, a, b) => Number(a !== 0 && b !== 0),
  logicalOr: (_, a, b) => Number(a !== 0 || b !== 0),
  logicalNot: (_, a) => Number(a === 0),
  leakyRelu: (t, a) => (a < 0 ? t.alpha * a : a),
  elu: (t, a) => (a > 0 ? a : t.alpha * Math.expm1(a)),
  clipByValue: (t, a) => (Number.isNaN(a) ? NaN : Math.min(Math.max(a, t.min), t.max)),
  where: (_, c, a, b) => (c !== 0 ? a : b),
  // float32 -> int32 as webdl defines it (and WGSL): toward zero, saturating, NaN to 0.
  cast: (t, a) =>
    (t.dtype as unknown) !== 'int32'
      ? a
      : Number.isNaN(a)
        ? 0
        : Math.min(2147483647, Math.max(-2147483648, Math.trunc(a))),
};

/** Whether `name` has a float64 scalar reference. */
export const hasF64 = (name: string): boolean => name in F64;

/** float64 value (rounded to float32) of an elementwise call at flat output index i, inputs broadcast NumPy-style. */
export function float64At(call: Call, outShape: readonly number[], i: number): number {
  const f = F64[call.prim.name];
  const coords = outShape.map(() => 0);
  let rem = i;
  for (let d = outShape.length - 1; d >= 0; d--) {
    coords[d] = rem % outShape[d];
    rem = Math.floor(rem / outShape[d]);
  }
  const args = call.inputs.map((inp) => {
    let idx = 0;
    let stride = 1;
    for (let d = inp.shape.length - 1; d >= 0; d--) {
      const c = coords[outShape.length - inp.shape.length + d];
      idx += (inp.shape[d] === 1 ? 0 : c) * stride;
      stride *= inp.shape[d];
    }
    return inp.values[idx];
  });
  const v = f ? f(call.attrs as Record<string, number>, ...args) : NaN;
  return call.prim.name === 'cast' ? v : Math.fround(v);
}
