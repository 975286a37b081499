// Reductions over any axes (sum, mean, max, min, prod, argMax, argMin, logSumExp, moments).
import type { ReduceOp } from '../backend.js';
import { ENGINE } from '../engine.js';
import { fmtShape, normAxes, normAxis, reducedShape, sizeOf } from '../shape.js';
import type { Tensor } from '../tensor.js';
import type { DType } from '../types.js';
import { cast, equal, where } from './elementwise.js';
import { broadcastTo, reshape, transpose } from './shape-ops.js';
import { stopGradient } from './stop-gradient.js';

type Axis = number | readonly number[];

/** Runs a backend reduction over `axes` (moving them innermost first when needed). */
function reduceOver(
  name: string,
  op: ReduceOp,
  x: Tensor,
  axes: number[],
  outDtype: DType,
  keepDims: boolean,
): Tensor {
  const kept = x.shape.map((_, i) => i).filter((i) => !axes.includes(i));
  const perm = [...kept, ...axes];
  const needsTranspose = perm.some((p, i) => p !== i);
  const xt = needsTranspose ? transpose(x, perm) : x;
  const outer = sizeOf(kept.map((i) => x.shape[i]));
  const inner = sizeOf(axes.map((i) => x.shape[i]));
  const outShape = reducedShape(x.shape, axes, keepDims);
  const y = ENGINE.run(
    name,
    [xt],
    (b, [xi]) => [{ dataId: b.reduce(op, xi, outer, inner, outDtype), shape: outShape, dtype: outDtype }],
    op === 'sum' || op === 'max' || op === 'min' || op === 'prod'
      ? gradOf(op, x.shape, perm, axes)
      : undefined,
  )[0];
  if (needsTranspose) xt.dispose();
  return y;
}

/** Gradient of a reduction, given the (transposed) input it ran on. */
function gradOf(op: ReduceOp, shape: readonly number[], perm: number[], axes: number[]) {
  const transposedShape = perm.map((p) => shape[p]);
  const transposedKeep = perm.map((p, i) => (axes.includes(p) ? 1 : transposedShape[i]));
  return ([dy]: Tensor[], s: { inputs: Tensor[]; outputs: Tensor[] }): Tensor[] => {
    // The op saw x transposed so that reduced axes are innermost; work in that layout.
    const xt = s.inputs[0];
    const dyk = reshape(dy, transposedKeep);
    if (op === 'sum') return [broadcastTo(dyk, transposedShape)];
    const yk = reshape(s.outputs[0], transposedKeep);
    const innerAxes = axes.map((_, i) => perm.length - axes.length + i);
    if (op === 'prod') {
      // The product of the others, y/x, also where x has zeros: there it is the product of the
      // non-zeros if x holds that axis's only zero, else 0.
      const isZero = equal(xt, 0);
      const safe = where(isZero, 1, xt);
      const single = cast(equal(cast(isZero, 'float32').sum(innerAxes, true), 1), 'float32');
      return [dyk.mul(where(isZero, safe.prod(innerAxes, true).mul(single), yk.div(safe)))];
    }
    const mask = cast(equal(xt, yk), 'float32');
    // Ties share the gradient equally, as TensorFlow does.
    const count = mask.sum(innerAxes, true);
    return [dyk.mul(mask).div(count)];
  };
}

function dtypeForSum(x: Tensor): DType {
  return x.dtype === 'float32' ? 'float32' : 'int32';
}

/** Sum over axes (all by default). `sum(x, 1)`, `sum(x, [0, 1], true)` */
export function sum(x: Tensor, axis?: Axis, keepDims = false): Tensor {
  const axes = normAxes('sum', axis, x.rank);
  const xx = x.dtype === 'bool' ? cast(x, 'int32') : x;
  const y = reduceOver('sum', 'sum', xx, axes, dtypeForSum(x), keepDims);
  if (xx !== x) xx.dispose();
  return y;
}

/** Product over axes. */
export function prod(x: Tensor, axis?: Axis, keepDims = false): Tensor {
  const axes = normAxes('prod', axis, x.rank);
  const xx = x.dtype === 'bool' ? cast(x, 'int32') : x;
  const y = reduceOver('prod', 'prod', xx, axes, dtypeForSum(x), keepDims);
  if (xx !== x) xx.dispose();
  return y;
}

/** Maximum over axes. */
export function max(x: Tensor, axis?: Axis, keepDims = false): Tensor {
  const axes = normAxes('max', axis, x.rank);
  if (axes.some((a) => x.shape[a] === 0))
    throw new Error(`max: cannot reduce an empty axis of ${fmtShape(x.shape)}`);
  return reduceOver('max', 'max', x, axes, x.dtype, keepDims);
}

/** Minimum over axes. */
export function min(x: Tensor, axis?: Axis, keepDims = false): Tensor {
  const axes = normAxes('min', axis, x.rank);
  if (axes.some((a) => x.shape[a] === 0))
    throw new Error(`min: cannot reduce an empty axis of ${fmtShape(x.shape)}`);
  return reduceOver('min', 'min', x, axes, x.dtype, keepDims);
}

function argReduce(name: 'argMax' | 'argMin', x: Tensor, axis: number): Tensor {
  const ax = normAxis(name, axis, x.rank);
  if (x.rank === 0) throw new Error(`${name}: needs a tensor of rank >= 1, got a scalar`);
  if (x.shape[ax] === 0) throw new Error(`${name}: axis ${axis} of ${fmtShape(x.shape)} is empty`);
  return reduceOver(name, name, x, [ax], 'int32', false);
}

/** Index (int32) of the maximum along an axis (default 0, as TensorFlow.js). */
export function argMax(x: Tensor, axis = 0): Tensor {
  return argReduce('argMax', x, axis);
}

/** Index (int32) of the minimum along an axis (default 0). */
export function argMin(x: Tensor, axis = 0): Tensor {
  return argReduce('argMin', x, axis);
}

/** Mean over axes. */
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

/** log(sum(exp(x))) over axes, computed stably. */
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

/** Mean and variance over axes. `const { mean, variance } = moments(x, 0)` */
export function moments(x: Tensor, axis?: Axis, keepDims = false): { mean: Tensor; variance: Tensor } {
  const axes = normAxes('moments', axis, x.rank);
  return ENGINE.tidy(() => {
    const m = mean(x, axes, true);
    const variance = x.sub(m).square().mean(axes, keepDims);
    return { mean: keepDims ? m : reshape(m, reducedShape(x.shape, axes, false)), variance };
  });
}
