// Op cases for matmul, data movement, convolution, pooling and their gradients (see op-cases.ts for the format).
import * as core from '@webdl/core';
import type { Tensor } from '@webdl/core';
import type { InputSpec, OpCase } from './op-cases.js';
import { ACC, EXACT, F32 } from './compare.js';

const f = (...shape: number[]): InputSpec => ({ shape });
const int = (...shape: number[]): InputSpec => ({ shape, dtype: 'int32', lo: -20, hi: 20 });

const MATMUL_CASES: OpCase[] = [];
for (const [ta, tb] of [
  [false, false],
  [true, false],
  [false, true],
  [true, true],
] as const) {
  MATMUL_CASES.push({
    name: `matmul 37x53x29 batch 3${ta ? ' transposeA' : ''}${tb ? ' transposeB' : ''}`,
    inputs: [f(3, ...(ta ? [53, 37] : [37, 53])), f(3, ...(tb ? [29, 53] : [53, 29]))],
    run: ([a, b]) => core.matmul(a, b, { transposeA: ta, transposeB: tb }),
    tol: ACC,
  });
}
// Large enough (batch * M * N * K >= 256³) for the subgroup (quad) kernel of CPU adapters, with edge tiles on every side.
MATMUL_CASES.push(
  {
    name: 'matmul quad path batch broadcast [2,130,256] x [1,256,260]',
    inputs: [f(2, 130, 256), f(1, 256, 260)],
    run: ([a, b]) => core.matmul(a, b),
    tol: ACC,
  },
  {
    name: 'matmul quad path transposeB [1,136,256] x [2,250,256]',
    inputs: [f(1, 136, 256), f(2, 250, 256)],
    run: ([a, b]) => core.matmul(a, b, { transposeB: true }),
    tol: ACC,
  },
  {
    name: 'matmul quad path int32 [1,75,256] x [1,256,900]',
    inputs: [int(1, 75, 256), int(1, 256, 900)],
    run: ([a, b]) => core.matmul(a, b),
    tol: EXACT,
  },
  {
    name: 'matmul quad path transposeA, K % 4 = 3 [2,259,70] x [2,259,930]',
    inputs: [f(2, 259, 70), f(2, 259, 930)],
    run: ([a, b]) => core.matmul(a, b, { transposeA: true }),
    tol: ACC,
  },
  {
    // 8 x 4 blocks (work below 256³), as in an MLP's backward pass: K = 10, N not a multiple of 16.
    name: 'matmul quad path 8x4 blocks, K = 10, transposeB [1,128,10] x [1,130,10]',
    inputs: [f(1, 128, 10), f(1, 130, 10)],
    run: ([a, b]) => core.matmul(a, b, { transposeB: true }),
    tol: ACC,
  },
  {
    name: 'matmul quad path 8x4 blocks, transposeA, edge tiles [1,40,133] x [1,40,33]',
    inputs: [f(1, 40, 133), f(1, 40, 33)],
    run: ([a, b]) => core.matmul(a, b, { transposeA: true }),
    tol: ACC,
  },
  {
    // 81 groups of 64 x 64: the GPU core's 16 x 16 tile (smaller outputs take 8 x 8), K not a multiple of its 16 steps.
    name: 'matmul GPU 16x16 tile [1,520,42] x [1,42,515]',
    inputs: [f(1, 520, 42), f(1, 42, 515)],
    run: ([a, b]) => core.matmul(a, b),
    tol: ACC,
  },
  {
    name: 'matmul quad path both transposed, batch broadcast [1,264,67] x [3,330,264]',
    inputs: [f(1, 264, 67), f(3, 330, 264)],
    run: ([a, b]) => core.matmul(a, b, { transposeA: true, transposeB: true }),
    tol: ACC,
  },
);
MATMUL_CASES.push(
  {
    name: 'matmul batch broadcast [1,5,7] x [4,7,3]',
    inputs: [f(1, 5, 7), f(4, 7, 3)],
    run: ([a, b]) => core.matmul(a, b),
    tol: ACC,
  },
  {
    name: 'matmul size-1 dims [1,1] x [1,1]',
    inputs: [f(1, 1), f(1, 1)],
    run: ([a, b]) => core.matmul(a, b),
    tol: ACC,
  },
  {
    name: 'matmul row vector [1,300] x [300,70]',
    inputs: [f(1, 300), f(300, 70)],
    run: ([a, b]) => core.matmul(a, b),
    tol: ACC,
  },
  {
    name: 'matmul column [65,1] x [1,66]',
    inputs: [f(65, 1), f(1, 66)],
    run: ([a, b]) => core.matmul(a, b),
    tol: ACC,
  },
  {
    name: 'matmul 128x128x128 (tile-aligned)',
    inputs: [f(128, 128), f(128, 128)],
    run: ([a, b]) => core.matmul(a, b),
    tol: ACC,
  },
  { name: 'matmul int32', inputs: [int(5, 6), int(6, 7)], run: ([a, b]) => core.matmul(a, b), tol: EXACT },
  { name: 'dot of vectors', inputs: [f(100), f(100)], run: ([a, b]) => core.dot(a, b), tol: ACC },
);

const SHAPE_CASES: OpCase[] = [
  {
    name: 'transpose [3,4,5] perm [2,0,1]',
    inputs: [f(3, 4, 5)],
    run: ([x]) => core.transpose(x, [2, 0, 1]),
    tol: EXACT,
  },
  {
    name: 'transpose [2,1,3,4] perm [3,1,0,2]',
    inputs: [f(2, 1, 3, 4)],
    run: ([x]) => core.transpose(x, [3, 1, 0, 2]),
    tol: EXACT,
  },
  { name: 'transpose int32 2-D', inputs: [int(7, 9)], run: ([x]) => core.transpose(x), tol: EXACT },
  {
    name: 'slice [5,6,7]',
    inputs: [f(5, 6, 7)],
    run: ([x]) => core.slice(x, [1, 2, 3], [3, 1, 4]),
    tol: EXACT,
  },
  {
    name: 'slice bool',
    inputs: [{ shape: [4, 6], dtype: 'bool' }],
    run: ([x]) => core.slice(x, [1, 1], [2, 4]),
    tol: EXACT,
  },
  {
    name: 'pad float with value',
    inputs: [f(3, 4)],
    run: ([x]) =>
      core.pad(
        x,
        [
          [1, 2],
          [0, 3],
        ],
        1.5,
      ),
    tol: EXACT,
  },
  {
    name: 'pad int32 rank 3',
    inputs: [int(2, 3, 2)],
    run: ([x]) =>
      core.pad(
        x,
        [
          [0, 1],
          [2, 0],
          [1, 1],
        ],
        7,
      ),
    tol: EXACT,
  },
  { name: 'concat axis 0', inputs: [f(2, 3), f(4, 3), f(1, 3)], run: (xs) => core.concat(xs, 0), tol: EXACT },
  {
    name: 'concat axis 1',
    inputs: [f(2, 3, 2), f(2, 1, 2), f(2, 5, 2)],
    run: (xs) => core.concat(xs, 1),
    tol: EXACT,
  },
  {
    name: 'concat last axis int32',
    inputs: [int(3, 2), int(3, 7)],
    run: (xs) => core.concat(xs, -1),
    tol: EXACT,
  },
  { name: 'stack', inputs: [f(2, 3), f(2, 3)], run: (xs) => core.stack(xs, 1), tol: EXACT },
  { name: 'split', inputs: [f(4, 6)], run: ([x]) => core.split(x, [1, 2, 3], 1), tol: EXACT },
  {
    name: 'gather axis 0',
    inputs: [f(6, 4), { shape: [5], dtype: 'int32', values: [5, 0, 2, 2, 1] }],
    run: ([x, i]) => core.gather(x, i, 0),
    tol: EXACT,
  },
  {
    name: 'gather axis 1 with 2-D indices',
    inputs: [f(3, 5, 2), { shape: [2, 2], dtype: 'int32', values: [4, 0, 3, 3] }],
    run: ([x, i]) => core.gather(x, i, 1),
    tol: EXACT,
  },
  { name: 'tile', inputs: [f(2, 3)], run: ([x]) => core.tile(x, [3, 2]), tol: EXACT },
  { name: 'tile rank 3 int32', inputs: [int(2, 1, 3)], run: ([x]) => core.tile(x, [1, 4, 2]), tol: EXACT },
  { name: 'broadcastTo', inputs: [f(3, 1)], run: ([x]) => core.broadcastTo(x, [2, 3, 4]), tol: EXACT },
  {
    name: 'oneHot',
    inputs: [{ shape: [4], dtype: 'int32', values: [0, 3, 1, 2] }],
    run: ([i]) => core.oneHot(i, 5),
    tol: EXACT,
  },
];

type ConvOpts = {
  strides?: number | [number, number];
  padding?: 'same' | 'valid';
  dilations?: number | [number, number];
};
const CONV_GEOMETRIES: [string, number[], number[], ConvOpts][] = [
  ['3x3 valid', [2, 9, 8, 3], [3, 3, 3, 5], { padding: 'valid' }],
  ['3x3 same stride 2', [2, 9, 8, 3], [3, 3, 3, 4], { padding: 'same', strides: 2 }],
  ['2x3 same dilation 2', [1, 10, 9, 2], [2, 3, 2, 3], { padding: 'same', dilations: 2 }],
  ['1x1 valid 17 channels', [1, 5, 5, 17], [1, 1, 17, 70], { padding: 'valid' }],
  ['4x4 valid stride [2,3]', [2, 11, 12, 3], [4, 4, 3, 2], { padding: 'valid', strides: [2, 3] }],
  // Enough output pixels that the CPU-adapter filter gradient sums them in several chunks (4 channels: one tap per register block).
  ['3x3 same 1300 pixels', [4, 19, 17, 4], [3, 3, 4, 6], { padding: 'same' }],
];

/** Sums f(x, w) against a fixed random upstream gradient, so grads of it test the backprop kernels with non-trivial dy. */
const weighted = (y: Tensor, seedShape: readonly number[]) =>
  core.sum(y.mul(core.randomUniform(seedShape, { minval: -1, maxval: 1, seed: 7 })));

const CONV_CASES: OpCase[] = [];
for (const [name, xs, ws, opts] of CONV_GEOMETRIES) {
  CONV_CASES.push(
    {
      name: `conv2d ${name}`,
      inputs: [f(...xs), f(...ws)],
      run: ([x, w]) => core.conv2d(x, w, opts),
      tol: ACC,
    },
    {
      name: `conv2d ${name} gradients (backprop input and filter)`,
      inputs: [f(...xs), f(...ws)],
      run: ([x, w]) =>
        core.grad((a: Tensor, b: Tensor) => {
          const y = core.conv2d(a, b, opts);
          return weighted(y, y.shape);
        })(x, w) as Tensor[],
      tol: ACC,
    },
  );
}
const DEPTHWISE: [string, number[], number[], ConvOpts][] = [
  ['3x3 same multiplier 2', [2, 7, 6, 3], [3, 3, 3, 2], { padding: 'same' }],
  ['2x2 valid stride 2 dilation 1', [1, 9, 9, 4], [2, 2, 4, 1], { padding: 'valid', strides: 2 }],
  ['3x3 valid dilation 2', [1, 9, 8, 2], [3, 3, 2, 3], { padding: 'valid', dilations: 2 }],
];
for (const [name, xs, ws, opts] of DEPTHWISE) {
  CONV_CASES.push(
    {
      name: `depthwiseConv2d ${name}`,
      inputs: [f(...xs), f(...ws)],
      run: ([x, w]) => core.depthwiseConv2d(x, w, opts),
      tol: ACC,
    },
    {
      name: `depthwiseConv2d ${name} gradients`,
      inputs: [f(...xs), f(...ws)],
      run: ([x, w]) =>
        core.grad((a: Tensor, b: Tensor) => {
          const y = core.depthwiseConv2d(a, b, opts);
          return weighted(y, y.shape);
        })(x, w) as Tensor[],
      tol: ACC,
    },
  );
}
CONV_CASES.push({
  name: 'conv2dTranspose stride 2 same',
  inputs: [f(2, 4, 5, 3), f(3, 3, 6, 3)],
  run: ([x, w]) => core.conv2dTranspose(x, w, [2, 8, 10, 6], { strides: 2, padding: 'same' }),
  tol: ACC,
});
CONV_CASES.push({
  name: 'conv1d',
  inputs: [f(2, 20, 3), f(5, 3, 4)],
  run: ([x, w]) => core.conv1d(x, w, { strides: 2, padding: 'same' }),
  tol: ACC,
});

const POOLS: [string, number | [number, number], number | [number, number] | undefined, 'same' | 'valid'][] =
  [
    ['2x2 valid', 2, 2, 'valid'],
    ['3x3 same stride 2', 3, 2, 'same'],
    ['3x2 same stride 1', [3, 2], 1, 'same'],
    ['3x3 valid stride [1,2]', 3, [1, 2], 'valid'],
    ['2x2 same stride 3 (disjoint windows with gaps)', 2, 3, 'same'],
  ];
for (const [name, size, strides, padding] of POOLS) {
  for (const op of ['maxPool', 'avgPool'] as const) {
    const fn = (x: Tensor) => core[op](x, size, strides, padding);
    CONV_CASES.push(
      {
        name: `${op} ${name}`,
        inputs: [f(2, 9, 7, 3)],
        run: ([x]) => fn(x),
        tol: op === 'maxPool' ? EXACT : F32,
      },
      {
        name: `${op} ${name} gradient`,
        inputs: [f(2, 9, 7, 3)],
        run: ([x]) =>
          core.grad((a: Tensor) => {
            const y = fn(a);
            return weighted(y, y.shape);
          })(x) as Tensor,
        tol: ACC,
      },
    );
  }
}

/** Matmul, shape and convolution cases by family. */
export const NN_CASES: Record<string, OpCase[]> = {
  matmul: MATMUL_CASES,
  shape: SHAPE_CASES,
  conv: CONV_CASES,
};
