// Registry entries of the layout primitives: reshape, transpose, slice, pad, concat, gather, tile
// and broadcastTo (the op functions check their arguments first).
import type { ElementwiseKernel } from '../backend.js';
import { shapesEqual, sizeOf } from '../shape.js';
import { matmul } from '../ops/matmul.js';
import { oneHot } from '../ops/creation.js';
import { sumToShape } from '../ops/operand.js';
import { pad, reshape, slice, split, transpose } from '../ops/shape-ops.js';
import type { PrimitiveAttrs, PrimitiveDef } from './types.js';

type LayoutName = 'reshape' | 'transpose' | 'slice' | 'pad' | 'concat' | 'gather' | 'tile' | 'broadcastTo';
type Defs = { [P in LayoutName]: PrimitiveDef<PrimitiveAttrs[P]> };

const copyKernel: ElementwiseKernel = {
  key: 'copy',
  arity: 1,
  cpu: (v) => v,
  wgsl: ([v]) => v,
  handlesNaN: true,
};
const f32 = (...shapes: number[][]) => shapes.map((shape) => ({ shape, dtype: 'float32' as const }));

/** Registry entries of the layout primitives. */
export function layoutPrimitives(): Defs {
  return {
    reshape: {
      kind: 'identity',
      arity: 1,
      infer: ([x], { shape }) => [{ shape, dtype: x.dtype }],
      // A view: the same storage.
      kernel: (_b, [x]) => [x.dataId],
      grad: ([dy], s) => [reshape(dy, s.inputs[0].shape)],
      example: () => ({ inputs: f32([2, 3]), attrs: { shape: [3, 2] } }),
    },
    transpose: {
      kind: 'layout',
      arity: 1,
      infer: ([x], { perm }) => [{ shape: perm.map((a) => x.shape[a]), dtype: x.dtype }],
      kernel: (b, [x], { perm }) => [perm.every((a, i) => a === i) ? x.dataId : b.transpose(x, perm)],
      grad: ([dy], _s, { perm }) => [
        transpose(
          dy,
          perm.map((_, i) => perm.indexOf(i)),
        ),
      ],
      example: () => ({ inputs: f32([2, 3, 4]), attrs: { perm: [2, 0, 1] } }),
    },
    slice: {
      kind: 'layout',
      arity: 1,
      infer: ([x], { size }) => [{ shape: size, dtype: x.dtype }],
      kernel: (b, [x], { begin, size }) => [b.slice(x, begin, size)],
      grad: ([dy], s, { begin, size }) => [
        pad(
          dy,
          s.inputs[0].shape.map((d, i) => [begin[i], d - begin[i] - size[i]] as [number, number]),
        ),
      ],
      example: () => ({ inputs: f32([3, 4]), attrs: { begin: [1, 0], size: [2, 3] } }),
    },
    pad: {
      kind: 'layout',
      arity: 1,
      infer: ([x], { paddings }) => [
        { shape: x.shape.map((d, i) => d + paddings[i][0] + paddings[i][1]), dtype: x.dtype },
      ],
      kernel: (b, [x], { paddings, value }) => [b.pad(x, paddings, value)],
      grad: ([dy], s, { paddings }) => [
        slice(
          dy,
          paddings.map((p) => p[0]),
          s.inputs[0].shape,
        ),
      ],
      example: () => ({
        inputs: f32([2, 3]),
        attrs: {
          paddings: [
            [1, 0],
            [0, 2],
          ],
          value: 0.5,
        },
      }),
    },
    concat: {
      kind: 'layout',
      arity: -1,
      infer: (xs, { axis }) => {
        const shape = [...xs[0].shape];
        shape[axis] = xs.reduce((n, x) => n + x.shape[axis], 0);
        return [{ shape, dtype: xs[0].dtype }];
      },
      kernel: (b, xs, { axis }, [out]) => [b.concat(xs, sizeOf(out.shape.slice(0, axis)))],
      grad: ([dy], s, { axis }) =>
        split(
          dy,
          s.inputs.map((t) => t.shape[axis]),
          axis,
        ),
      example: () => ({ inputs: f32([2, 3], [2, 1]), attrs: { axis: 1 } }),
    },
    gather: {
      kind: 'layout',
      arity: 2,
      infer: ([x, idx], { axis }) => [
        { shape: [...x.shape.slice(0, axis), ...idx.shape, ...x.shape.slice(axis + 1)], dtype: x.dtype },
      ],
      kernel: (b, [x, idx], { axis }) => [
        b.gather(x, idx, sizeOf(x.shape.slice(0, axis)), x.shape[axis], sizeOf(x.shape.slice(axis + 1))),
      ],
      grad: ([dy], s, { axis }) => {
        // Scatter-add as a matmul with the transposed one-hot matrix, so it is differentiable again.
        const [x, idx] = s.inputs;
        const outer = sizeOf(x.shape.slice(0, axis));
        const inner = sizeOf(x.shape.slice(axis + 1));
        const k = idx.size;
        const hot = oneHot(reshape(idx, [k]), x.shape[axis]);
        const dx = matmul(hot, reshape(dy, [outer, k, inner]), { transposeA: true });
        return [reshape(dx, x.shape), null];
      },
      example: () => ({
        inputs: [
          { shape: [4, 3], dtype: 'float32' },
          { shape: [5], dtype: 'int32', range: [0, 4] },
        ],
        attrs: { axis: 0 },
      }),
    },
    tile: {
      kind: 'layout',
      arity: 1,
      infer: ([x], { reps }) => [{ shape: x.shape.map((d, i) => d * reps[i]), dtype: x.dtype }],
      kernel: (b, [x], { reps }) => [b.tile(x, reps)],
      grad: ([dy], s, { reps }) => {
        const shape = s.inputs[0].shape;
        const split2 = shape.flatMap((d, i) => [reps[i], d]);
        return [reshape(reshape(dy, split2).sum(shape.map((_, i) => 2 * i)), shape)];
      },
      example: () => ({ inputs: f32([2, 3]), attrs: { reps: [2, 1] } }),
    },
    broadcastTo: {
      kind: 'elementwise',
      arity: 1,
      infer: ([x], { shape }) => [{ shape, dtype: x.dtype }],
      kernel: (b, [x], { shape }) => [
        shapesEqual(x.shape, shape) ? x.dataId : b.elementwise(copyKernel, [x], shape, x.dtype),
      ],
      expr: () => copyKernel,
      grad: ([dy], s) => [sumToShape(dy, s.inputs[0].shape)],
      example: () => ({ inputs: f32([3, 1]), attrs: { shape: [2, 3, 4] } }),
    },
  };
}
