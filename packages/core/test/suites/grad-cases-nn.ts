// Gradient-check cases for shape ops, matmul/dot, convolutions and pooling.
import * as dl from '@webdl/core';
import type { GradCase } from './gradcheck.js';
import * as R from './ref64.js';

const t = (x: R.Arr, perm: number[]) => R.transpose(x, perm);

export const shapeCases: GradCase[] = [
  {
    name: 'reshape [2,3,4]->[6,-1]',
    inputs: [[2, 3, 4]],
    f: (x) => dl.reshape(x, [6, -1]),
    ref: (x) => R.reshape(x, [6, 4]),
  },
  { name: 'flatten', inputs: [[2, 3]], f: (x) => dl.flatten(x), ref: (x) => R.reshape(x, [6]) },
  {
    name: 'expandDims 1',
    inputs: [[2, 3]],
    f: (x) => dl.expandDims(x, 1),
    ref: (x) => R.reshape(x, [2, 1, 3]),
  },
  { name: 'squeeze', inputs: [[2, 1, 3, 1]], f: (x) => dl.squeeze(x), ref: (x) => R.reshape(x, [2, 3]) },
  {
    name: 'transpose [2,0,1]',
    inputs: [[2, 3, 4]],
    f: (x) => dl.transpose(x, [2, 0, 1]),
    ref: (x) => t(x, [2, 0, 1]),
  },
  { name: 'transpose default', inputs: [[2, 3]], f: (x) => dl.transpose(x), ref: (x) => t(x, [1, 0]) },
  {
    name: 'concat axis 1 of three',
    inputs: [
      [2, 3],
      [2, 1],
      [2, 2],
    ],
    f: (a, b, c) => dl.concat([a, b, c], 1),
    ref: (a, b, c) => R.concat([a, b, c], 1),
  },
  {
    name: 'concat axis 0',
    inputs: [
      [1, 3],
      [2, 3],
    ],
    f: (a, b) => dl.concat([a, b]),
    ref: (a, b) => R.concat([a, b], 0),
  },
  {
    name: 'stack axis 1',
    inputs: [
      [2, 3],
      [2, 3],
    ],
    f: (a, b) => dl.stack([a, b], 1),
    ref: (a, b) => R.concat([R.reshape(a, [2, 1, 3]), R.reshape(b, [2, 1, 3])], 1),
  },
  {
    name: 'split sizes [1,2,3] axis 1 (three outputs)',
    inputs: [[2, 6]],
    f: (x) => dl.split(x, [1, 2, 3], 1),
    ref: (x) => [R.slice(x, [0, 0], [2, 1]), R.slice(x, [0, 1], [2, 2]), R.slice(x, [0, 3], [2, 3])],
  },
  {
    name: 'split 2 equal, one output used',
    inputs: [[4, 2]],
    f: (x) => dl.split(x, 2)[1],
    ref: (x) => R.slice(x, [2, 0], [2, 2]),
  },
  {
    name: 'slice [3,4,5] begin [1,0,2] size [2,-1,2]',
    inputs: [[3, 4, 5]],
    f: (x) => dl.slice(x, [1, 0, 2], [2, -1, 2]),
    ref: (x) => R.slice(x, [1, 0, 2], [2, 4, 2]),
  },
  {
    name: 'gather axis 0, repeated indices',
    inputs: [[4, 3]],
    f: (x) => dl.gather(x, [2, 0, 2, 3]),
    ref: (x) => R.gather(x, [2, 0, 2, 3], [4], 0),
  },
  {
    name: 'gather axis 1, 2-d indices',
    inputs: [[2, 5, 3]],
    f: (x) =>
      dl.gather(
        x,
        dl.tensor(
          [
            [4, 1],
            [1, 0],
            [3, 3],
          ],
          undefined,
          'int32',
        ),
        1,
      ),
    ref: (x) => R.gather(x, [4, 1, 1, 0, 3, 3], [3, 2], 1),
  },
  {
    name: 'pad [[1,0],[2,1]] value 0.5',
    inputs: [[2, 3]],
    f: (x) =>
      dl.pad(
        x,
        [
          [1, 0],
          [2, 1],
        ],
        0.5,
      ),
    ref: (x) =>
      R.pad(
        x,
        [
          [1, 0],
          [2, 1],
        ],
        0.5,
      ),
  },
  {
    name: 'tile [2,1,3] x [1,3,2]',
    inputs: [[2, 1, 3]],
    f: (x) => dl.tile(x, [1, 3, 2]),
    ref: (x) => R.tile(x, [1, 3, 2]),
  },
  {
    name: 'tile [2,3] x [2,1]',
    inputs: [[2, 3]],
    f: (x) => dl.tile(x, [2, 1]),
    ref: (x) => R.tile(x, [2, 1]),
  },
  {
    name: 'broadcastTo [3,1] -> [2,3,4]',
    inputs: [[3, 1]],
    f: (x) => dl.broadcastTo(x, [2, 3, 4]),
    ref: (x) => R.broadcastTo(x, [2, 3, 4]),
  },
];

const mm = (ta: boolean, tb: boolean, a: number[], b: number[]): GradCase => ({
  name: `matmul ${JSON.stringify(a)}x${JSON.stringify(b)} transposeA=${ta} transposeB=${tb}`,
  inputs: [a, b],
  f: (x, y) => dl.matmul(x, y, { transposeA: ta, transposeB: tb }),
  ref: (x, y) => R.matmul(x, y, ta, tb),
});

export const matmulCases: GradCase[] = [
  mm(false, false, [3, 4], [4, 5]),
  mm(true, false, [4, 3], [4, 5]),
  mm(false, true, [3, 4], [5, 4]),
  mm(true, true, [4, 3], [5, 4]),
  mm(false, false, [2, 1, 3, 4], [3, 4, 2]),
  mm(true, false, [4, 3], [2, 4, 2]),
  mm(false, true, [2, 3, 4], [1, 5, 4]),
  mm(true, true, [3, 1, 4, 2], [2, 3, 4]),
  {
    name: 'dot vector . vector',
    inputs: [[4], [4]],
    f: dl.dot,
    ref: (a, b) => R.reshape(R.matmul(R.reshape(a, [1, 4]), R.reshape(b, [4, 1])), []),
  },
  {
    name: 'dot matrix . vector',
    inputs: [[3, 4], [4]],
    f: dl.dot,
    ref: (a, b) => R.reshape(R.matmul(a, R.reshape(b, [4, 1])), [3]),
  },
];

type Pad = 'same' | 'valid';
const geo = (s: number, padding: Pad, d = 1): R.Geo => ({ strides: [s, s], padding, dilations: [d, d] });
const opts = (s: number, padding: Pad, d = 1) => ({ strides: s, padding, dilations: d });

const conv = (x: number[], f: number[], s: number, p: Pad, d = 1): GradCase => ({
  name: `conv2d x${JSON.stringify(x)} f${JSON.stringify(f)} stride ${s} ${p} dilation ${d}`,
  inputs: [x, f],
  f: (a, b) => dl.conv2d(a, b, opts(s, p, d)),
  ref: (a, b) => R.conv2d(a, b, geo(s, p, d)),
  tol: 2e-4,
});

const convT = (x: number[], f: number[], out: number[], s: number, p: Pad): GradCase => ({
  name: `conv2dTranspose x${JSON.stringify(x)} f${JSON.stringify(f)} -> ${JSON.stringify(out)} stride ${s} ${p}`,
  inputs: [x, f],
  f: (a, b) => dl.conv2dTranspose(a, b, out, opts(s, p)),
  ref: (a, b) => R.conv2dTranspose(a, b, out, geo(s, p)),
  tol: 2e-4,
});

const depthwise = (x: number[], f: number[], s: number, p: Pad, d = 1): GradCase => ({
  name: `depthwiseConv2d x${JSON.stringify(x)} f${JSON.stringify(f)} stride ${s} ${p} dilation ${d}`,
  inputs: [x, f],
  f: (a, b) => dl.depthwiseConv2d(a, b, opts(s, p, d)),
  ref: (a, b) => R.depthwiseConv2d(a, b, geo(s, p, d)),
  tol: 2e-4,
});

const pool = (op: 'max' | 'avg', x: number[], size: number, s: number, p: Pad): GradCase => ({
  name: `${op}Pool x${JSON.stringify(x)} size ${size} stride ${s} ${p}`,
  inputs: [x],
  f: (a) => (op === 'max' ? dl.maxPool(a, size, s, p) : dl.avgPool(a, size, s, p)),
  ref: (a) => R.pool(a, op, [size, size], geo(s, p)),
});

export const convCases: GradCase[] = [
  conv([2, 5, 5, 2], [3, 3, 2, 3], 1, 'valid'),
  conv([1, 6, 5, 2], [3, 2, 2, 2], 2, 'same'),
  conv([1, 5, 6, 1], [2, 3, 1, 2], 2, 'valid'),
  conv([1, 6, 6, 2], [3, 3, 2, 1], 1, 'same', 2),
  {
    name: 'conv2d rank-3 input (HWC)',
    inputs: [
      [4, 4, 2],
      [2, 2, 2, 2],
    ],
    f: (a, b) => dl.conv2d(a, b),
    ref: (a, b) => {
      const y = R.conv2d(R.reshape(a, [1, 4, 4, 2]), b);
      return R.reshape(y, y.shape.slice(1));
    },
  },
  {
    name: 'conv1d [2,7,2] f [3,2,3] stride 2 same',
    inputs: [
      [2, 7, 2],
      [3, 2, 3],
    ],
    f: (a, b) => dl.conv1d(a, b, { strides: 2, padding: 'same' }),
    ref: (a, b) => {
      const y = R.conv2d(R.reshape(a, [2, 1, 7, 2]), R.reshape(b, [1, 3, 2, 3]), {
        strides: [1, 2],
        padding: 'same',
      });
      return R.reshape(y, [2, y.shape[2], 3]);
    },
  },
  convT([1, 3, 3, 3], [3, 3, 2, 3], [1, 5, 5, 2], 2, 'same'),
  convT([2, 3, 3, 2], [3, 3, 2, 2], [2, 5, 5, 2], 1, 'valid'),
  convT([1, 2, 3, 2], [2, 2, 1, 2], [1, 4, 6, 1], 2, 'valid'),
  depthwise([1, 5, 5, 2], [3, 3, 2, 2], 2, 'same'),
  depthwise([2, 4, 4, 3], [2, 2, 3, 1], 1, 'valid'),
  depthwise([1, 6, 6, 2], [3, 3, 2, 1], 1, 'same', 2),
  pool('max', [1, 4, 5, 2], 2, 2, 'valid'),
  pool('max', [2, 5, 5, 1], 3, 2, 'same'),
  pool('max', [1, 4, 4, 2], 2, 1, 'same'),
  pool('avg', [1, 4, 5, 2], 2, 2, 'valid'),
  pool('avg', [2, 5, 5, 1], 3, 2, 'same'),
  pool('avg', [1, 4, 4, 2], 3, 1, 'same'),
];
