// Reading and printing tensors: data/array/item, str/print (NumPy-like) and synchronous toString.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import * as dl from '@webdl/core';

beforeAll(async () => {
  await dl.setBackend('cpu');
});

describe('reading values', () => {
  it('data returns the typed array of the dtype, as a copy', async () => {
    const f = await dl.tensor([1.5, 2]).data();
    expect(f).toBeInstanceOf(Float32Array);
    expect(await dl.tensor([1, 2], [2], 'int32').data()).toBeInstanceOf(Int32Array);
    expect(await dl.tensor([true, false]).data()).toBeInstanceOf(Uint8Array);
    const t = dl.tensor([1, 2]);
    (await t.data())[0] = 9;
    expect(Array.from(await t.data())).toEqual([1, 2]);
  });

  it('array returns nested arrays (a number for 0-d, empty arrays for empty dims)', async () => {
    expect(
      await dl
        .tensor([
          [1, 2, 3],
          [4, 5, 6],
        ])
        .array(),
    ).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(await dl.scalar(4).array()).toBe(4);
    expect(await dl.zeros([2, 0]).array()).toEqual([[], []]);
    expect(await dl.zeros([0, 2]).array()).toEqual([]);
    expect(await dl.ones([1, 1, 2], 'int32').array()).toEqual([[[1, 1]]]);
  });

  it('item returns the single value', async () => {
    expect(await dl.scalar(2.5).item()).toBe(2.5);
    expect(await dl.tensor([[7]], undefined, 'int32').item()).toBe(7);
  });
});

describe('formatting', () => {
  it('toString is synchronous: kind, dtype, shape and backend', () => {
    expect(dl.zeros([2, 3]).toString()).toBe('Tensor float32 [2,3] on cpu');
    expect(dl.scalar(1, 'int32').toString()).toBe('Tensor int32 [] on cpu');
    expect(String(dl.variable(dl.zeros([1]), { name: 'v' }))).toBe('Variable float32 [1] on cpu');
  });

  const cases: [string, () => dl.Tensor, string][] = [
    ['a float scalar', () => dl.scalar(3), 'tensor(3., shape=[], dtype=float32)'],
    [
      'floats aligned on the point',
      () => dl.tensor([0.1, 0.125, -20]),
      'tensor([  0.1  ,   0.125, -20.   ], shape=[3], dtype=float32)',
    ],
    [
      'float32 shortest digits',
      () => dl.tensor([0.1, 1 / 3]),
      'tensor([0.1       , 0.33333334], shape=[2], dtype=float32)',
    ],
    [
      'scientific when magnitudes call for it',
      () => dl.tensor([1e-5, 1.2345]),
      'tensor([1.0000e-05, 1.2345e+00], shape=[2], dtype=float32)',
    ],
    ['large values', () => dl.tensor([1e9]), 'tensor([1.e+09], shape=[1], dtype=float32)'],
    [
      'nan and inf',
      () => dl.tensor([NaN, 1, -Infinity]),
      'tensor([ nan,   1., -inf], shape=[3], dtype=float32)',
    ],
    [
      'a matrix',
      () =>
        dl.tensor([
          [1, 2],
          [3, 40],
        ]),
      'tensor([[ 1.,  2.],\n        [ 3., 40.]], shape=[2,2], dtype=float32)',
    ],
    [
      'int32',
      () => dl.tensor([[1, -20]], undefined, 'int32'),
      'tensor([[  1, -20]], shape=[1,2], dtype=int32)',
    ],
    ['bool', () => dl.tensor([true, false]), 'tensor([ true, false], shape=[2], dtype=bool)'],
    ['empty', () => dl.zeros([0]), 'tensor([], shape=[0], dtype=float32)'],
    [
      '3-d',
      () => dl.range(0, 8, 1, 'int32').reshape([2, 2, 2]),
      'tensor([[[0, 1],\n         [2, 3]],\n        [[4, 5],\n         [6, 7]]], shape=[2,2,2], dtype=int32)',
    ],
    [
      'no summary up to 1000 values',
      () => dl.range(0, 10, 1, 'int32'),
      'tensor([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], shape=[10], dtype=int32)',
    ],
  ];
  it.each(cases)('str: %s', async (_n, make, want) => {
    expect(await make().str()).toBe(want);
  });

  it('str summarizes more than 1000 values with 3 at each edge', async () => {
    const s = await dl.range(0, 2000, 1, 'int32').str();
    expect(s).toBe('tensor([   0,    1,    2, ..., 1997, 1998, 1999], shape=[2000], dtype=int32)');
    expect(await dl.zeros([300, 300]).str()).toMatch(
      /^tensor\(\[\[0\., 0\., 0\., \.\.\., 0\., 0\., 0\.\],\n {8}\[0\./,
    );
  });

  it('print writes str to the console', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    await dl.tensor([1, 2]).print();
    expect(log).toHaveBeenCalledWith('tensor([1., 2.], shape=[2], dtype=float32)');
    log.mockRestore();
  });
});
