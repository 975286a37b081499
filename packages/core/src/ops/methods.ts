// The chainable Tensor methods, generated from one table of op functions: `x.add(1)` is
// `add(x, 1)`. Installed on Tensor.prototype by the package entry (tensor.ts imports no op).
import { Tensor } from '../tensor.js';
import * as conv from './conv.js';
import * as ew from './elementwise.js';
import * as mm from './matmul.js';
import * as nn from './nn.js';
import * as red from './reduce.js';
import * as sh from './shape-ops.js';

const METHODS = {
  add: ew.add,
  sub: ew.sub,
  mul: ew.mul,
  div: ew.div,
  pow: ew.pow,
  maximum: ew.maximum,
  minimum: ew.minimum,
  equal: ew.equal,
  notEqual: ew.notEqual,
  greater: ew.greater,
  greaterEqual: ew.greaterEqual,
  less: ew.less,
  lessEqual: ew.lessEqual,
  logicalAnd: ew.logicalAnd,
  logicalOr: ew.logicalOr,
  logicalNot: ew.logicalNot,
  neg: ew.neg,
  abs: ew.abs,
  sign: ew.sign,
  exp: ew.exp,
  log: ew.log,
  log1p: ew.log1p,
  sqrt: ew.sqrt,
  rsqrt: ew.rsqrt,
  square: ew.square,
  reciprocal: ew.reciprocal,
  sin: ew.sin,
  cos: ew.cos,
  tanh: ew.tanh,
  sigmoid: ew.sigmoid,
  relu: ew.relu,
  relu6: ew.relu6,
  leakyRelu: ew.leakyRelu,
  elu: ew.elu,
  selu: ew.selu,
  gelu: ew.gelu,
  softplus: ew.softplus,
  softsign: ew.softsign,
  silu: ew.silu,
  erf: ew.erf,
  floor: ew.floor,
  ceil: ew.ceil,
  round: ew.round,
  clipByValue: ew.clipByValue,
  cast: ew.cast,
  sum: red.sum,
  mean: red.mean,
  max: red.max,
  min: red.min,
  prod: red.prod,
  argMax: red.argMax,
  argMin: red.argMin,
  logSumExp: red.logSumExp,
  moments: red.moments,
  reshape: sh.reshape,
  transpose: sh.transpose,
  expandDims: sh.expandDims,
  squeeze: sh.squeeze,
  flatten: sh.flatten,
  split: sh.split,
  slice: sh.slice,
  gather: sh.gather,
  pad: sh.pad,
  tile: sh.tile,
  broadcastTo: sh.broadcastTo,
  matmul: mm.matmul,
  dot: mm.dot,
  conv1d: conv.conv1d,
  conv2d: conv.conv2d,
  conv2dTranspose: conv.conv2dTranspose,
  depthwiseConv2d: conv.depthwiseConv2d,
  maxPool: conv.maxPool,
  avgPool: conv.avgPool,
  softmax: nn.softmax,
  logSoftmax: nn.logSoftmax,
  dropout: nn.dropout,
};

/** An op function as a method: the tensor is `this`. */
type Method<F> = F extends (x: Tensor, ...args: infer A) => infer R ? (...args: A) => R : never;

/**
 * The chainable methods of Tensor, one per op of the table.
 *
 * ```ts
 * const m: keyof TensorMethods = 'matmul';
 * x[m](y); // x.matmul(y)
 * ```
 */
export type TensorMethods = { [K in keyof typeof METHODS]: Method<(typeof METHODS)[K]> };

declare module '../tensor.js' {
  // Declaration merging gives the class the generated methods' types.
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface Tensor extends TensorMethods {}
}

/** Installs the methods on Tensor.prototype (called once by the package entry). */
export function installTensorMethods(): void {
  for (const [name, f] of Object.entries(METHODS) as [string, (x: Tensor, ...a: unknown[]) => unknown][]) {
    Object.defineProperty(Tensor.prototype, name, {
      value: function (this: Tensor, ...args: unknown[]) {
        return f(this, ...args);
      },
      writable: true,
      configurable: true,
    });
  }
}
