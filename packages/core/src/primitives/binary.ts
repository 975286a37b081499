// The binary elementwise primitives: dtype rule, float64 reference, WGSL expression and gradient.
import type { Tensor } from '../tensor.js';
import { where } from '../ops/elementwise.js';
import { INF_W, NAN_W, infW, nanW, type DtypeRule } from './unary.js';

type T = Tensor;

/** A binary primitive; `grad` gives the gradients for a and b before they are summed to their shapes. */
export interface BinaryDef {
  dtype: DtypeRule;
  cpu: (a: number, b: number) => number;
  wgsl: (a: string, b: string, t: 'f32' | 'i32') => string;
  grad: ((dy: T, a: T, b: T, y: T) => [T | null, T | null]) | 'none';
  /** See ElementwiseKernel.handlesNaN. */
  handlesNaN?: true;
}

/** Comparisons are false with a NaN operand, except != which is true (bit tests: WGSL may assume no NaN). */
const cmp = (op: string) => (a: string, b: string, t: string) => {
  if (t !== 'f32') return `select(${t}(0), ${t}(1), ${a} ${op} ${b})`;
  // Non-short-circuit | and & (&& and || compile to control flow, slow to compile on SwiftShader).
  const nan = `${nanW(a)} | ${nanW(b)}`;
  return op === '!='
    ? `select(0.0, 1.0, (${a} != ${b}) | ${nan})`
    : `select(0.0, 1.0, (${a} ${op} ${b}) & !(${nan}))`;
};

/**
 * IEEE 754 pow (as C and NumPy): pow(x, ±0) = 1 and pow(1, y) = 1 even for NaN, pow(-1, ±inf) = 1;
 * otherwise NaN in, NaN out; ±0 and ±inf bases and ±inf exponents by their limits; a negative base
 * takes the exponent's parity (the sign bit decides, so pow(-0, -1) = -inf); a finite negative base
 * with a finite non-integer exponent is NaN. WGSL pow (exp2(b·log2(a))) covers only a > 0.
 */
function powWgsl(a: string, b: string): string {
  // Non-short-circuit & and | keep the expression branch-free (&& and || compile to control flow).
  const and = (...c: string[]) => c.map((x) => `(${x})`).join(' & ');
  const or = (...c: string[]) => c.map((x) => `(${x})`).join(' | ');
  const ax = `abs(${a})`;
  const m0 = `pow(${ax}, ${b})`;
  const m1 = `select(${m0}, select(0.0, ${INF_W}, ${b} < 0.0), ${a} == 0.0)`;
  const m2 = `select(${m1}, select(0.0, ${INF_W}, ${b} > 0.0), ${infW(a)})`;
  const m3 = `select(${m2}, select(select(0.0, ${INF_W}, (${ax} > 1.0) == (${b} > 0.0)), 1.0, ${ax} == 1.0), ${infW(b)})`;
  const odd = and(`!${infW(b)}`, `round(${b}) == ${b}`, `fract(${b} * 0.5) != 0.0`);
  const neg = `(bitcast<u32>(${a}) & 0x80000000u) != 0u`;
  const signed = `${m3} * select(1.0, -1.0, ${and(neg, odd)})`;
  const bad = or(and(`${a} < 0.0`, `!${infW(a)}`, `!${infW(b)}`, `round(${b}) != ${b}`), nanW(a), nanW(b));
  const one = or(`${a} == 1.0`, `${b} == 0.0`, and(`${a} == -1.0`, infW(b)));
  return `select(select(${signed}, ${NAN_W}, ${bad}), 1.0, ${one})`;
}

/** The binary primitives. */
export const BINARY = {
  add: { dtype: 'same', cpu: (a, b) => a + b, wgsl: (a, b) => `${a} + ${b}`, grad: (dy) => [dy, dy] },
  sub: { dtype: 'same', cpu: (a, b) => a - b, wgsl: (a, b) => `${a} - ${b}`, grad: (dy) => [dy, dy.neg()] },
  mul: {
    dtype: 'same',
    cpu: (a, b) => a * b,
    wgsl: (a, b) => `${a} * ${b}`,
    grad: (dy, a, b) => [dy.mul(b), dy.mul(a)],
  },
  div: {
    dtype: 'float',
    cpu: (a, b) => a / b,
    wgsl: (a, b) => `${a} / ${b}`,
    grad: (dy, a, b) => [dy.div(b), dy.mul(a).div(b.square()).neg()],
  },
  pow: {
    dtype: 'float',
    // IEEE 754 (and C, NumPy, TF): pow(1, y) = 1 even for NaN y, pow(-1, ±inf) = 1; Math.pow gives NaN.
    cpu: (a, b) => (a === 1 || (a === -1 && Math.abs(b) === Infinity) ? 1 : Math.pow(a, b)),
    wgsl: powWgsl,
    handlesNaN: true,
    // Safe operands where a = 0: b·a^(b-1) takes exponent 1 where b is 0 too (the term is 0 there,
    // not 0·∞ = NaN), and log gets base 1 where a <= 0 (unselected, but its gradient would be 0/0),
    // so first and higher derivatives stay finite at a = 0.
    grad: (dy, a, b, y) => {
      const pos = a.greater(0);
      const safeB = where(b.equal(0).logicalAnd(a.equal(0)), 1, b);
      return [dy.mul(b).mul(a.pow(safeB.sub(1))), dy.mul(y).mul(where(pos, where(pos, a, 1).log(), 0))];
    },
  },
  maximum: {
    dtype: 'same',
    cpu: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.max(a, b)),
    wgsl: (a, b) => `max(${a}, ${b})`,
    grad: (dy, a, b) => [dy.mul(a.greaterEqual(b).cast('float32')), dy.mul(a.less(b).cast('float32'))],
  },
  minimum: {
    dtype: 'same',
    cpu: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.min(a, b)),
    wgsl: (a, b) => `min(${a}, ${b})`,
    grad: (dy, a, b) => [dy.mul(a.lessEqual(b).cast('float32')), dy.mul(a.greater(b).cast('float32'))],
  },
  equal: { dtype: 'bool', cpu: (a, b) => Number(a === b), wgsl: cmp('=='), grad: 'none' },
  notEqual: { dtype: 'bool', cpu: (a, b) => Number(a !== b), wgsl: cmp('!='), grad: 'none' },
  greater: { dtype: 'bool', cpu: (a, b) => Number(a > b), wgsl: cmp('>'), grad: 'none' },
  greaterEqual: { dtype: 'bool', cpu: (a, b) => Number(a >= b), wgsl: cmp('>='), grad: 'none' },
  less: { dtype: 'bool', cpu: (a, b) => Number(a < b), wgsl: cmp('<'), grad: 'none' },
  lessEqual: { dtype: 'bool', cpu: (a, b) => Number(a <= b), wgsl: cmp('<='), grad: 'none' },
  logicalAnd: {
    dtype: 'logical',
    cpu: (a, b) => Number(a !== 0 && b !== 0),
    wgsl: (a, b, t) => `select(${t}(0), ${t}(1), ${a} != ${t}(0) && ${b} != ${t}(0))`,
    grad: 'none',
  },
  logicalOr: {
    dtype: 'logical',
    cpu: (a, b) => Number(a !== 0 || b !== 0),
    wgsl: (a, b, t) => `select(${t}(0), ${t}(1), ${a} != ${t}(0) || ${b} != ${t}(0))`,
    grad: 'none',
  },
} satisfies Record<string, BinaryDef>;

/**
 * Names of the binary primitives.
 * ```ts
 * const op: BinaryName = 'maximum';
 * listPrimitives().find((p) => p.name === op)?.kind; // 'elementwise'
 * ```
 */
export type BinaryName = keyof typeof BINARY;
