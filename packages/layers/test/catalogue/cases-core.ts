// Catalogue rows for core: every op family, creation functions, Variables and tapes.
import * as dl from '@webdl/core';
import type { Row } from './fixtures.js';

/** Elementwise, comparison and logic ops. */
export const ELEMENTWISE: Row[] = [
  ['add shapes', (f) => dl.add(f.a23, f.z([4, 5])), /^add: shapes \[2,3\] and \[4,5\] cannot be broadcast/],
  ['sub shapes', (f) => f.a23.sub(f.z([2])), /^sub: shapes \[2,3\] and \[2\]/],
  ['mul shapes', (f) => dl.mul(f.z([2, 2, 3]), f.z([3, 3])), /^mul: shapes \[2,2,3\] and \[3,3\]/],
  ['div shapes', (f) => dl.div(f.v3, f.z([4])), /^div: shapes \[3\] and \[4\]/],
  ['pow shapes', (f) => dl.pow(f.a23, f.z([3, 2])), /^pow: shapes \[2,3\] and \[3,2\]/],
  ['maximum shapes', (f) => dl.maximum(f.a23, f.z([5])), /^maximum: shapes \[2,3\] and \[5\]/],
  ['minimum shapes', (f) => dl.minimum(f.z([0]), f.v3), /^minimum: shapes \[0\] and \[3\]/],
  ['equal shapes', (f) => dl.equal(f.v3, f.z([2])), /^equal: shapes \[3\] and \[2\]/],
  ['greater shapes', (f) => f.v3.greater(f.z([2, 2])), /^greater: shapes \[3\] and \[2,2\]/],
  ['lessEqual shapes', (f) => dl.lessEqual(f.a23, f.z([4])), /^lessEqual: shapes \[2,3\] and \[4\]/],
  [
    'logicalAnd on floats',
    (f) => dl.logicalAnd(f.v3, f.v3),
    /^logicalAnd: expects bool tensors, got float32 \[3\]/,
  ],
  [
    'logicalOr on int32',
    (f) => dl.logicalOr(f.b3, f.i3),
    /^logicalOr: expects bool tensors, got int32 \[3\]/,
  ],
  [
    'logicalNot on floats',
    (f) => dl.logicalNot(f.a23),
    /^logicalNot: expects bool tensors, got float32 \[2,3\]/,
  ],
  ['where condition', (f) => dl.where(f.i3, 1, 0), /^where: condition must be bool, got int32 \[3\]/],
  ['where shapes', (f) => dl.where(f.b3, f.a23, f.z([4])), /^where: shapes .*\[4\]/],
  ['clipByValue bounds', (f) => dl.clipByValue(f.v3, 1, -1), /^clipByValue: min \(1\) must be <= max \(-1\)/],
  ['clipByValue NaN bound', (f) => dl.clipByValue(f.v3, NaN, 1), /^clipByValue: .*NaN/],
  ['cast to complex64', (f) => dl.cast(f.v3, 'complex64' as dl.DType), /^cast: unknown dtype 'complex64'/],
  ['leakyRelu disposed input', (f) => dl.leakyRelu(disposed(f.z([2]))), /^leakyRelu: .*was disposed/],
  ['sin of a disposed tensor', (f) => disposed(f.z([2])).sin(), /^sin: tensor \[2\] float32 .*was disposed/],
  [
    'add a string',
    (f) => dl.add(f.v3, 'x' as unknown as number),
    /^add: operands must be tensors, numbers, booleans or arrays, got string "x"/,
  ],
];

/** Reductions. */
export const REDUCTIONS: Row[] = [
  ['sum axis', (f) => dl.sum(f.a23, 2), /^sum: axis 2 is out of range for a tensor of rank 2/],
  ['mean axis', (f) => dl.mean(f.a23, -3), /^mean: axis -3 is out of range for a tensor of rank 2/],
  ['max repeated axis', (f) => dl.max(f.a23, [0, 0]), /^max: repeated axis in \[0,0\]/],
  ['min of empty', (f) => dl.min(f.e0), /^min: cannot reduce an empty axis of \[0\]/],
  ['prod fractional axis', (f) => dl.prod(f.a23, 0.5), /^prod: axis 0.5 is out of range/],
  ['argMax axis', (f) => dl.argMax(f.a23, 5), /^argMax: axis 5 is out of range for a tensor of rank 2/],
  ['argMin of empty', (f) => dl.argMin(f.e0), /^argMin: axis 0 of \[0\] is empty/],
  [
    'logSumExp axis',
    (f) => dl.logSumExp(f.v3, 1),
    /^logSumExp: axis 1 is out of range for a tensor of rank 1/,
  ],
  ['moments axis', (f) => dl.moments(f.a23, 3), /^moments: axis 3 is out of range for a tensor of rank 2/],
  ['softmax axis', (f) => dl.softmax(f.a23, 2), /^softmax: axis 2 is out of range/],
  ['logSoftmax axis', (f) => dl.logSoftmax(f.v3, -2), /^logSoftmax: axis -2 is out of range/],
];

/** Shape ops. */
export const SHAPE_OPS: Row[] = [
  ['reshape size', (f) => dl.reshape(f.a23, [5]), /^reshape: cannot reshape \[2,3\] .*\[5\]/],
  ['reshape negative', (f) => f.a23.reshape([-2, 3]), /^reshape: .*\[-2,3\]/],
  ['transpose perm length', (f) => dl.transpose(f.a23, [0]), /^transpose: perm \[0\] .*\[2,3\]/],
  ['transpose perm values', (f) => dl.transpose(f.a23, [0, 2]), /^transpose: perm \[0,2\] .*\[2,3\]/],
  ['expandDims axis', (f) => dl.expandDims(f.a23, -4), /^expandDims: axis -4 is out of range/],
  ['squeeze axis', (f) => dl.squeeze(f.a23, 1), /^squeeze: axis 1 of \[2,3\] has size 3, not 1/],
  ['concat ranks', (f) => dl.concat([f.v3, f.a23]), /^concat: shapes float32 \[3\], float32 \[2,3\]/],
  [
    'concat axis',
    (f) => dl.concat([f.a23, f.a23], 2),
    /^concat: axis 2 is out of range for a tensor of rank 2/,
  ],
  ['stack dtypes', (f) => dl.stack([f.v3, f.i3]), /^stack: shapes float32 \[3\], int32 \[3\] differ/],
  ['stack nothing', () => dl.stack([]), /^stack: needs at least one tensor/],
  [
    'split count',
    (f) => dl.split(f.a23, 4, 1),
    /^split: axis 1 of \[2,3\] \(size 3\) cannot be split into 4/,
  ],
  ['split negative size', (f) => dl.split(f.v3, [4, -1]), /^split: sizes \[4,-1\]/],
  [
    'slice size',
    (f) => dl.slice(f.a23, [0, 2], [1, 2]),
    /^slice: begin \[0,2\] size \[1,2\] out of bounds for \[2,3\]/,
  ],
  ['slice negative begin', (f) => dl.slice(f.v3, [-1], [1]), /^slice: begin \[-1\]/],
  [
    'gather index',
    (f) => dl.gather(f.v3, [3]),
    /^gather: index 3 is out of range \[0, 3\) for axis 0 of \[3\]/,
  ],
  ['gather negative index', (f) => dl.gather(f.v3, [-1]), /^gather: index -1 is out of range \[0, 3\)/],
  ['gather float indices', (f) => dl.gather(f.a23, f.v3, 1), /^gather: indices must be int32, got float32/],
  [
    'pad shape',
    (f) =>
      dl.pad(f.v3, [
        [1, 1],
        [0, 0],
      ]),
    /^pad: paddings \[\[1,1\],\[0,0\]\] must be 1 pairs? .*\[3\]/,
  ],
  ['pad fractional', (f) => dl.pad(f.v3, [[0.5, 0]]), /^pad: paddings \[\[0.5,0\]\]/],
  [
    'tile negative',
    (f) => dl.tile(f.v3, [-1]),
    /^tile: reps \[-1\] must be 1 non-negative integers? for \[3\]/,
  ],
  ['broadcastTo', (f) => dl.broadcastTo(f.v3, [2, 4]), /^broadcastTo: .*\[3\].*\[2,4\]/],
  [
    'flatten of a scalar',
    (f) => dl.flatten(disposed(f.z([1]))),
    /^flatten: tensor \[1\] float32 .*was disposed/,
  ],
];

/** Linear algebra, convolutions, pooling, dropout. */
export const NN_OPS: Row[] = [
  [
    'matmul inner dims',
    (f) => dl.matmul(f.a23, f.a23),
    /^matmul: inner dimensions differ: \[2,3\] x \[2,3\]/,
  ],
  [
    'matmul both transposed',
    (f) => dl.matmul(f.a23, f.a23, { transposeA: true, transposeB: true }),
    /^matmul: inner dimensions differ/,
  ],
  ['matmul scalar', (f) => dl.matmul(f.s, f.a23), /^matmul: .*\[\] x \[2,3\]/],
  [
    'matmul int32 and float32',
    (f) => dl.matmul(f.z([2, 2], 'int32'), f.z([2, 2])),
    /^matmul: dtypes differ: int32 x float32/,
  ],
  ['dot mismatch', (f) => dl.dot(f.a23, f.z([2])), /^dot: inner dimensions differ: \[2,3\] \. \[2\]/],
  [
    'conv2d valid, input smaller than filter',
    (f) => dl.conv2d(f.z([1, 2, 2, 1]), f.z([3, 3, 1, 1])),
    /^conv2d: input \[1,2,2,1\] is smaller than the 3x3 window with 'valid' padding/,
  ],
  [
    'conv2d valid with dilation',
    (f) => dl.conv2d(f.img, f.z([2, 2, 1, 1]), { dilations: 4 }),
    /^conv2d: input \[1,4,4,1\] is smaller than the 5x5 window/,
  ],
  [
    'conv2d filter channels',
    (f) => dl.conv2d(f.img, f.z([1, 1, 3, 1])),
    /^conv2d: filter \[1,1,3,1\] must be \[fh, fw, 1, outC\]/,
  ],
  ['conv2d filter rank', (f) => dl.conv2d(f.img, f.z([3, 3, 1])), /^conv2d: filter \[3,3,1\] must be/],
  [
    'conv2d padding',
    (f) => dl.conv2d(f.img, f.z([1, 1, 1, 1]), { padding: 'full' as 'same' }),
    /^conv2d: padding must be 'same' or 'valid', got 'full'/,
  ],
  [
    'conv2d int input',
    (f) => dl.conv2d(f.z([1, 4, 4, 1], 'int32'), f.z([1, 1, 1, 1])),
    /^conv2d: expects float32 tensors, got int32 \[1,4,4,1\]/,
  ],
  [
    'conv1d valid, input smaller than filter',
    (f) => dl.conv1d(f.z([1, 2, 1]), f.z([3, 1, 1])),
    /^conv1d: input \[1,2,1\] is smaller than the window of 3 with 'valid' padding/,
  ],
  [
    'conv1d channels',
    (f) => dl.conv1d(f.z([1, 4, 2]), f.z([3, 1, 1])),
    /^conv1d: filter \[3,1,1\] must be \[fw, 2, outC\] for input \[1,4,2\]/,
  ],
  [
    'conv1d stride',
    (f) => dl.conv1d(f.z([1, 4, 1]), f.z([1, 1, 1]), { strides: 0 }),
    /^conv1d: strides must be positive integers, got \[1,0\]/,
  ],
  [
    'conv2dTranspose filter',
    (f) => dl.conv2dTranspose(f.img, f.z([2, 2, 1, 3]), [1, 4, 4, 1]),
    /^conv2dTranspose: filter \[2,2,1,3\] must be \[fh, fw, 1, 1\]/,
  ],
  [
    'conv2dTranspose output shape',
    (f) => dl.conv2dTranspose(f.img, f.z([2, 2, 1, 1]), [1, 12, 12, 1], { strides: 2 }),
    /^conv2dTranspose: output shape \[1,12,12,1\] is inconsistent with input \[1,4,4,1\]/,
  ],
  [
    'depthwiseConv2d filter',
    (f) => dl.depthwiseConv2d(f.img, f.z([3, 3, 2, 1])),
    /^depthwiseConv2d: filter \[3,3,2,1\] must be \[fh, fw, 1, multiplier\]/,
  ],
  [
    'depthwiseConv2d valid, input smaller',
    (f) => dl.depthwiseConv2d(f.z([1, 2, 2, 1]), f.z([3, 3, 1, 1])),
    /^depthwiseConv2d: input \[1,2,2,1\] is smaller than the 3x3 window/,
  ],
  [
    'maxPool valid, input smaller than pool',
    (f) => dl.maxPool(f.z([1, 2, 2, 1]), 3, 1, 'valid'),
    /^maxPool: input \[1,2,2,1\] is smaller than the 3x3 window/,
  ],
  [
    'avgPool pool size',
    (f) => dl.avgPool(f.img, [2, 0], 1, 'same'),
    /^avgPool: .*must be positive integers, got \[2,0\]/,
  ],
  [
    'avgPool padding',
    (f) => dl.avgPool(f.img, 2, 2, 'VALID' as 'valid'),
    /^avgPool: padding must be 'same' or 'valid', got 'VALID'/,
  ],
  ['dropout rate', (f) => dl.dropout(f.v3, -0.1), /^dropout: rate must be in \[0, 1\), got -0.1/],
  ['dropout rate NaN', (f) => dl.dropout(f.v3, NaN), /^dropout: rate must be in \[0, 1\), got NaN/],
];

/** Creation functions. */
export const CREATION: Row[] = [
  [
    'tensor complex64',
    () => dl.tensor([1, 2], [2], 'complex64' as dl.DType),
    /^tensor: unsupported dtype 'complex64'/,
  ],
  [
    'tensor string dtype',
    () => dl.tensor([1], [1], 'string' as dl.DType),
    /^tensor: unsupported dtype 'string'/,
  ],
  ['tensor ragged', () => dl.tensor([[1], [2, 3]]), /^tensor: ragged nested array/],
  [
    'tensor values vs shape',
    () => dl.tensor([1, 2, 3, 4, 5], [2, 3]),
    /^tensor: 5 values do not fill shape \[2,3\] \(6 elements\)/,
  ],
  ['tensor negative shape', () => dl.tensor([1, 2], [2, -1]), /^tensor: invalid shape \[2,-1\]/],
  [
    'scalar dtype',
    () => dl.scalar(1, 'float16' as dl.DType),
    /^tensor: unsupported dtype 'float16'|^scalar: unsupported dtype/,
  ],
  ['zeros negative dim', () => dl.zeros([2, -3]), /^zeros: invalid shape \[2,-3\]/],
  ['ones fractional dim', () => dl.ones([1.5]), /^ones: invalid shape \[1.5\]/],
  ['fill NaN dim', () => dl.fill([NaN], 1), /^fill: invalid shape \[NaN\]/],
  ['zeros complex64', () => dl.zeros([2], 'complex64' as dl.DType), /^zeros: unsupported dtype 'complex64'/],
  ['zerosLike disposed', (f) => dl.zerosLike(disposed(f.z([2]))), /^zerosLike: .*was disposed/],
  ['onesLike disposed', (f) => dl.onesLike(disposed(f.z([2]))), /^onesLike: .*was disposed/],
  ['eye fractional', () => dl.eye(2.5), /^eye: invalid shape \[2.5\]/],
  ['range zero step', () => dl.range(0, 5, 0), /^range: step must not be 0/],
  [
    'range infinite stop',
    () => dl.range(0, Infinity),
    /^range: start, stop and step must be finite, got 0, Infinity, 1/,
  ],
  [
    'linspace fractional count',
    () => dl.linspace(0, 1, 2.5),
    /^linspace: n must be a non-negative integer, got 2.5/,
  ],
  ['oneHot depth', () => dl.oneHot([0, 1], -2), /^oneHot: depth must be a positive integer, got -2/],
  ['oneHot float indices', (f) => dl.oneHot(f.v3, 4), /^oneHot: indices must be int32, got float32/],
  [
    'randomNormal negative stddev',
    () => dl.randomNormal([2], { stddev: -0.5 }),
    /^randomNormal: stddev must be >= 0, got -0.5/,
  ],
  ['randomNormal shape', () => dl.randomNormal([2, -1]), /^randomNormal: invalid shape \[2,-1\]/],
  [
    'randomUniform bounds',
    () => dl.randomUniform([2], { minval: 2, maxval: 1 }),
    /^randomUniform: maxval \(1\) must be >= minval \(2\)/,
  ],
  [
    'randomUniform seed',
    () => dl.randomUniform([2], { seed: NaN }),
    /^randomUniform: seed must be a finite number, got NaN|^random: seed/,
  ],
];

/** Variables and tapes. */
export const VARIABLES_TAPES: Row[] = [
  [
    'variable complex64',
    () => dl.variable([1, 2], { dtype: 'complex64' as dl.DType }),
    /^(variable|tensor): unsupported dtype 'complex64'/,
  ],
  [
    'assign shape',
    (f) => f.w.assign(f.z([3])),
    /^assign: variable 'w' is float32 \[2\], value is float32 \[3\]/,
  ],
  [
    'assignAdd dtype',
    (f) => f.w.assignAdd(f.z([2], 'int32')),
    /^assignAdd: variable 'w' is float32 \[2\], value is int32 \[2\]/,
  ],
  [
    'assignSub array',
    (f) => f.w.assignSub([1, 2, 3]),
    /^assignSub: variable 'w' is float32 \[2\], value is float32 \[3\]/,
  ],
  [
    'assign NaN-shaped value',
    (f) => f.w.assign(f.z([2, 1])),
    /^assign: variable 'w' is float32 \[2\], value is float32 \[2,1\]/,
  ],
  [
    'assign disposed variable',
    (f) => disposed(dl.variable(f.z([1]))).assign(f.z([1])),
    /^assign: .*was disposed/,
  ],
  [
    'tape second gradient',
    () => secondGradient(),
    /^GradientTape\.gradient: a non-persistent tape can compute gradients only once/,
  ],
  [
    'tape gradient of a disposed target',
    () => disposedTarget(),
    /^GradientTape\.gradient: tensor \[\] float32 .*was disposed/,
  ],
  [
    'grad of a non-tensor function',
    (f) => dl.grad((_x: dl.Tensor) => 3 as unknown as dl.Tensor)(f.s),
    /^grad: f must return a float32 tensor, got number 3/,
  ],
  [
    'watch a non-tensor',
    () => new dl.GradientTape().watch(3 as unknown as dl.Tensor),
    /^GradientTape\.watch: expected a Tensor, got 3/,
  ],
];

function disposed<T extends dl.Tensor>(t: T): T {
  t.dispose();
  return t;
}

function secondGradient(): unknown {
  const x = dl.variable(2);
  const tape = new dl.GradientTape();
  const y = tape.record(() => x.square());
  try {
    dl.dispose(tape.gradient(y, x));
    return tape.gradient(y, x);
  } finally {
    dl.dispose([x, y]);
  }
}

function disposedTarget(): unknown {
  const x = dl.variable(2);
  const tape = new dl.GradientTape();
  const y = tape.record(() => x.square());
  y.dispose();
  try {
    return tape.gradient(y, x);
  } finally {
    x.dispose();
  }
}
