// Creation ops (tensor, scalar, fills, eye, range, linspace, oneHot), seeded random ops (reproducible,
// equal to core's counter-based reference generator, right statistics) and variables.
import { describe, expect, it } from 'vitest';
import * as dl from '@webdl/core';
import { EXACT, expectTensor, make, tol } from './helpers.js';

/** Sample mean and standard deviation. */
function stats(v: ArrayLike<number>): { mean: number; std: number } {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i];
  const mean = s / v.length;
  let q = 0;
  for (let i = 0; i < v.length; i++) q += (v[i] - mean) ** 2;
  return { mean, std: Math.sqrt(q / v.length) };
}

/** Registers the creation/random/variable part of the op suite. */
export function describeCreation(): void {
  describe('creation ops', () => {
    it('tensor infers shape and dtype from numbers, booleans, nested arrays and typed arrays', async () => {
      await expectTensor(dl.tensor(3), [], [3], EXACT, 'float32');
      await expectTensor(dl.tensor(true), [], [1], EXACT, 'bool');
      await expectTensor(
        dl.tensor([
          [1, 2, 3],
          [4, 5, 6],
        ]),
        [2, 3],
        [1, 2, 3, 4, 5, 6],
        EXACT,
        'float32',
      );
      await expectTensor(dl.tensor([[true], [false]]), [2, 1], [1, 0], EXACT, 'bool');
      await expectTensor(dl.tensor(new Int32Array([1, -2])), [2], [1, -2], EXACT, 'int32');
      await expectTensor(
        dl.tensor(new Float32Array([0.5, 2, 3, 4]), [2, 2]),
        [2, 2],
        [0.5, 2, 3, 4],
        EXACT,
        'float32',
      );
      await expectTensor(dl.tensor(new Uint8Array([1, 0, 1])), [3], [1, 0, 1], EXACT, 'bool');
      await expectTensor(dl.tensor([1.7, -1.7, 3], [3], 'int32'), [3], [1, -1, 3], EXACT, 'int32');
      await expectTensor(dl.tensor([2, 0, -1], undefined, 'bool'), [3], [1, 0, 1], EXACT, 'bool');
      await expectTensor(dl.tensor([1, 2, 3, 4, 5, 6], [3, 1, 2]), [3, 1, 2], [1, 2, 3, 4, 5, 6]);
      await expectTensor(dl.tensor(7, [2, 2]), [2, 2], [7, 7, 7, 7]);
      await expectTensor(dl.tensor([]), [0], []);
      await expectTensor(dl.tensor([[]]), [1, 0], []);
      await expectTensor(dl.tensor([], [2, 0, 3]), [2, 0, 3], []);
      await expectTensor(dl.scalar(2.5), [], [2.5], EXACT, 'float32');
      await expectTensor(dl.scalar(2, 'int32'), [], [2], EXACT, 'int32');
      await expectTensor(dl.scalar(false), [], [0], EXACT, 'bool');
    });

    it('tensor copies its input: mutating the source array or shape afterwards changes nothing', async () => {
      const values = new Float32Array([1, 2]);
      const shape = [2, 1];
      const t = dl.tensor(values, shape);
      const z = dl.zeros(shape);
      values[0] = 9;
      shape[0] = 5;
      await expectTensor(t, [2, 1], [1, 2]);
      expect(z.shape).toEqual([2, 1]);
    });

    it('zeros, ones, fill, zerosLike, onesLike (all dtypes, empty and 0-d)', async () => {
      await expectTensor(dl.zeros([2, 3]), [2, 3], new Array<number>(6).fill(0), EXACT, 'float32');
      await expectTensor(dl.ones([2], 'int32'), [2], [1, 1], EXACT, 'int32');
      await expectTensor(dl.ones([]), [], [1]);
      await expectTensor(dl.zeros([0, 4]), [0, 4], []);
      await expectTensor(dl.fill([3], 7.5), [3], [7.5, 7.5, 7.5]);
      await expectTensor(dl.fill([2], 3, 'bool'), [2], [1, 1], EXACT, 'bool');
      const i = make([2, 1], [4, 5], 'int32');
      await expectTensor(dl.zerosLike(i), [2, 1], [0, 0], EXACT, 'int32');
      await expectTensor(dl.onesLike(make([3], [1, 0, 1], 'bool')), [3], [1, 1, 1], EXACT, 'bool');
    });

    it('eye, range, linspace', async () => {
      await expectTensor(dl.eye(3), [3, 3], [1, 0, 0, 0, 1, 0, 0, 0, 1]);
      await expectTensor(dl.eye(1), [1, 1], [1]);
      await expectTensor(dl.eye(0), [0, 0], []);
      await expectTensor(dl.range(0, 5), [5], [0, 1, 2, 3, 4], EXACT, 'float32');
      await expectTensor(dl.range(1, 2, 0.25), [4], [1, 1.25, 1.5, 1.75]);
      await expectTensor(dl.range(5, 0, -2), [3], [5, 3, 1]);
      await expectTensor(dl.range(3, 3), [0], []);
      await expectTensor(dl.range(3, 0), [0], []);
      await expectTensor(dl.range(0, 3, 1, 'int32'), [3], [0, 1, 2], EXACT, 'int32');
      await expectTensor(dl.linspace(0, 1, 5), [5], [0, 0.25, 0.5, 0.75, 1]);
      await expectTensor(dl.linspace(-1, 1, 3), [3], [-1, 0, 1]);
      await expectTensor(dl.linspace(2, 9, 1), [1], [2]);
      await expectTensor(dl.linspace(2, 9, 0), [0], []);
    });

    it('oneHot: float32 rows, any index rank; an out-of-range index throws (at the call, or at the next read on GPU)', async () => {
      await expectTensor(dl.oneHot([0, 2, 1], 3), [3, 3], [1, 0, 0, 0, 0, 1, 0, 1, 0], EXACT, 'float32');
      const bad = make([2], [-1, 1], 'int32');
      await expect((async () => dl.oneHot(bad, 3).data())()).rejects.toThrow(
        /^oneHot: index -1 out of range \[0, 3\)$/,
      );
      await expectTensor(
        dl.oneHot(make([2, 2], [1, 0, 0, 1], 'int32'), 2),
        [2, 2, 2],
        [0, 1, 1, 0, 1, 0, 0, 1],
      );
      await expectTensor(dl.oneHot(dl.scalar(1, 'int32'), 2), [2], [0, 1]);
      await expectTensor(dl.oneHot([], 4), [0, 4], []);
    });
  });

  describe('random ops with seeds', () => {
    it('randomNormal: same seed, same values; equal to the reference generator; right mean and stddev', async () => {
      const a = dl.randomNormal([100, 200], { mean: 3, stddev: 0.5, seed: 42 });
      expect(a.shape).toEqual([100, 200]);
      expect(a.dtype).toBe('float32');
      const va = await a.data();
      expect(
        Array.from(await dl.randomNormal([100, 200], { mean: 3, stddev: 0.5, seed: 42 }).data()),
      ).toEqual(Array.from(va));
      // The counter-based generator is the cross-backend contract; Box–Muller uses log and cos, which
      // WGSL computes to about 2^-11 absolute, hence the tolerance.
      const ref = Array.from({ length: 64 }, (_, i) => 3 + 0.5 * dl.normalAt(42, i));
      await expectTensor(a.reshape([-1]).slice(0, 64), [64], ref, tol(1e-3, 0));
      const s = stats(va);
      // Standard error of the mean: 0.5/√20000 ≈ 0.0035.
      expect(Math.abs(s.mean - 3)).toBeLessThan(0.02);
      expect(Math.abs(s.std - 0.5)).toBeLessThan(0.015);
      const other = await dl.randomNormal([8], { seed: 43 }).data();
      expect(Array.from(other)).not.toEqual(Array.from(await dl.randomNormal([8], { seed: 42 }).data()));
      expect(dl.randomNormal([0, 3]).shape).toEqual([0, 3]);
      expect(dl.randomNormal([]).shape).toEqual([]);
      await expectTensor(dl.randomNormal([3], { mean: 2, stddev: 0, seed: 1 }), [3], [2, 2, 2]);
    });

    it('randomUniform: in [minval, maxval), reproducible by seed, right mean', async () => {
      const u = dl.randomUniform([20000], { minval: -2, maxval: 6, seed: 9 });
      const v = await u.data();
      expect(Math.min(...v)).toBeGreaterThanOrEqual(-2);
      expect(Math.max(...v)).toBeLessThan(6);
      // Uniform(-2, 6): mean 2, stddev 8/√12 ≈ 2.31, standard error ≈ 0.016.
      const s = stats(v);
      expect(Math.abs(s.mean - 2)).toBeLessThan(0.08);
      expect(Math.abs(s.std - 8 / Math.sqrt(12))).toBeLessThan(0.05);
      const ref = Array.from({ length: 64 }, (_, i) => -2 + 8 * dl.uniformAt(9, i));
      await expectTensor(u.slice(0, 64), [64], ref, tol(1e-6, 0));
      const d = await dl.randomUniform([5], { seed: 3 }).data();
      expect(Array.from(await dl.randomUniform([5], { seed: 3 }).data())).toEqual(Array.from(d));
      for (const e of d) expect(e >= 0 && e < 1).toBe(true);
      const unseeded = [await dl.randomUniform([4]).data(), await dl.randomUniform([4]).data()];
      expect(Array.from(unseeded[0])).not.toEqual(Array.from(unseeded[1]));
    });
  });

  describe('variables', () => {
    it('variable from a tensor or values; assign, assignAdd, assignSub in place', async () => {
      const v = dl.variable(dl.tensor([1, 2, 3]), { name: 'w' });
      expect(v).toBeInstanceOf(dl.Variable);
      expect(v.name).toBe('w');
      expect(v.trainable).toBe(true);
      expect(v.toString()).toBe(`Variable float32 [3] on ${dl.getBackend()}`);
      expect(v.assign(dl.tensor([4, 5, 6]))).toBe(v);
      await expectTensor(v, [3], [4, 5, 6]);
      v.assignAdd(dl.ones([3]));
      await expectTensor(v, [3], [5, 6, 7]);
      v.assignSub([1, 1, 2]);
      await expectTensor(v, [3], [4, 5, 5]);
      const i = dl.variable([1, 2], { trainable: false, dtype: 'int32' });
      expect(i.trainable).toBe(false);
      i.assignAdd(dl.tensor([10, 20], undefined, 'int32'));
      await expectTensor(i, [2], [11, 22], EXACT, 'int32');
      const s = dl.variable(3);
      s.assign(dl.scalar(4));
      await expectTensor(s.square(), [], [16]);
    });

    it('a variable keeps its value when its initial tensor or an assigned tensor is disposed', async () => {
      const t = dl.tensor([1, 2]);
      const v = dl.variable(t);
      t.dispose();
      await expectTensor(v, [2], [1, 2]);
      const u = dl.tensor([3, 4]);
      v.assign(u);
      u.dispose();
      await expectTensor(v, [2], [3, 4]);
    });
  });
}
