// The unary elementwise primitives: float64 reference, WGSL expression and gradient, one entry each.
import type { Tensor } from '../tensor.js';
import { zerosLike } from '../ops/creation.js';
import { where } from '../ops/elementwise.js';

/**
 * How an op picks its output dtype: float math, same as the (promoted) inputs, bool result, or bool logic.
 * ```ts
 * const rule: DtypeRule = 'bool'; // comparisons: greater(a, b) is bool whatever a's dtype
 * ```
 */
export type DtypeRule = 'float' | 'same' | 'bool' | 'logical';

/**
 * A unary primitive. `wgsl` gets a variable name and the compute type; `grad` uses tensor ops only
 * (`'none'`: not differentiable). `A` holds its attributes (leakyRelu's alpha).
 */
export interface UnaryDef<A = Record<string, never>> {
  dtype: DtypeRule;
  cpu: (x: number, attrs: A) => number;
  wgsl: (x: string, t: 'f32' | 'i32', attrs: A) => string;
  grad: ((dy: Tensor, x: Tensor, y: Tensor, attrs: A) => Tensor) | 'none';
}

const SELU_SCALE = 1.0507009873554805;
const SELU_ALPHA = 1.6732632423543772;
const SQRT1_2 = Math.SQRT1_2;
const INV_SQRT_2PI = 0.3989422804014327;

/** erf in float64: Taylor series near 0, continued fraction for erfc further out. */
export function erf64(x: number): number {
  const ax = Math.abs(x);
  if (Number.isNaN(x)) return NaN;
  if (ax < 3) {
    let term = x;
    let total = x;
    for (let n = 1; n < 80; n++) {
      term *= (-x * x) / n;
      const add = term / (2 * n + 1);
      total += add;
      if (Math.abs(add) < 1e-17 * Math.abs(total)) break;
    }
    return (2 / Math.sqrt(Math.PI)) * total;
  }
  if (ax > 6) return Math.sign(x);
  let f = ax;
  for (let k = 60; k >= 1; k--) f = ax + k / 2 / f;
  const erfc = Math.exp(-ax * ax) / Math.sqrt(Math.PI) / f;
  return Math.sign(x) * (1 - erfc);
}

// WGSL lets implementations assume no NaN or infinity, so `x != x` may fold to false: special
// values are tested on the bits, and produced from bitcasts (which backends keep at run time).
/** WGSL: is the f32 `x` NaN (tested on its bits). */
export const nanW = (x: string) => `((bitcast<u32>(${x}) & 0x7fffffffu) > 0x7f800000u)`;
/** WGSL: is the f32 `x` +inf or -inf (tested on its bits). */
export const infW = (x: string) => `((bitcast<u32>(${x}) & 0x7fffffffu) == 0x7f800000u)`;
export const NAN_W = 'bitcast<f32>(0x7fc00000u)';
export const INF_W = 'bitcast<f32>(0x7f800000u)';
const NEG_INF_W = 'bitcast<f32>(0xff800000u)';

/** WGSL log with IEEE special cases: log(0) = -inf, log(negative) = NaN, log(inf) = inf. */
function logWgsl(x: string): string {
  return `select(select(select(log(${x}), ${x}, ${infW(x)}), ${NEG_INF_W}, ${x} == 0.0), ${NAN_W}, ${x} < 0.0)`;
}

/**
 * sin or cos in WGSL: `wdl_sin`/`wdl_cos` from shaders/math-lib.wgsl (which kernel generators include
 * for expressions calling `wdl_` helpers), accurate to about 1e-7 absolute for every finite float32:
 * WGSL's builtins promise only 2^-11 on [-π, π], and a plain reduction by π/2 fails for huge
 * arguments (it gave Infinity for 1e30); large ones use Payne-Hanek reduction with 2/π's bits.
 */
function sinCosWgsl(x: string, quadrant: 0 | 1): string {
  return quadrant === 0 ? `wdl_sin(${x})` : `wdl_cos(${x})`;
}

/** erf in WGSL (Abramowitz & Stegun 7.1.26, |error| < 1.5e-7). */
function erfWgsl(x: string): string {
  const t = `(1.0 / (1.0 + 0.3275911 * abs(${x})))`;
  return `(sign(${x}) * (1.0 - ((((1.061405429 * ${t} - 1.453152027) * ${t} + 1.421413741) * ${t} - 0.284496736) * ${t} + 0.254829592) * ${t} * exp(-${x} * ${x})))`;
}

function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

// A piecewise-constant function: its gradient is zero (0 times dy would turn an infinite dy into NaN).
const zeroGrad = (dy: Tensor) => zerosLike(dy);

/** The unary primitives without attributes. */
export const UNARY = {
  neg: { dtype: 'same', cpu: (x) => -x, wgsl: (x) => `-${x}`, grad: (dy) => dy.neg() },
  abs: { dtype: 'same', cpu: Math.abs, wgsl: (x) => `abs(${x})`, grad: (dy, x) => dy.mul(x.sign()) },
  sign: { dtype: 'same', cpu: Math.sign, wgsl: (x) => `sign(${x})`, grad: zeroGrad },
  exp: { dtype: 'float', cpu: Math.exp, wgsl: (x) => `exp(${x})`, grad: (dy, _x, y) => dy.mul(y) },
  log: { dtype: 'float', cpu: Math.log, wgsl: (x) => logWgsl(x), grad: (dy, x) => dy.div(x) },
  log1p: {
    dtype: 'float',
    cpu: Math.log1p,
    wgsl: (x) =>
      `select(${logWgsl(`(1.0 + ${x})`)}, ${x} * (1.0 - ${x} * (0.5 - ${x} / 3.0)), abs(${x}) < 1e-4)`,
    grad: (dy, x) => dy.div(x.add(1)),
  },
  sqrt: { dtype: 'float', cpu: Math.sqrt, wgsl: (x) => `sqrt(${x})`, grad: (dy, _x, y) => dy.div(y.mul(2)) },
  rsqrt: {
    dtype: 'float',
    cpu: (x) => 1 / Math.sqrt(x),
    wgsl: (x) => `inverseSqrt(${x})`,
    grad: (dy, x, y) => dy.mul(y).div(x).mul(-0.5),
  },
  square: { dtype: 'same', cpu: (x) => x * x, wgsl: (x) => `${x} * ${x}`, grad: (dy, x) => dy.mul(x.mul(2)) },
  reciprocal: {
    dtype: 'float',
    cpu: (x) => 1 / x,
    wgsl: (x) => `1.0 / ${x}`,
    grad: (dy, _x, y) => dy.mul(y.square()).neg(),
  },
  sin: { dtype: 'float', cpu: Math.sin, wgsl: (x) => sinCosWgsl(x, 0), grad: (dy, x) => dy.mul(x.cos()) },
  cos: {
    dtype: 'float',
    cpu: Math.cos,
    wgsl: (x) => sinCosWgsl(x, 1),
    grad: (dy, x) => dy.mul(x.sin()).neg(),
  },
  tanh: {
    dtype: 'float',
    cpu: Math.tanh,
    wgsl: (x) => `tanh(clamp(${x}, -15.0, 15.0))`,
    grad: (dy, _x, y) => dy.mul(y.square().neg().add(1)),
  },
  sigmoid: {
    dtype: 'float',
    cpu: (x) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x))),
    wgsl: (x) => `1.0 / (1.0 + exp(-${x}))`,
    grad: (dy, _x, y) => dy.mul(y.mul(y.neg().add(1))),
  },
  relu: {
    dtype: 'same',
    cpu: (x) => (x > 0 ? x : Number.isNaN(x) ? x : 0),
    wgsl: (x, t) => `max(${x}, ${t}(0))`,
    grad: (dy, x) => dy.mul(x.greater(0).cast('float32')),
  },
  relu6: {
    dtype: 'same',
    cpu: (x) => (Number.isNaN(x) ? x : Math.min(Math.max(x, 0), 6)),
    wgsl: (x, t) => `clamp(${x}, ${t}(0), ${t}(6))`,
    grad: (dy, x) => dy.mul(x.greater(0).logicalAnd(x.less(6)).cast('float32')),
  },
  selu: {
    dtype: 'float',
    cpu: (x) => SELU_SCALE * (x > 0 ? x : SELU_ALPHA * Math.expm1(x)),
    wgsl: (x) => `${SELU_SCALE} * select(${SELU_ALPHA} * (exp(${x}) - 1.0), ${x}, ${x} > 0.0)`,
    grad: (dy, x) =>
      dy.mul(
        x
          .greater(0)
          .cast('float32')
          .mul(SELU_SCALE)
          .add(
            x
              .minimum(0)
              .exp()
              .mul(SELU_SCALE * SELU_ALPHA)
              .mul(x.lessEqual(0).cast('float32')),
          ),
      ),
  },
  softplus: {
    dtype: 'float',
    cpu: (x) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))),
    wgsl: (x) => `max(${x}, 0.0) + log(1.0 + exp(-abs(${x})))`,
    grad: (dy, x) => dy.mul(x.sigmoid()),
  },
  softsign: {
    dtype: 'float',
    cpu: (x) => x / (1 + Math.abs(x)),
    wgsl: (x) => `${x} / (1.0 + abs(${x}))`,
    grad: (dy, x) => dy.div(x.abs().add(1).square()),
  },
  silu: {
    dtype: 'float',
    cpu: (x) => x / (1 + Math.exp(-x)),
    wgsl: (x) => `${x} / (1.0 + exp(-${x}))`,
    grad: (dy, x) => {
      const s = x.sigmoid();
      return dy.mul(s.mul(x.mul(s.neg().add(1)).add(1)));
    },
  },
  erf: {
    dtype: 'float',
    cpu: erf64,
    wgsl: erfWgsl,
    grad: (dy, x) =>
      dy.mul(
        x
          .square()
          .neg()
          .exp()
          .mul(2 / Math.sqrt(Math.PI)),
      ),
  },
  gelu: {
    dtype: 'float',
    cpu: (x) => 0.5 * x * (1 + erf64(x * SQRT1_2)),
    wgsl: (x) => `0.5 * ${x} * (1.0 + ${erfWgsl(`(${x} * ${SQRT1_2})`)})`,
    grad: (dy, x) =>
      dy.mul(
        x
          .mul(SQRT1_2)
          .erf()
          .add(1)
          .mul(0.5)
          .add(x.mul(x.square().mul(-0.5).exp()).mul(INV_SQRT_2PI)),
      ),
  },
  geluTanh: {
    dtype: 'float',
    cpu: (x) => 0.5 * x * (1 + Math.tanh(0.7978845608028654 * (x + 0.044715 * x ** 3))),
    wgsl: (x) =>
      `0.5 * ${x} * (1.0 + tanh(clamp(0.7978845608028654 * (${x} + 0.044715 * ${x} * ${x} * ${x}), -15.0, 15.0)))`,
    grad: (dy, x) => {
      const inner = x.add(x.pow(3).mul(0.044715)).mul(0.7978845608028654);
      const th = inner.tanh();
      const dInner = x
        .square()
        .mul(3 * 0.044715)
        .add(1)
        .mul(0.7978845608028654);
      return dy.mul(
        th
          .add(1)
          .mul(0.5)
          .add(x.mul(0.5).mul(th.square().neg().add(1)).mul(dInner)),
      );
    },
  },
  floor: { dtype: 'float', cpu: Math.floor, wgsl: (x) => `floor(${x})`, grad: zeroGrad },
  ceil: { dtype: 'float', cpu: Math.ceil, wgsl: (x) => `ceil(${x})`, grad: zeroGrad },
  round: { dtype: 'float', cpu: roundHalfEven, wgsl: (x) => `round(${x})`, grad: zeroGrad },
  logicalNot: {
    dtype: 'logical',
    cpu: (x) => Number(x === 0),
    wgsl: (x, t) => `select(${t}(0), ${t}(1), ${x} == ${t}(0))`,
    grad: 'none',
  },
} satisfies Record<string, UnaryDef>;

/**
 * Names of the unary primitives without attributes.
 * ```ts
 * const op: UnaryName = 'sqrt';
 * runPrimitive(op, [tensor([4, 9])], {}); // [tensor [2, 3]]
 * ```
 */
export type UnaryName = keyof typeof UNARY;

/** The unary primitives with attributes (their kernels are keyed by the attribute values). */
export const PARAM_UNARY = {
  leakyRelu: {
    dtype: 'float',
    cpu: (v, { alpha }) => (v > 0 ? v : alpha * v),
    wgsl: (v, _t, { alpha }) => `select(${alpha} * ${v}, ${v}, ${v} > 0.0)`,
    grad: (dy, x, _y, { alpha }) => where(x.greater(0), dy, dy.mul(alpha)),
  } satisfies UnaryDef<{ alpha: number }>,
  elu: {
    dtype: 'float',
    cpu: (v, { alpha }) => (v > 0 ? v : alpha * Math.expm1(v)),
    wgsl: (v, _t, { alpha }) => `select(${alpha} * (exp(${v}) - 1.0), ${v}, ${v} > 0.0)`,
    grad: (dy, x, y, { alpha }) => where(x.greater(0), dy, dy.mul(y.add(alpha))),
  } satisfies UnaryDef<{ alpha: number }>,
  clipByValue: {
    dtype: 'same',
    cpu: (v, { min, max }) => (Number.isNaN(v) ? v : Math.min(Math.max(v, min), max)),
    wgsl: (v, t, { min, max }) => `clamp(${v}, ${t}(${min}), ${t}(${max}))`,
    grad: (dy, x, _y, { min, max }) =>
      dy.mul(x.greaterEqual(min).logicalAnd(x.lessEqual(max)).cast('float32')),
  } satisfies UnaryDef<{ min: number; max: number }>,
};
