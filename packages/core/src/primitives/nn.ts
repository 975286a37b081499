// Registry entries of matmul, the convolutions and pooling (with their backprop primitives), the
// random fills and the identities (stopGradient, assign).
import type { Conv2DInfo, TensorInfo } from '../backend.js';
import { broadcastShapes, sizeOf } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { matmul } from '../ops/matmul.js';
import { sumToShape } from '../ops/operand.js';
import { maxPoolBackpropAdjoint } from '../ops/pool-adjoint.js';
import { convInfo } from '../ops/conv.js';
import { runPrimitive } from './registry.js';
import type { ConvAttrs, PrimitiveAttrs, PrimitiveDef, Sig } from './types.js';

type NnName =
  | 'matmul'
  | 'conv2d'
  | 'conv2dBackpropInput'
  | 'conv2dBackpropFilter'
  | 'depthwiseConv2d'
  | 'depthwiseConv2dBackpropInput'
  | 'depthwiseConv2dBackpropFilter'
  | 'maxPool'
  | 'avgPool'
  | 'maxPoolBackprop'
  | 'avgPoolBackprop'
  | 'randomUniform'
  | 'randomNormal'
  | 'stopGradient'
  | 'assign';
type Defs = { [P in NnName]: PrimitiveDef<PrimitiveAttrs[P]> };

const as3 = (t: TensorInfo): TensorInfo => ({
  dataId: t.dataId,
  dtype: t.dtype,
  shape: [sizeOf(t.shape.slice(0, -2)), ...t.shape.slice(-2)],
});

const outShapeOf = (i: Conv2DInfo) => [i.batch, i.outHeight, i.outWidth, i.outChannels];
const inShapeOf = (i: Conv2DInfo) => [i.batch, i.inHeight, i.inWidth, i.inChannels];
const float = (shape: number[]): Sig[] => [{ shape, dtype: 'float32' }];

type ConvKernel = 'conv2d' | 'conv2dBackpropInput' | 'conv2dBackpropFilter';
type DwKernel = 'depthwiseConv2d' | 'depthwiseConv2dBackpropInput' | 'depthwiseConv2dBackpropFilter';

/** A conv-family entry (`which` of the three); `names` are the family's forward, input and filter primitives. */
function convDef(
  which: 'forward' | 'input' | 'filter',
  names: [ConvKernel, ConvKernel, ConvKernel] | [DwKernel, DwKernel, DwKernel],
  filterShape: (i: Conv2DInfo) => number[],
  example: () => { inputs: Sig[]; attrs: ConvAttrs },
): PrimitiveDef<ConvAttrs> {
  const [fwd, bwdIn, bwdFilter] = names;
  const outShape = which === 'forward' ? outShapeOf : which === 'input' ? inShapeOf : filterShape;
  const own = which === 'forward' ? fwd : which === 'input' ? bwdIn : bwdFilter;
  const run = (name: ConvKernel | DwKernel, a: Tensor, b: Tensor, info: Conv2DInfo) =>
    runPrimitive(name, [a, b], { info })[0];
  return {
    kind: 'conv',
    arity: 2,
    infer: (_xs, { info }) => float(outShape(info)),
    kernel: (b, [x, y], { info }) => [b[own](x, y, info)],
    grad: ([g], s, { info }) => {
      const [a, c] = s.inputs;
      // forward(x, f): dx = bwdIn(g, f), df = bwdFilter(x, g); bwdIn(dy, f): ddy = fwd(g, f),
      // df = bwdFilter(g, dy); bwdFilter(x, dy): dx = bwdIn(dy, g), ddy = fwd(x, g).
      if (which === 'forward')
        return [s.needs[0] ? run(bwdIn, g, c, info) : null, s.needs[1] ? run(bwdFilter, a, g, info) : null];
      if (which === 'input')
        return [s.needs[0] ? run(fwd, g, c, info) : null, s.needs[1] ? run(bwdFilter, g, a, info) : null];
      return [s.needs[0] ? run(bwdIn, c, g, info) : null, s.needs[1] ? run(fwd, a, g, info) : null];
    },
    example,
  };
}

const convExample = (depthwise: boolean, which: 'forward' | 'input' | 'filter') => () => {
  const info = convInfo(
    'example',
    [1, 5, 5, 2],
    3,
    3,
    depthwise ? 4 : 3,
    { strides: 2, padding: 'same' },
    depthwise ? 2 : 1,
  );
  const f = depthwise ? [3, 3, 2, 2] : [3, 3, 2, 3];
  const shapes =
    which === 'forward'
      ? [inShapeOf(info), f]
      : which === 'input'
        ? [outShapeOf(info), f]
        : [inShapeOf(info), outShapeOf(info)];
  return { inputs: shapes.map((shape) => ({ shape, dtype: 'float32' as const })), attrs: { info } };
};

const poolExample = (backprop: 'max' | 'avg' | null) => () => {
  const info = convInfo('example', [1, 4, 4, 2], 2, 2, 2, { strides: 2, padding: 'valid' });
  const shapes =
    backprop === 'max'
      ? [outShapeOf(info), inShapeOf(info)]
      : backprop === 'avg'
        ? [outShapeOf(info)]
        : [inShapeOf(info)];
  return { inputs: shapes.map((shape) => ({ shape, dtype: 'float32' as const })), attrs: { info } };
};

const identity: PrimitiveDef<Record<string, never>>['kernel'] = (_b, [x]) => [x.dataId];

/** Registry entries of matmul, conv/pool, random and identity primitives. */
export function nnPrimitives(): Defs {
  const convNames: [ConvKernel, ConvKernel, ConvKernel] = [
    'conv2d',
    'conv2dBackpropInput',
    'conv2dBackpropFilter',
  ];
  const dwNames: [DwKernel, DwKernel, DwKernel] = [
    'depthwiseConv2d',
    'depthwiseConv2dBackpropInput',
    'depthwiseConv2dBackpropFilter',
  ];
  const convFilter = (i: Conv2DInfo) => [i.filterHeight, i.filterWidth, i.inChannels, i.outChannels];
  const dwFilter = (i: Conv2DInfo) => [i.filterHeight, i.filterWidth, i.inChannels, i.channelMultiplier];
  return {
    matmul: {
      kind: 'matmul',
      arity: 2,
      infer: ([a, b], { transposeA, transposeB }) => {
        const m = a.shape[a.shape.length - (transposeA ? 1 : 2)];
        const n = b.shape[b.shape.length - (transposeB ? 2 : 1)];
        const batch = broadcastShapes('matmul', a.shape.slice(0, -2), b.shape.slice(0, -2));
        return [{ shape: [...batch, m, n], dtype: a.dtype }];
      },
      kernel: (bk, [a, b], { transposeA, transposeB }) => [bk.matmul(as3(a), as3(b), transposeA, transposeB)],
      grad: ([dy], s, { transposeA, transposeB }) => {
        const [x, w] = s.inputs;
        let da: Tensor | null = null;
        let db: Tensor | null = null;
        if (s.needs[0]) {
          da = transposeA
            ? matmul(w, dy, { transposeA: transposeB, transposeB: true })
            : matmul(dy, w, { transposeB: !transposeB });
          da = sumToShape(da, x.shape);
        }
        if (s.needs[1]) {
          db = transposeB
            ? matmul(dy, x, { transposeA: true, transposeB: transposeA })
            : matmul(x, dy, { transposeA: !transposeA });
          db = sumToShape(db, w.shape);
        }
        return [da, db];
      },
      example: () => ({
        inputs: [
          { shape: [2, 3, 4], dtype: 'float32' },
          { shape: [1, 4, 5], dtype: 'float32' },
        ],
        attrs: { transposeA: false, transposeB: false },
      }),
    },
    conv2d: convDef('forward', convNames, convFilter, convExample(false, 'forward')),
    conv2dBackpropInput: convDef('input', convNames, convFilter, convExample(false, 'input')),
    conv2dBackpropFilter: convDef('filter', convNames, convFilter, convExample(false, 'filter')),
    depthwiseConv2d: convDef('forward', dwNames, dwFilter, convExample(true, 'forward')),
    depthwiseConv2dBackpropInput: convDef('input', dwNames, dwFilter, convExample(true, 'input')),
    depthwiseConv2dBackpropFilter: convDef('filter', dwNames, dwFilter, convExample(true, 'filter')),
    maxPool: {
      kind: 'conv',
      arity: 1,
      infer: (_xs, { info }) => float(outShapeOf(info)),
      kernel: (b, [x], { info }) => [b.pool('max', x, info)],
      grad: ([dy], s, { info }) => runPrimitive('maxPoolBackprop', [dy, s.inputs[0]], { info }),
      example: poolExample(null),
    },
    avgPool: {
      kind: 'conv',
      arity: 1,
      infer: (_xs, { info }) => float(outShapeOf(info)),
      kernel: (b, [x], { info }) => [b.pool('avg', x, info)],
      grad: ([dy], _s, { info }) => runPrimitive('avgPoolBackprop', [dy], { info }),
      example: poolExample(null),
    },
    maxPoolBackprop: {
      kind: 'conv',
      arity: 2,
      infer: (_xs, { info }) => float(inShapeOf(info)),
      kernel: (b, [dy, x], { info }) => [b.maxPoolBackprop(dy, x, info)],
      grad: ([g], s, { info }) => [s.needs[0] ? maxPoolBackpropAdjoint(g, s.inputs[1], info) : null, null],
      example: poolExample('max'),
    },
    avgPoolBackprop: {
      kind: 'conv',
      arity: 1,
      infer: (_xs, { info }) => float(inShapeOf(info)),
      kernel: (b, [dy], { info }) => [b.avgPoolBackprop(dy, info)],
      grad: ([g], _s, { info }) => runPrimitive('avgPool', [g], { info }),
      example: poolExample('avg'),
    },
    randomUniform: {
      kind: 'random',
      arity: 0,
      infer: (_xs, { shape }) => float(shape),
      kernel: (b, _xs, { shape, minval, maxval, seed }) => [
        b.random('uniform', sizeOf(shape), seed, minval, maxval),
      ],
      grad: 'none',
      dynamic: ['seed'],
      example: () => ({ inputs: [], attrs: { shape: [2, 3], minval: -1, maxval: 1, seed: 7 } }),
    },
    randomNormal: {
      kind: 'random',
      arity: 0,
      infer: (_xs, { shape }) => float(shape),
      kernel: (b, _xs, { shape, mean, stddev, seed }) => [
        b.random('normal', sizeOf(shape), seed, mean, stddev),
      ],
      grad: 'none',
      dynamic: ['seed'],
      example: () => ({ inputs: [], attrs: { shape: [2, 3], mean: 1, stddev: 2, seed: 7 } }),
    },
    // The identity whose gradient is cut: tapes do not look through it.
    stopGradient: {
      kind: 'identity',
      arity: 1,
      infer: ([x]) => [x],
      kernel: identity,
      grad: 'none',
      example: () => ({ inputs: [{ shape: [2, 3], dtype: 'float32' }], attrs: {} }),
    },
    // The value a Variable takes in `assign` (the identity, outside gradients).
    assign: {
      kind: 'identity',
      arity: 1,
      infer: ([x]) => [x],
      kernel: identity,
      grad: 'none',
      example: () => ({ inputs: [{ shape: [2, 3], dtype: 'float32' }], attrs: {} }),
    },
  };
}
