// Gradient-check cases for elementwise ops, reductions and softmax-like composites (with broadcasting).
import * as dl from '@webdl/core';
import type { Tensor } from '@webdl/core';
import { positive, type GradCase, type InputSpec } from './gradcheck.js';
import * as R from './ref64.js';

type U = (u: () => number) => number;
const spec = (shape: number[], gen: U): InputSpec => ({ shape, gen });
/** ±[lo, hi): away from 0. */
const away =
  (lo: number, hi: number): U =>
  (u) =>
    (u() < 0.5 ? -1 : 1) * (lo + (hi - lo) * u());
/** Uniform in [lo, hi). */
const within =
  (lo: number, hi: number): U =>
  (u) =>
    lo + (hi - lo) * u();
/** Values that are at least 0.05 from any multiple of 0.5 (kinks of floor/ceil/round). */
const offGrid: U = (u) => Math.floor(u() * 8 - 4) / 2 + 0.05 + 0.4 * u();
/** Integers in [-3, 3]. */
const ints = (n: number) => Array.from({ length: n }, (_, i) => (i % 7) - 3);

const SELU_A = 1.6732632423543772;
const SELU_S = 1.0507009873554805;
const sig = (x: number) => 1 / (1 + Math.exp(-x));
const erf = (x: number) => {
  // Float64 erf by its Taylor series (|x| < 3 here), independent of core's implementation.
  let term = x;
  let total = x;
  for (let n = 1; n < 100; n++) {
    term *= (-x * x) / n;
    total += term / (2 * n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * total;
};

function unary(
  name: string,
  f: (x: Tensor) => Tensor,
  ref: (v: number) => number,
  gen?: U,
  shape = [2, 3],
): GradCase {
  return { name, inputs: [gen ? spec(shape, gen) : shape], f, ref: (x) => R.map(x, ref) };
}

function binary(
  name: string,
  f: (a: Tensor, b: Tensor) => Tensor,
  ref: (a: number, b: number) => number,
  a: number[] | InputSpec,
  b: number[] | InputSpec,
): GradCase {
  return { name, inputs: [a, b], f, ref: (x, y) => R.zip([x, y], ref) };
}

export const elementwiseCases: GradCase[] = [
  binary('add [2,3]+[3]', dl.add, (a, b) => a + b, [2, 3], [3]),
  binary('sub [2,1,3]-[4,1]', dl.sub, (a, b) => a - b, [2, 1, 3], [4, 1]),
  binary('mul [3,1]*[1,4]', dl.mul, (a, b) => a * b, [3, 1], [1, 4]),
  binary('mul scalar*[2,3]', dl.mul, (a, b) => a * b, [], [2, 3]),
  binary('div [2,3]/[2,1]', dl.div, (a, b) => a / b, [2, 3], spec([2, 1], away(0.5, 2))),
  binary('pow positive base [2,3]^[3]', dl.pow, Math.pow, spec([2, 3], positive), spec([3], within(-2, 2))),
  {
    name: 'pow negative base, integer exponents',
    inputs: [spec([7], away(0.3, 2))],
    f: (a) => dl.pow(a, dl.tensor(ints(7))),
    ref: (a) => R.zip([a, R.arr([7], ints(7))], Math.pow),
  },
  {
    name: 'pow base 0, exponents 2..4',
    inputs: [spec([3], () => 0)],
    f: (a) => dl.pow(a, dl.tensor([2, 3, 4])),
    ref: (a) => R.zip([a, R.arr([3], [2, 3, 4])], Math.pow),
  },
  {
    name: 'pow base 0, exponents 0 and 1',
    inputs: [spec([2], () => 0)],
    f: (a) => dl.pow(a, dl.tensor([0, 1])),
    ref: (a) => R.zip([a, R.arr([2], [0, 1])], Math.pow),
  },
  {
    // Second order would perturb the exponent off the integers, where a negative base has no real power.
    name: 'pow base 0, exponent (2 or 3) watched too',
    inputs: [spec([4], () => 0), spec([4], (u) => 2 + Math.floor(u() * 2))],
    f: dl.pow,
    ref: (a, b) => R.zip([a, b], Math.pow),
    tol2: false,
  },
  binary('maximum [2,3],[3]', dl.maximum, Math.max, [2, 3], [3]),
  binary('minimum [2,3],[2,1]', dl.minimum, Math.min, [2, 3], [2, 1]),
  unary('neg', dl.neg, (x) => -x),
  unary('abs', dl.abs, Math.abs),
  unary('sign', dl.sign, Math.sign),
  unary('exp', dl.exp, Math.exp),
  unary('log', dl.log, Math.log, positive),
  unary('log1p', dl.log1p, Math.log1p, within(-0.8, 2)),
  unary('sqrt', dl.sqrt, Math.sqrt, positive),
  unary('rsqrt', dl.rsqrt, (x) => 1 / Math.sqrt(x), positive),
  unary('square', dl.square, (x) => x * x),
  unary('reciprocal', dl.reciprocal, (x) => 1 / x, away(0.5, 2)),
  unary('sin', dl.sin, Math.sin),
  unary('cos', dl.cos, Math.cos),
  unary('tanh', dl.tanh, Math.tanh),
  unary('sigmoid', dl.sigmoid, sig),
  unary('relu', dl.relu, (x) => Math.max(x, 0)),
  unary(
    'relu6',
    dl.relu6,
    (x) => Math.min(Math.max(x, 0), 6),
    (u) => [-1, 0.5, 3, 7][Math.floor(u() * 4)] + 0.4 * u(),
  ),
  unary(
    'leakyRelu(0.2)',
    (x) => dl.leakyRelu(x),
    (x) => (x > 0 ? x : 0.2 * x),
  ),
  unary(
    'leakyRelu(0.05)',
    (x) => dl.leakyRelu(x, 0.05),
    (x) => (x > 0 ? x : 0.05 * x),
  ),
  unary(
    'elu',
    (x) => dl.elu(x),
    (x) => (x > 0 ? x : Math.expm1(x)),
  ),
  unary(
    'elu(0.5)',
    (x) => dl.elu(x, 0.5),
    (x) => (x > 0 ? x : 0.5 * Math.expm1(x)),
  ),
  unary('selu', dl.selu, (x) => SELU_S * (x > 0 ? x : SELU_A * Math.expm1(x))),
  unary(
    'gelu (erf)',
    (x) => dl.gelu(x),
    (x) => 0.5 * x * (1 + erf(x / Math.SQRT2)),
    within(-2.9, 2.9),
  ),
  unary(
    'gelu (tanh)',
    (x) => dl.gelu(x, true),
    (x) => 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3))),
  ),
  unary('softplus', dl.softplus, (x) => Math.log1p(Math.exp(x))),
  unary('softsign', dl.softsign, (x) => x / (1 + Math.abs(x))),
  unary('silu', dl.silu, (x) => x * sig(x)),
  unary('erf', dl.erf, erf, within(-2.5, 2.5)),
  unary('floor', dl.floor, Math.floor, offGrid),
  unary('ceil', dl.ceil, Math.ceil, offGrid),
  unary('round', dl.round, Math.round, offGrid),
  unary(
    'cast float32',
    (x) => dl.cast(x, 'float32'),
    (x) => x,
  ),
  unary(
    'clipByValue(-1, 1)',
    (x) => dl.clipByValue(x, -1, 1),
    (x) => Math.min(Math.max(x, -1), 1),
    (u) => [-1.5, -0.5, 0.5, 1.5][Math.floor(u() * 4)] + 0.4 * (u() - 0.5),
  ),
  {
    name: 'where(cond [2,3], a [2,3], b [3])',
    inputs: [[2, 3], [3]],
    f: (a, b) =>
      dl.where(
        dl.tensor([
          [true, false, true],
          [false, false, true],
        ]),
        a,
        b,
      ),
    ref: (a, b) => R.zip([R.arr([2, 3], [1, 0, 1, 0, 0, 1]), a, b], (c, x, y) => (c ? x : y)),
  },
  {
    name: 'where(cond [3], a [2,1], scalar b)',
    inputs: [[2, 1], []],
    f: (a, b) => dl.where(dl.tensor([true, false, true]), a, b),
    ref: (a, b) => R.zip([R.arr([3], [1, 0, 1]), a, b], (c, x, y) => (c ? x : y)),
  },
];

export const reductionCases: GradCase[] = [
  { name: 'sum all', inputs: [[2, 3, 4]], f: (x) => dl.sum(x), ref: (x) => R.sum(x) },
  { name: 'sum axis 1', inputs: [[2, 3, 4]], f: (x) => dl.sum(x, 1), ref: (x) => R.sum(x, [1]) },
  {
    name: 'sum [0,2] keepDims',
    inputs: [[2, 3, 4]],
    f: (x) => dl.sum(x, [0, 2], true),
    ref: (x) => R.sum(x, [0, 2], true),
  },
  { name: 'mean [0,2]', inputs: [[2, 3, 4]], f: (x) => dl.mean(x, [0, 2]), ref: (x) => R.mean(x, [0, 2]) },
  { name: 'mean all', inputs: [[3, 4]], f: (x) => dl.mean(x), ref: (x) => R.mean(x) },
  {
    name: 'max axis 1',
    inputs: [[2, 3, 4]],
    f: (x) => dl.max(x, 1),
    ref: (x) => R.reduce(x, [1], false, 'max'),
  },
  {
    name: 'max all',
    inputs: [[3, 4]],
    f: (x) => dl.max(x),
    ref: (x) => R.reduce(x, undefined, false, 'max'),
  },
  {
    name: 'min [0,2] keepDims',
    inputs: [[2, 3, 4]],
    f: (x) => dl.min(x, [0, 2], true),
    ref: (x) => R.reduce(x, [0, 2], true, 'min'),
  },
  {
    name: 'prod axis 1',
    inputs: [spec([2, 3, 2], away(0.5, 1.5))],
    f: (x) => dl.prod(x, 1),
    ref: (x) => R.reduce(x, [1], false, 'prod'),
  },
  {
    name: 'prod all',
    inputs: [spec([2, 3], away(0.5, 1.5))],
    f: (x) => dl.prod(x),
    ref: (x) => R.reduce(x, undefined, false, 'prod'),
  },
  {
    name: 'logSumExp axis 1',
    inputs: [[2, 3, 4]],
    f: (x) => dl.logSumExp(x, 1),
    ref: (x) => R.logSumExp(x, [1]),
  },
  {
    name: 'logSumExp all keepDims',
    inputs: [[3, 4]],
    f: (x) => dl.logSumExp(x, undefined, true),
    ref: (x) => R.logSumExp(x, undefined, true),
  },
  {
    name: 'moments [0,1] (mean, variance)',
    inputs: [[3, 2, 4]],
    f: (x) => {
      const m = dl.moments(x, [0, 1]);
      return [m.mean, m.variance];
    },
    ref: (x) => {
      const m = R.moments(x, [0, 1]);
      return [m.mean, m.variance];
    },
  },
  {
    name: 'moments axis -1 keepDims',
    inputs: [[3, 5]],
    f: (x) => dl.moments(x, -1, true).variance,
    ref: (x) => R.moments(x, [1], true).variance,
  },
  { name: 'softmax axis -1', inputs: [[3, 5]], f: (x) => dl.softmax(x), ref: (x) => R.softmax(x, 1) },
  { name: 'softmax axis 0', inputs: [[3, 2, 2]], f: (x) => dl.softmax(x, 0), ref: (x) => R.softmax(x, 0) },
  {
    name: 'logSoftmax axis -1',
    inputs: [[3, 5]],
    f: (x) => dl.logSoftmax(x),
    ref: (x) => R.logSoftmax(x, 1),
  },
  {
    name: 'logSoftmax axis 1 of 3-d',
    inputs: [[2, 4, 3]],
    f: (x) => dl.logSoftmax(x, 1),
    ref: (x) => R.logSoftmax(x, 1),
  },
  {
    name: 'dropout(0.4, seed 7)',
    inputs: [[4, 5]],
    f: (x) => dl.dropout(x, 0.4, { seed: 7 }),
    ref: (x) => ({
      shape: x.shape,
      data: x.data.map((v, i) => (Math.fround(dl.uniformAt(7, i)) >= 0.4 ? v / 0.6 : 0)),
    }),
  },
];
