// Reductions over any axes (sum, mean, max, min, prod, argMax, argMin, logSumExp, moments).
import type { ReduceOp } from '../backend.js';
import { ENGINE } from '../engine.js';
import { fmtShape, normAxes, normAxis, reducedShape, sizeOf } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { cast, where } from './elementwise.js';
import { reshape, transpose } from './shape-ops.js';
import { runPrimitive } from '../primitives/registry.js';
import { stopGradient } from './stop-gradient.js';

type Axis = number | readonly number[];

/**
 * A float sum over leading axes (a bias gradient: dy [batch, n] summed over the batch) as one matmul,
 * ones [1, R] x x [R, K], instead of a transpose kernel followed by a reduction kernel.
 */
function sumLeading(x: Tensor, axes: number[], keepDims: boolean): Tensor {
  const rows = sizeOf(x.shape.slice(0, axes.length));
  const ones = ENGINE.upload(new Float32Array(rows).fill(1), [1, rows], 'float32');
  const x2 = reshape(x, [rows, x.size / rows]);
  const y = runPrimitive('matmul', [ones, x2], { transposeA: false, transposeB: false })[0];
  for (const t of [ones, x2]) t.dispose();
  const out = reshape(y, reducedShape(x.shape, axes, keepDims));
  y.dispose();
  return out;
}

/** Runs a reduction primitive over `axes` (moving them innermost first when needed). */
function reduceOver(op: ReduceOp, x: Tensor, axes: number[], keepDims: boolean): Tensor {
  const leading = axes.length > 0 && axes.length < x.rank && axes.every((a, i) => a === i);
  if (op === 'sum' && leading && x.dtype === 'float32' && x.size > 0) return sumLeading(x, axes, keepDims);
  const kept = x.shape.map((_, i) => i).filter((i) => !axes.includes(i));
  const perm = [...kept, ...axes];
  const needsTranspose = perm.some((p, i) => p !== i);
  const xt = needsTranspose ? transpose(x, perm) : x;
  const outShape = reducedShape(x.shape, axes, keepDims);
  const y = runPrimitive(op, [xt], { inner: axes.length, outShape })[0];
  if (needsTranspose) xt.dispose();
  return y;
}

/**
 * Sum over axes (all by default). `sum(x, 1)`, `sum(x, [0, 1], true)`
 *
 * ```ts
 * sum(tensor([[1, 2], [3, 4]]), 1); // [3, 7]
 * ```
 */
export function sum(x: Tensor, axis?: Axis, keepDims = false): Tensor {
  const axes = normAxes('sum', axis, x.rank);
  const xx = x.dtype === 'bool' ? cast(x, 'int32') : x;
  const y = reduceOver('sum', xx, axes, keepDims);
  if (xx !== x) xx.dispose();
  return y;
}

/**
 * Product over axes.
 *
 * ```ts
 * prod(tensor([[1, 2], [3, 4]]), 0); // [3, 8]
 * ```
 */
export function prod(x: Tensor, axis?: Axis, keepDims = false): Tensor {
  const axes = normAxes('prod', axis, x.rank);
  const xx = x.dtype === 'bool' ? cast(x, 'int32') : x;
  const y = reduceOver('prod', xx, axes, keepDims);
  if (xx !== x) xx.dispose();
  return y;
}

/**
 * Maximum over axes.
 *
 * ```ts
 * max(tensor([[1, 5], [3, 4]]), -1); // [5, 4]
 * ```
 */
export function max(x: Tensor, axis?: Axis, keepDims = false): Tensor {
  const axes = normAxes('max', axis, x.rank);
  if (axes.some((a) => x.shape[a] === 0))
    throw new Error(`max: cannot reduce an empty axis of ${fmtShape(x.shape)}`);
  return reduceOver('max', x, axes, keepDims);
}

/**
 * Minimum over axes.
 *
 * ```ts
 * min(tensor([[1, 5], [3, 4]])); // 1
 * ```
 */
export function min(x: Tensor, axis?: Axis, keepDims = false): Tensor {
  const axes = normAxes('min', axis, x.rank);
  if (axes.some((a) => x.shape[a] === 0))
    throw new Error(`min: cannot reduce an empty axis of ${fmtShape(x.shape)}`);
  return reduceOver('min', x, axes, keepDims);
}

function argReduce(name: 'argMax' | 'argMin', x: Tensor, axis: number): Tensor {
  const ax = normAxis(name, axis, x.rank);
  if (x.rank === 0) throw new Error(`${name}: needs a tensor of rank >= 1, got a scalar`);
  if (x.shape[ax] === 0) throw new Error(`${name}: axis ${axis} of ${fmtShape(x.shape)} is empty`);
  return reduceOver(name, x, [ax], false);
}

/**
 * Index (int32) of the maximum along an axis (default 0, as TensorFlow.js).
 *
 * ```ts
 * argMax(tensor([[1, 5], [3, 4]]), 1); // int32 [1, 1]
 * ```
 */
export function argMax(x: Tensor, axis = 0): Tensor {
  return argReduce('argMax', x, axis);
}

/**
 * Index (int32) of the minimum along an axis (default 0).
 *
 * ```ts
 * argMin(tensor([[1, 5], [3, 4]]), 1); // int32 [0, 0]
 * ```
 */
export function argMin(x: Tensor, axis = 0): Tensor {
  return argReduce('argMin', x, axis);
}

/**
 * Mean over axes.
 *
 * ```ts
 * mean(tensor([[1, 2], [3, 4]]), 0); // [2, 3]
 * ```
 */
export function mean(x: Tensor, axis?: Axis, keepDims = false): Tensor {
  const axes = normAxes('mean', axis, x.rank);
  const n = sizeOf(axes.map((a) => x.shape[a]));
  const xf = x.dtype === 'float32' ? x : cast(x, 'float32');
  const s = sum(xf, axes, keepDims);
  const y = s.div(n);
  s.dispose();
  if (xf !== x) xf.dispose();
  return y;
}

/**
 * log(sum(exp(x))) over axes, computed stably.
 *
 * ```ts
 * logSumExp(tensor([1000, 1000])); // 1000 + log 2, no overflow
 * ```
 */
export function logSumExp(x: Tensor, axis?: Axis, keepDims = false): Tensor {
  const axes = normAxes('logSumExp', axis, x.rank);
  // Over an empty axis the sum of exponentials is 0, so the result is log 0 = -inf (as TensorFlow).
  if (axes.some((a) => x.shape[a] === 0)) return ENGINE.tidy(() => sum(x, axes, keepDims).log());
  return ENGINE.tidy(() => {
    const m = stopGradient(max(x, axes, true));
    const safeM = where(m.abs().less(Infinity), m, 0);
    const lse = x.sub(safeM).exp().sum(axes, true).log().add(safeM);
    return keepDims ? lse : reshape(lse, reducedShape(x.shape, axes, false));
  });
}

/**
 * Mean and variance over axes. `const { mean, variance } = moments(x, 0)`
 *
 * ```ts
 * const { mean: m, variance } = moments(tensor([1, 2, 3, 4])); // 2.5 and 1.25
 * ```
 */
export function moments(x: Tensor, axis?: Axis, keepDims = false): { mean: Tensor; variance: Tensor } {
  const axes = normAxes('moments', axis, x.rank);
  return ENGINE.tidy(() => {
    const m = mean(x, axes, true);
    const variance = x.sub(m).square().mean(axes, keepDims);
    return { mean: keepDims ? m : reshape(m, reducedShape(x.shape, axes, false)), variance };
  });
}
