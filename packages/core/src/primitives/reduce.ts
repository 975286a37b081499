// Registry entries of the reductions: the op functions move the reduced axes innermost, so each
// primitive reduces the trailing `inner` axes of its input to `outShape`.
import type { ReduceOp } from '../backend.js';
import { sizeOf } from '../shape.js';
import type { DType } from '../types.js';
import { cast, equal, where } from '../ops/elementwise.js';
import { broadcastTo, reshape } from '../ops/shape-ops.js';
import type { GradRule, PrimitiveDef, ReduceAttrs } from './types.js';

/** Names of the reduction primitives. */
export type ReduceName = ReduceOp;

/** The input's shape with the reduced trailing axes kept as 1. */
const keptShape = (shape: readonly number[], inner: number) =>
  shape.map((d, i) => (i >= shape.length - inner ? 1 : d));

function innerAxes(rank: number, inner: number): number[] {
  return Array.from({ length: inner }, (_, i) => rank - inner + i);
}

const gradOf = (op: ReduceOp): GradRule<ReduceAttrs> | 'none' => {
  if (op === 'argMax' || op === 'argMin') return 'none';
  return ([dy], s, { inner }) => {
    const x = s.inputs[0];
    const dyk = reshape(dy, keptShape(x.shape, inner));
    if (op === 'sum') return [broadcastTo(dyk, x.shape)];
    const yk = reshape(s.outputs[0], keptShape(x.shape, inner));
    const axes = innerAxes(x.rank, inner);
    if (op === 'prod') {
      // The product of the others, y/x, also where x has zeros: there it is the product of the
      // non-zeros if x holds that axis's only zero, else 0.
      const isZero = equal(x, 0);
      const safe = where(isZero, 1, x);
      const single = cast(equal(cast(isZero, 'float32').sum(axes, true), 1), 'float32');
      return [dyk.mul(where(isZero, safe.prod(axes, true).mul(single), yk.div(safe)))];
    }
    const mask = cast(equal(x, yk), 'float32');
    // Ties share the gradient equally, as TensorFlow does.
    const count = mask.sum(axes, true);
    return [dyk.mul(mask).div(count)];
  };
};

function reduceDef(op: ReduceOp): PrimitiveDef<ReduceAttrs> {
  const outDtype = (x: DType): DType => (op === 'argMax' || op === 'argMin' ? 'int32' : x);
  return {
    kind: 'reduce',
    arity: 1,
    infer: ([x], { outShape }) => [{ shape: outShape, dtype: outDtype(x.dtype) }],
    kernel: (b, [x], { inner }, [out]) => {
      const n = sizeOf(x.shape.slice(x.shape.length - inner));
      return [b.reduce(op, x, sizeOf(x.shape.slice(0, x.shape.length - inner)), n, out.dtype)];
    },
    grad: gradOf(op),
    example: () => ({
      inputs: [{ shape: [2, 3, 4], dtype: 'float32' }],
      attrs: { inner: 1, outShape: [2, 3] },
    }),
  };
}

/** Registry entries of the reductions. */
export function reducePrimitives(): { [P in ReduceName]: PrimitiveDef<ReduceAttrs> } {
  return {
    sum: reduceDef('sum'),
    prod: reduceDef('prod'),
    max: reduceDef('max'),
    min: reduceDef('min'),
    argMax: reduceDef('argMax'),
    argMin: reduceDef('argMin'),
  };
}
