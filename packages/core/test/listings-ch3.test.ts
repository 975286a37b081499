// Listings 3.1 to 3.9 of the Keras/TensorFlow introduction (Deep Learning with Python, ch. 3),
// translated to TypeScript: constant tensors, random tensors, immutability, variables, basic math.
import { beforeAll, describe, expect, it } from 'vitest';
import * as dl from '@webdl/core';

beforeAll(async () => {
  await dl.setBackend('cpu');
});

describe('Listings 3.1 to 3.9', () => {
  it('3.1 all-ones or all-zeros tensors', async () => {
    let x = dl.ones([2, 1]);
    expect(await x.str()).toBe('tensor([[1.],\n        [1.]], shape=[2,1], dtype=float32)');
    x = dl.zeros([2, 1]);
    expect(await x.array()).toEqual([[0], [0]]);
    expect(x.dtype).toBe('float32');
  });

  it('3.2 random tensors', async () => {
    let x = dl.randomNormal([3, 1], { mean: 0, stddev: 1 });
    expect(x.shape).toEqual([3, 1]);
    expect((await x.data()).every(Number.isFinite)).toBe(true);
    x = dl.randomUniform([3, 1], { minval: 0, maxval: 1 });
    expect(x.shape).toEqual([3, 1]);
    for (const v of await x.data()) expect(v >= 0 && v < 1).toBe(true);
  });

  it('3.3 NumPy arrays are assignable: so are the plain arrays array() returns, without touching the tensor', async () => {
    const t = dl.ones([2, 2]);
    const x = (await t.array()) as number[][];
    x[0][0] = 0;
    expect(x).toEqual([
      [0, 1],
      [1, 1],
    ]);
    expect(await t.array()).toEqual([
      [1, 1],
      [1, 1],
    ]);
  });

  it('3.4 tensors are not assignable', async () => {
    const x = dl.ones([2, 2]);
    // @ts-expect-error: a Tensor has no assign(); only a Variable does.
    expect(() => x.assign(dl.zeros([2, 2]))).toThrow(TypeError);
    // Its shape is frozen, and data() hands out a copy.
    expect(() => {
      (x.shape as number[])[0] = 0;
    }).toThrow(TypeError);
    const values = await x.data();
    values[0] = 0;
    expect(Array.from(await x.data())).toEqual([1, 1, 1, 1]);
  });

  it('3.5 creating a variable', async () => {
    const v = dl.variable(dl.randomNormal([3, 1], { seed: 1 }));
    expect(v).toBeInstanceOf(dl.Variable);
    expect(v.shape).toEqual([3, 1]);
    expect(v.trainable).toBe(true);
    // Like TensorFlow's print: values aligned on the decimal point, then shape and dtype.
    expect(await v.str()).toMatch(
      /^tensor\(\[\[ *-?\d\.\d+ *\],\n {8}\[ *-?\d\.\d+ *\],\n {8}\[ *-?\d\.\d+ *\]\], shape=\[3,1\], dtype=float32\)$/,
    );
  });

  it('3.6 to 3.8 assign, assign to a subset of coefficients, assignAdd', async () => {
    const v = dl.variable(dl.randomNormal([3, 1]));
    v.assign(dl.ones([3, 1]));
    expect(await v.array()).toEqual([[1], [1], [1]]);
    // v[0, 0].assign(3.): there is no slice assignment; compose it from a mask.
    const first = dl.tensor([[true], [false], [false]]);
    v.assign(dl.where(first, 3, v));
    expect(await v.array()).toEqual([[3], [1], [1]]);
    v.assignAdd(dl.ones([3, 1]));
    expect(await v.array()).toEqual([[4], [2], [2]]);
  });

  it('3.9 a few basic math operations', async () => {
    const a = dl.ones([2, 2]);
    const b = dl.square(a);
    const c = dl.sqrt(a);
    const d = b.add(c);
    let e = dl.matmul(a, b);
    e = e.mul(d);
    expect(await d.array()).toEqual([
      [2, 2],
      [2, 2],
    ]);
    expect(await e.array()).toEqual([
      [4, 4],
      [4, 4],
    ]);
  });
});
