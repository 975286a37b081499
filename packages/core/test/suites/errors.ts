// Bad input: every wrong shape, rank, axis, dtype or option throws at the call, naming the op and the
// offending shapes or values, and leaves no tensor behind.
import { describe, expect, it } from 'vitest';
import * as dl from '@webdl/core';
import type { Tensor } from '@webdl/core';
import { make } from './helpers.js';

interface Fixtures {
  a23: Tensor;
  b45: Tensor;
  v3: Tensor;
  i3: Tensor;
  b3: Tensor;
  s: Tensor;
  img: Tensor;
  hwc: Tensor;
  e0: Tensor;
  /** Zeros made for one case (counted as arguments, not as leaks). */
  z: (shape: number[], dtype?: dl.DType) => Tensor;
  made: Tensor[];
}

const fixtures = (): Fixtures => ({
  made: [],
  z(shape, dtype) {
    const t = dl.zeros(shape, dtype);
    this.made.push(t);
    return t;
  },
  a23: make([2, 3], [1, 2, 3, 4, 5, 6]),
  b45: dl.zeros([4, 5]),
  v3: make([3], [1, 2, 3]),
  i3: make([3], [1, 2, 3], 'int32'),
  b3: make([3], [1, 0, 1], 'bool'),
  s: dl.scalar(1),
  img: dl.zeros([1, 4, 4, 1]),
  hwc: make([4, 4, 1], new Array<number>(16).fill(1), 'int32'),
  e0: dl.zeros([0]),
});

type Case = [string, (f: Fixtures) => unknown, RegExp];

const CASES: Case[] = [
  [
    'matmul inner dims',
    (f) => dl.matmul(f.a23, f.b45),
    /^matmul: inner dimensions differ: \[2,3\] x \[4,5\]$/,
  ],
  [
    'matmul with transposes',
    (f) => f.a23.matmul(f.a23, { transposeB: false }),
    /^matmul: inner dimensions differ: \[2,3\] x \[2,3\]/,
  ],
  ['matmul of a vector', (f) => dl.matmul(f.v3, f.a23), /^matmul: .*\[3\] x \[2,3\]/],
  ['matmul dtypes', (f) => dl.matmul(f.a23, f.z([3, 1], 'int32')), /^matmul: dtypes differ: float32 x int32/],
  ['matmul batch', (f) => dl.matmul(f.z([2, 2, 3]), f.z([3, 3, 1])), /^matmul: .*\[2\] and \[3\]/],
  ['dot ranks', (f) => dl.dot(f.z([2, 2, 2]), f.z([2])), /^dot: .*\[2,2,2\] \. \[2\]/],
  ['dot inner dims', (f) => dl.dot(f.v3, f.z([4])), /^dot: inner dimensions differ: \[3\] \. \[4\]/],
  [
    'add broadcast',
    (f) => dl.add(f.a23, f.b45),
    /^add: shapes \[2,3\] and \[4,5\] cannot be broadcast together$/,
  ],
  ['mul with a number array', (f) => f.a23.mul([1, 2]), /^mul: shapes \[2,3\] and \[2\] cannot be broadcast/],
  [
    'logicalAnd broadcast',
    (f) => dl.logicalAnd(f.b3, f.z([2], 'bool')),
    /^logicalAnd: shapes \[3\] and \[2\]/,
  ],
  ['where condition dtype', (f) => dl.where(f.v3, 1, 0), /^where: condition must be bool, got float32 \[3\]/],
  ['where broadcast', (f) => dl.where(f.b3, f.z([2, 2]), 0), /^where: shapes \[3\] and \[2,2\]/],
  ['reshape size', (f) => dl.reshape(f.a23, [4]), /^reshape: cannot reshape \[2,3\] .*\[4\]/],
  ['reshape -1', (f) => f.a23.reshape([4, -1]), /^reshape: cannot reshape \[2,3\] to \[4,-1\]/],
  ['reshape two -1', (f) => f.a23.reshape([-1, -1]), /^reshape: at most one -1 in \[-1,-1\]/],
  [
    'transpose perm',
    (f) => dl.transpose(f.a23, [0, 0]),
    /^transpose: perm \[0,0\] is not a permutation .*\[2,3\]/,
  ],
  ['sum axis', (f) => dl.sum(f.a23, 2), /^sum: axis 2 is out of range for a tensor of rank 2$/],
  ['mean repeated axis', (f) => dl.mean(f.a23, [1, -1]), /^mean: repeated axis in \[1,-1\]/],
  ['max of an empty axis', (f) => dl.max(f.e0), /^max: cannot reduce an empty axis of \[0\]/],
  ['argMax of a scalar', (f) => dl.argMax(f.s), /^argMax: axis 0 is out of range for a tensor of rank 0/],
  ['argMin axis', (f) => dl.argMin(f.a23, -3), /^argMin: axis -3 is out of range for a tensor of rank 2/],
  ['squeeze a non-1 axis', (f) => dl.squeeze(f.a23, 0), /^squeeze: axis 0 of \[2,3\] has size 2, not 1/],
  ['expandDims axis', (f) => dl.expandDims(f.v3, 3), /^expandDims: axis 3 is out of range/],
  [
    'concat shapes',
    (f) => dl.concat([f.a23, f.b45]),
    /^concat: shapes float32 \[2,3\], float32 \[4,5\] differ off axis 0/,
  ],
  ['concat dtypes', (f) => dl.concat([f.v3, f.i3]), /^concat: shapes float32 \[3\], int32 \[3\]/],
  ['concat nothing', () => dl.concat([]), /^concat: needs at least one tensor/],
  ['concat scalars', (f) => dl.concat([f.s, f.s]), /^concat: axis 0 is out of range for a tensor of rank 0/],
  ['stack shapes', (f) => dl.stack([f.v3, f.a23]), /^stack: shapes float32 \[3\], float32 \[2,3\] differ/],
  [
    'split uneven',
    (f) => dl.split(f.a23, 2, 1),
    /^split: axis 1 of \[2,3\] \(size 3\) cannot be split into 2 equal parts/,
  ],
  ['split sizes', (f) => dl.split(f.a23, [1, 1], 1), /^split: sizes \[1,1\] do not add up to 3/],
  [
    'slice bounds',
    (f) => dl.slice(f.a23, [1, 1], [2, 1]),
    /^slice: begin \[1,1\] size \[2,1\] out of bounds for \[2,3\]/,
  ],
  ['slice rank', (f) => dl.slice(f.a23, [0], [1]), /^slice: begin \[0\] does not match rank 2 of \[2,3\]/],
  ['gather indices dtype', (f) => dl.gather(f.a23, f.v3), /^gather: indices must be int32, got float32/],
  [
    'gather index range',
    (f) => dl.gather(f.a23, [0, 2]),
    /^gather: index 2 is out of range \[0, 2\) for axis 0 of \[2,3\]/,
  ],
  ['gather axis', (f) => dl.gather(f.a23, [0], 2), /^gather: axis 2 is out of range for a tensor of rank 2/],
  ['pad pairs', (f) => dl.pad(f.a23, [[1, 1]]), /^pad: paddings \[\[1,1\]\] must be 2 pairs .*\[2,3\]/],
  ['pad negative', (f) => dl.pad(f.v3, [[-1, 0]]), /^pad: paddings/],
  ['tile reps', (f) => dl.tile(f.a23, [2]), /^tile: reps \[2\] must be 2 non-negative integers for \[2,3\]/],
  ['broadcastTo incompatible', (f) => dl.broadcastTo(f.a23, [3, 3]), /^broadcastTo: .*\[2,3\].*\[3,3\]/],
  ['broadcastTo lower rank', (f) => dl.broadcastTo(f.a23, [3]), /^broadcastTo: .*\[2,3\].*\[3\]/],
  [
    'conv2d channels',
    (f) => dl.conv2d(f.img, f.z([3, 3, 2, 1])),
    /^conv2d: filter \[3,3,2,1\] must be \[fh, fw, 1, outC\] for input \[1,4,4,1\]/,
  ],
  [
    'conv2d rank',
    (f) => dl.conv2d(f.a23, f.z([1, 1, 3, 1])),
    /^conv2d: input must be rank 4 \(NHWC\) or 3 \(HWC\), got \[2,3\]/,
  ],
  [
    'conv2d padding',
    (f) => dl.conv2d(f.img, f.z([1, 1, 1, 1]), { padding: 'SAME' as 'same' }),
    /^conv2d: padding must be 'same' or 'valid', got 'SAME'/,
  ],
  [
    'conv2d strides',
    (f) => dl.conv2d(f.img, f.z([1, 1, 1, 1]), { strides: 0 }),
    /^conv2d: strides must be positive integers, got \[0,0\]/,
  ],
  [
    'conv2d strides with dilations',
    (f) => dl.conv2d(f.img, f.z([1, 1, 1, 1]), { strides: 2, dilations: 2 }),
    /^conv2d: strides \[2,2\] and dilations \[2,2\]/,
  ],
  [
    'conv2d dtype (rank-3 input)',
    (f) => dl.conv2d(f.hwc, f.z([1, 1, 1, 1])),
    /^conv2d: expects float32 tensors, got int32 \[4,4,1\]/,
  ],
  [
    'conv2d filter (rank-3 input)',
    (f) => dl.conv2d(f.z([4, 4, 1]), f.z([1, 1, 2, 1])),
    /^conv2d: filter \[1,1,2,1\]/,
  ],
  [
    'conv1d rank',
    (f) => dl.conv1d(f.img, f.z([1, 1, 1])),
    /^conv1d: input must be \[batch, width, channels\] .*\[1,4,4,1\]/,
  ],
  [
    'conv2dTranspose output',
    (f) => dl.conv2dTranspose(f.img, f.z([3, 3, 1, 1]), [1, 5, 5, 1], { strides: 2, padding: 'same' }),
    /^conv2dTranspose: output shape \[1,5,5,1\] is inconsistent with input \[1,4,4,1\]/,
  ],
  [
    'conv2dTranspose filter',
    (f) => dl.conv2dTranspose(f.img, f.z([3, 3, 1, 2]), [1, 4, 4, 1]),
    /^conv2dTranspose: filter \[3,3,1,2\] must be \[fh, fw, 1, 1\]/,
  ],
  [
    'depthwiseConv2d channels',
    (f) => dl.depthwiseConv2d(f.img, f.z([3, 3, 2, 1])),
    /^depthwiseConv2d: filter \[3,3,2,1\] must be \[fh, fw, 1, multiplier\]/,
  ],
  [
    'maxPool dtype (rank-3 input)',
    (f) => dl.maxPool(f.hwc, 2),
    /^maxPool: expects float32 tensors, got int32 \[4,4,1\]/,
  ],
  [
    'avgPool rank',
    (f) => dl.avgPool(f.a23, 2),
    /^avgPool: input must be rank 4 \(NHWC\) or 3 \(HWC\), got \[2,3\]/,
  ],
  ['maxPool pool size', (f) => dl.maxPool(f.img, 0), /^maxPool: .* must be positive integers/],
  [
    'avgPool strides (rank-3 input)',
    (f) => dl.avgPool(f.z([2, 2, 1]), 2, -1),
    /^avgPool: strides must be positive integers, got \[-1,-1\]/,
  ],
  ['softmax axis', (f) => dl.softmax(f.a23, 2), /^softmax: axis 2 is out of range for a tensor of rank 2/],
  [
    'logSoftmax of a scalar',
    (f) => dl.logSoftmax(f.s),
    /^logSoftmax: axis -1 is out of range for a tensor of rank 0/,
  ],
  ['dropout rate', (f) => dl.dropout(f.v3, 1), /^dropout: rate must be in \[0, 1\), got 1/],
  ['clipByValue bounds', (f) => dl.clipByValue(f.v3, 2, 1), /^clipByValue: min \(2\) must be <= max \(1\)/],
  ['cast dtype', (f) => dl.cast(f.v3, 'float64' as dl.DType), /^cast: unknown dtype 'float64'/],
  ['oneHot depth', () => dl.oneHot([0, 1], 0), /^oneHot: depth must be a positive integer, got 0/],
  ['oneHot indices dtype', (f) => dl.oneHot(f.v3, 3), /^oneHot: indices must be int32, got float32/],
  ['tensor ragged', () => dl.tensor([[1, 2], [3]]), /^tensor: ragged nested array/],
  [
    'tensor size',
    () => dl.tensor([1, 2, 3], [2, 2]),
    /^tensor: 3 values do not fill shape \[2,2\] \(4 elements\)/,
  ],
  ['tensor shape', () => dl.tensor([1], [-1]), /^tensor: invalid shape \[-1\]/],
  ['zeros shape', () => dl.zeros([2, 1.5]), /invalid shape \[2,1.5\]/],
  ['eye size', () => dl.eye(-1), /^eye: invalid shape \[-1\]/],
  ['range step', () => dl.range(0, 1, 0), /^range: step must not be 0/],
  ['linspace count', () => dl.linspace(0, 1, -1), /^linspace: n must be a non-negative integer, got -1/],
  [
    'randomNormal stddev',
    () => dl.randomNormal([2], { stddev: -1 }),
    /^randomNormal: stddev must be >= 0, got -1/,
  ],
  [
    'randomUniform range',
    () => dl.randomUniform([2], { minval: 1, maxval: 0 }),
    /^randomUniform: maxval \(0\) must be >= minval \(1\)/,
  ],
  ['randomUniform shape', () => dl.randomUniform([-2]), /^randomUniform: invalid shape \[-2\]/],
];

/** Registers the bad-input part of the op suite. */
export function describeErrors(): void {
  describe('bad input throws at the call, naming the op and the shapes, leaking nothing', () => {
    it.each(CASES)('%s', (_n, fn, message) => {
      const f = fixtures();
      const before = dl.memory().numTensors;
      expect(() => fn(f)).toThrow(message);
      expect(dl.memory().numTensors - f.made.length, 'tensors leaked by the failed call').toBe(before);
      dl.dispose([f.a23, f.b45, f.v3, f.i3, f.b3, f.s, f.img, f.hwc, f.e0, ...f.made]);
    });

    it('variables reject values of another shape or dtype', () => {
      const v = dl.variable(dl.zeros([3]), { name: 'w' });
      expect(() => v.assign(dl.zeros([2]))).toThrow(
        /^assign: variable 'w' is float32 \[3\], value is float32 \[2\]/,
      );
      expect(() => v.assignAdd(dl.zeros([3], 'int32'))).toThrow(
        /^assignAdd: variable 'w' is float32 \[3\], value is int32 \[3\]/,
      );
      expect(() => v.assignSub([1, 2])).toThrow(
        /^assignSub: variable 'w' is float32 \[3\], value is float32 \[2\]/,
      );
    });

    it('item needs exactly one element', async () => {
      await expect(make([2, 3], [1, 2, 3, 4, 5, 6]).item()).rejects.toThrow(
        /^item: tensor has 6 elements \(shape \[2,3\]\), not 1/,
      );
    });

    it('using a disposed tensor throws a clear error naming the op', async () => {
      const t = make([2, 3], [1, 2, 3, 4, 5, 6]);
      t.dispose();
      expect(t.isDisposed).toBe(true);
      expect(() => t.add(1)).toThrow(/^add: tensor \[2,3\] float32 \(id \d+\) was disposed/);
      expect(() => dl.matmul(t, t, { transposeB: true })).toThrow(
        /^matmul: tensor \[2,3\] float32 .* was disposed/,
      );
      expect(() => t.reshape([6])).toThrow(/^reshape: .*was disposed/);
      await expect(t.data()).rejects.toThrow(/^data: .*was disposed/);
      await expect(t.array()).rejects.toThrow(/was disposed/);
      expect(() => t.dispose()).not.toThrow();
      const v = dl.variable(dl.zeros([1]));
      v.dispose();
      expect(() => v.assign(dl.zeros([1]))).toThrow(/^assign: .*was disposed/);
    });

    it('setBackend rejects an unknown backend; tidy rejects async functions', async () => {
      await expect(dl.setBackend('nope')).rejects.toThrow(/^setBackend: unknown backend 'nope'/);
      expect(() => dl.tidy(() => Promise.resolve(1))).toThrow(/^tidy: the function must be synchronous/);
    });
  });
}
