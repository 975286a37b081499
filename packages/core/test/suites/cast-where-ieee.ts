// cast, where and clipByValue by hand-computed cases, and IEEE 754 special values (NaN, ±Infinity)
// propagating through elementwise ops, reductions, matmul and softmax.
import { describe, expect, it } from 'vitest';
import * as dl from '@webdl/core';
import type { Tensor } from '@webdl/core';
import { EXACT, expectTensor, make } from './helpers.js';

/** Registers the cast/where/clip and special-value part of the op suite. */
export function describeCastWhereIeee(): void {
  describe('cast, where, clipByValue', () => {
    it('cast truncates toward zero to int32, maps non-zero to true, and is exact back to float32', async () => {
      const x = make([6], [-1.7, -0.5, 0, 0.5, 1.7, 3]);
      await expectTensor(dl.cast(x, 'int32'), [6], [-1, 0, 0, 0, 1, 3], EXACT, 'int32');
      await expectTensor(x.cast('bool'), [6], [1, 1, 0, 1, 1, 1], EXACT, 'bool');
      await expectTensor(make([3], [1, 0, 1], 'bool').cast('float32'), [3], [1, 0, 1], EXACT, 'float32');
      await expectTensor(make([2], [-7, 9], 'int32').cast('float32'), [2], [-7, 9], EXACT, 'float32');
      await expectTensor(dl.cast(make([0, 2], []), 'int32'), [0, 2], [], EXACT, 'int32');
      await expectTensor(dl.scalar(2.9).cast('int32'), [], [2], EXACT, 'int32');
    });

    it('where broadcasts condition, a and b (numbers too)', async () => {
      const cond = make([3], [1, 0, 1], 'bool');
      const a = make([2, 3], [1, 2, 3, 4, 5, 6]);
      await expectTensor(dl.where(cond, a, -1), [2, 3], [1, -1, 3, 4, -1, 6]);
      await expectTensor(dl.where(cond, 7, a), [2, 3], [7, 2, 7, 7, 5, 7]);
      await expectTensor(
        dl.where(make([2, 1], [0, 1], 'bool'), make([3], [1, 2, 3]), 0),
        [2, 3],
        [0, 0, 0, 1, 2, 3],
      );
      await expectTensor(dl.where(dl.scalar(true), 1, 2), [], [1]);
      await expectTensor(dl.where(make([0], [], 'bool'), 1, 2), [0], []);
      const ints = dl.where(cond, make([3], [1, 2, 3], 'int32'), make([3], [9, 9, 9], 'int32'));
      await expectTensor(ints, [3], [1, 9, 3], EXACT, 'int32');
      const bools = dl.where(cond, make([3], [0, 0, 0], 'bool'), make([3], [1, 1, 1], 'bool'));
      await expectTensor(bools, [3], [0, 1, 0], EXACT, 'bool');
    });

    it('clipByValue keeps int32 and bounds are inclusive', async () => {
      await expectTensor(
        dl.clipByValue(make([5], [-5, -1, 0, 3, 9], 'int32'), -1, 3),
        [5],
        [-1, -1, 0, 3, 3],
        EXACT,
        'int32',
      );
      await expectTensor(dl.scalar(0.5).clipByValue(0.5, 0.5), [], [0.5]);
    });
  });

  describe('NaN and Infinity propagate as IEEE 754 says', () => {
    const nan = NaN;
    const inf = Infinity;
    const cases: [string, () => Tensor, number[]][] = [
      [
        'add',
        () => dl.add(make([4], [nan, inf, inf, -inf]), make([4], [1, 1, -inf, -inf])),
        [nan, inf, nan, -inf],
      ],
      ['mul', () => dl.mul(make([3], [0, inf, nan]), make([3], [inf, -2, 0])), [nan, -inf, nan]],
      ['div', () => dl.div(make([4], [1, -1, 0, inf]), make([4], [0, 0, 0, inf])), [inf, -inf, nan, nan]],
      ['exp', () => dl.exp(make([3], [inf, -inf, nan])), [inf, 0, nan]],
      ['log', () => dl.log(make([4], [0, -1, inf, nan])), [-inf, nan, inf, nan]],
      ['sqrt', () => dl.sqrt(make([3], [-1, inf, nan])), [nan, inf, nan]],
      [
        'tanh/sigmoid',
        () => dl.concat([dl.tanh(make([3], [inf, -inf, nan])), dl.sigmoid(make([3], [inf, -inf, nan]))]),
        [1, -1, nan, 1, 0, nan],
      ],
      ['relu', () => dl.relu(make([3], [inf, -inf, nan])), [inf, 0, nan]],
      [
        'abs/neg',
        () => dl.concat([dl.abs(make([2], [-inf, nan])), dl.neg(make([2], [inf, nan]))]),
        [inf, nan, -inf, nan],
      ],
      [
        'floor/round',
        () => dl.concat([dl.floor(make([2], [inf, nan])), dl.round(make([2], [-inf, nan]))]),
        [inf, nan, -inf, nan],
      ],
      [
        'softplus/elu',
        () => dl.concat([dl.softplus(make([2], [inf, -inf])), dl.elu(make([2], [-inf, nan]))]),
        [inf, 0, -1, nan],
      ],
      [
        'maximum/minimum',
        () =>
          dl.concat([dl.maximum(make([2], [nan, 1]), make([2], [1, nan])), dl.minimum(make([1], [nan]), 1)]),
        [nan, nan, nan],
      ],
      [
        'pow',
        () => dl.pow(make([5], [nan, 1, 0, -inf, -1]), make([5], [0, nan, -1, 3, inf])),
        [1, 1, inf, -inf, 1],
      ],
      [
        'comparisons are false with NaN',
        () => dl.stack([dl.equal(nan, nan), dl.less(nan, 1), dl.notEqual(nan, nan)]),
        [0, 0, 1],
      ],
      [
        'sum/max/min',
        () =>
          dl.stack([
            dl.sum(make([3], [1, nan, 2])),
            dl.max(make([3], [1, nan, 2])),
            dl.min(make([3], [nan, 1, 2])),
          ]),
        [nan, nan, nan],
      ],
      [
        'sum of ±inf',
        () => dl.stack([dl.sum(make([2], [inf, -inf])), dl.sum(make([2], [inf, 1]))]),
        [nan, inf],
      ],
      [
        'matmul: 0·inf and 0·NaN are NaN',
        () => dl.matmul(make([1, 2], [0, 1]), make([2, 2], [inf, nan, 1, 1])),
        [nan, nan],
      ],
      [
        'softmax of a NaN row is NaN',
        () => dl.softmax(make([2, 2], [nan, 1, 1, 2])).slice([0, 0], [1, 2]),
        [nan, nan],
      ],
      ['clipByValue passes NaN', () => dl.clipByValue(make([2], [nan, inf]), 0, 1), [nan, 1]],
      ['cast NaN to bool is true', () => dl.cast(make([2], [nan, 0]), 'bool'), [1, 0]],
    ];
    it.each(cases)('%s', async (_n, f, want) => {
      const y = f();
      expect(y.size).toBe(want.length);
      await expectTensor(y, y.shape, want);
    });
  });
}
