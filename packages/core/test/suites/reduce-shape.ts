// Reductions (every axis form, keepDims, empty and 0-d inputs) and shape/layout ops, against
// naive folds, index arithmetic and hand-written results.
import { describe, expect, it } from 'vitest';
import * as dl from '@webdl/core';
import type { Tensor } from '@webdl/core';
import {
  EXACT,
  creates,
  expectTensor,
  gridValues,
  make,
  refReduce,
  refTranspose,
  sizeOfShape,
  tol,
  type Tol,
} from './helpers.js';

type Axis = number | number[] | undefined;

interface ReduceCase {
  name: string;
  op: (x: Tensor, axis: Axis, keepDims: boolean) => Tensor;
  init: number;
  step: (acc: number, v: number) => number;
  finish?: (acc: number, n: number) => number;
  /** sum/max/min of 1/8-grid values are exact in float32; mean divides; prod and exp/log round. */
  tol: Tol;
  emptyOk: boolean;
}

const REDUCTIONS: ReduceCase[] = [
  { name: 'sum', op: dl.sum, init: 0, step: (a, v) => a + v, tol: EXACT, emptyOk: true },
  {
    name: 'mean',
    op: dl.mean,
    init: 0,
    step: (a, v) => a + v,
    finish: (a, n) => a / n,
    tol: tol(1e-7, 1e-6),
    emptyOk: true,
  },
  { name: 'max', op: dl.max, init: -Infinity, step: (a, v) => Math.max(a, v), tol: EXACT, emptyOk: false },
  { name: 'min', op: dl.min, init: Infinity, step: (a, v) => Math.min(a, v), tol: EXACT, emptyOk: false },
  { name: 'prod', op: dl.prod, init: 1, step: (a, v) => a * v, tol: tol(1e-7, 1e-5), emptyOk: true },
  {
    name: 'logSumExp',
    op: dl.logSumExp,
    init: 0,
    step: (a, v) => a + Math.exp(v),
    finish: Math.log,
    tol: tol(1e-6, 1e-5),
    emptyOk: true,
  },
];

// [shape, axis]: every axis form (none, single, negative, several unsorted, empty list) on 0-d to 3-d.
const REDUCE_AXES: [number[], Axis][] = [
  [[], undefined],
  [[], 0],
  [[], -1],
  [[7], undefined],
  [[7], 0],
  [[7], -1],
  [[2, 3, 4], undefined],
  [[2, 3, 4], 0],
  [[2, 3, 4], 1],
  [[2, 3, 4], -1],
  [
    [2, 3, 4],
    [2, 0],
  ],
  [
    [2, 3, 4],
    [0, 1, 2],
  ],
  [[2, 3, 4], []],
  [[3, 1, 5], 1],
  [[3, 0], 0],
  [[3, 0], 1],
  [[0], undefined],
];

const normAxes = (axis: Axis, rank: number): number[] =>
  rank === 0
    ? []
    : axis === undefined
      ? Array.from({ length: rank }, (_, i) => i)
      : (typeof axis === 'number' ? [axis] : axis).map((a) => (a < 0 ? a + rank : a));

/** Registers the reduction and shape-op part of the op suite. */
export function describeReduceShape(): void {
  describe('reductions over every axis form, keepDims true and false', () => {
    it.each(REDUCTIONS.map((c) => [c.name, c] as const))('%s', async (_n, c) => {
      for (const [shape, axis] of REDUCE_AXES) {
        const axes = normAxes(axis, shape.length);
        if (!c.emptyOk && axes.some((a) => shape[a] === 0)) continue;
        const values = gridValues(sizeOfShape(shape), shape.length + 3);
        const x = make(shape, values);
        for (const keepDims of [false, true]) {
          const want = refReduce(shape, values, axes, keepDims, c.init, c.step, c.finish);
          const y = creates(1, () => c.op(x, axis, keepDims));
          await expectTensor(y, want.shape, want.values, c.tol, 'float32');
          y.dispose();
        }
        x.dispose();
      }
    });

    it('sum keeps int32, counts bools as int32, and mean of int32 is float32', async () => {
      await expectTensor(dl.sum(make([2, 2], [1, 2, 3, 4], 'int32'), 1), [2], [3, 7], EXACT, 'int32');
      await expectTensor(make([4], [1, 0, 1, 1], 'bool').sum(), [], [3], EXACT, 'int32');
      await expectTensor(dl.mean(make([2], [1, 2], 'int32')), [], [1.5], EXACT, 'float32');
      await expectTensor(dl.max(make([3], [4, -2, 9], 'int32')), [], [9], EXACT, 'int32');
      await expectTensor(dl.prod(make([3], [4, -2, 3], 'int32')), [], [-24], EXACT, 'int32');
    });

    it('argMax/argMin give the first index of the extreme (int32), default axis 0', async () => {
      const values = [1, 3, 3, 0, -1, 3, 2, -1, 0, 5, 5, -1];
      const x = make([3, 4], values);
      await expectTensor(
        creates(1, () => dl.argMax(x)),
        [4],
        [0, 2, 2, 0],
        EXACT,
        'int32',
      );
      await expectTensor(dl.argMax(x, 1), [3], [1, 1, 1], EXACT, 'int32');
      await expectTensor(x.argMax(-1), [3], [1, 1, 1], EXACT, 'int32');
      await expectTensor(dl.argMin(x, 1), [3], [3, 0, 3], EXACT, 'int32');
      await expectTensor(x.argMin(0), [4], [1, 0, 1, 1], EXACT, 'int32');
      await expectTensor(dl.argMax(make([1], [7])), [], [0], EXACT, 'int32');
      await expectTensor(dl.argMax(make([2, 1, 3], [0, 9, 1, 8, 2, 2]), 2), [2, 1], [1, 0], EXACT, 'int32');
      await expectTensor(dl.argMin(make([0, 3], []), 1), [0], [], EXACT, 'int32');
    });

    it('moments gives mean and population variance', async () => {
      const values = gridValues(24, 5);
      const x = make([2, 3, 4], values);
      const { mean, variance } = creates(2, () => dl.moments(x, [0, 2]));
      const m = refReduce(
        [2, 3, 4],
        values,
        [0, 2],
        false,
        0,
        (a, v) => a + v,
        (a, n) => a / n,
      );
      const sq = refReduce(
        [2, 3, 4],
        values,
        [0, 2],
        false,
        0,
        (a, v) => a + v * v,
        (a, n) => a / n,
      );
      await expectTensor(mean, [3], m.values, tol(1e-6));
      await expectTensor(
        variance,
        [3],
        sq.values.map((s, i) => s - m.values[i] ** 2),
        tol(1e-6, 1e-5),
      );
      const k = x.moments(-1, true);
      expect(k.mean.shape).toEqual([2, 3, 1]);
      expect(k.variance.shape).toEqual([2, 3, 1]);
      await expectTensor(dl.moments(make([4], [1, 1, 1, 1])).variance, [], [0]);
    });

    it('logSumExp is stable for large and -inf inputs', async () => {
      await expectTensor(dl.logSumExp(make([2], [1000, 1000])), [], [1000 + Math.log(2)], tol(0, 1e-6));
      await expectTensor(dl.logSumExp(make([2], [-Infinity, -Infinity])), [], [-Infinity]);
      await expectTensor(dl.logSumExp(make([2], [-1000, -1000])), [], [-1000 + Math.log(2)], tol(0, 1e-6));
    });
  });

  describe('shape ops', () => {
    const x23 = () => make([2, 3], [1, 2, 3, 4, 5, 6]);

    it('reshape and flatten keep row-major order; -1 is inferred; sizes must match', async () => {
      const x = x23();
      await expectTensor(
        creates(1, () => dl.reshape(x, [3, 2])).reshape([6, 1, 1]),
        [6, 1, 1],
        [1, 2, 3, 4, 5, 6],
      );
      await expectTensor(x23().reshape([-1]), [6], [1, 2, 3, 4, 5, 6]);
      await expectTensor(x23().reshape([3, -1]), [3, 2], [1, 2, 3, 4, 5, 6]);
      await expectTensor(dl.scalar(5).reshape([1, 1]).reshape([]), [], [5]);
      await expectTensor(make([0, 3], []).reshape([3, 0, 1]), [3, 0, 1], []);
      await expectTensor(make([0, 3], []).reshape([-1, 3]), [0, 3], []);
      await expectTensor(
        dl.flatten(make([2, 1, 2], [1, 2, 3, 4], 'int32')),
        [4],
        [1, 2, 3, 4],
        EXACT,
        'int32',
      );
    });

    it('transpose permutes axes (default: reversed)', async () => {
      const x = x23();
      await expectTensor(
        creates(1, () => x.transpose()),
        [3, 2],
        [1, 4, 2, 5, 3, 6],
      );
      const v = gridValues(24, 9);
      for (const perm of [
        [1, 2, 0],
        [2, 0, 1],
        [0, 2, 1],
        [0, 1, 2],
      ]) {
        await expectTensor(
          dl.transpose(make([2, 3, 4], v), perm),
          perm.map((p) => [2, 3, 4][p]),
          refTranspose([2, 3, 4], v, perm),
        );
      }
      await expectTensor(dl.transpose(dl.scalar(3)), [], [3]);
      await expectTensor(dl.transpose(make([0, 2], [])), [2, 0], []);
      await expectTensor(dl.transpose(make([2, 1], [1, 0], 'bool')), [1, 2], [1, 0], EXACT, 'bool');
    });

    it('expandDims and squeeze', async () => {
      expect(dl.expandDims(x23(), 0).shape).toEqual([1, 2, 3]);
      expect(x23().expandDims(1).shape).toEqual([2, 1, 3]);
      expect(x23().expandDims(-1).shape).toEqual([2, 3, 1]);
      expect(dl.scalar(1).expandDims().shape).toEqual([1]);
      const y = make([1, 3, 1, 1], [7, 8, 9]);
      await expectTensor(dl.squeeze(y), [3], [7, 8, 9]);
      expect(y.squeeze([0, 2]).shape).toEqual([3, 1]);
      expect(y.squeeze(-1).shape).toEqual([1, 3, 1]);
      expect(dl.squeeze(make([1], [4])).shape).toEqual([]);
    });

    it('concat and stack along any axis, including empty parts', async () => {
      const a = x23();
      const b = make([2, 1], [7, 8]);
      await expectTensor(
        creates(1, () => dl.concat([a, b], 1)),
        [2, 4],
        [1, 2, 3, 7, 4, 5, 6, 8],
      );
      await expectTensor(dl.concat([a, a], 0), [4, 3], [1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5, 6]);
      await expectTensor(dl.concat([b, make([2, 0], []), b], -1), [2, 2], [7, 7, 8, 8]);
      await expectTensor(dl.concat([a]), [2, 3], [1, 2, 3, 4, 5, 6]);
      await expectTensor(
        dl.concat([make([1], [1], 'int32'), make([2], [2, 3], 'int32')]),
        [3],
        [1, 2, 3],
        EXACT,
        'int32',
      );
      const [one, two] = [dl.scalar(1), dl.scalar(2)];
      await expectTensor(
        creates(1, () => dl.stack([one, two])),
        [2],
        [1, 2],
      );
      await expectTensor(dl.stack([make([2], [1, 2]), make([2], [3, 4])], 1), [2, 2], [1, 3, 2, 4]);
      await expectTensor(dl.stack([make([2], [1, 2]), make([2], [3, 4])], -1), [2, 2], [1, 3, 2, 4]);
    });

    it('split into equal parts or sizes (with -1)', async () => {
      const x = make([2, 6], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
      const parts = creates(3, () => dl.split(x, 3, 1));
      expect(parts.map((p) => p.shape)).toEqual([
        [2, 2],
        [2, 2],
        [2, 2],
      ]);
      await expectTensor(parts[1], [2, 2], [2, 3, 8, 9]);
      const [p, q] = x.split([1, -1], -1);
      await expectTensor(p, [2, 1], [0, 6]);
      await expectTensor(q, [2, 5], [1, 2, 3, 4, 5, 7, 8, 9, 10, 11]);
      const [r, s] = dl.split(x, [2, 0]);
      await expectTensor(
        r,
        [2, 6],
        Array.from({ length: 12 }, (_, i) => i),
      );
      expect(s.shape).toEqual([0, 6]);
    });

    it('slice with begin/size (-1 = to the end), empty slices', async () => {
      const x = make(
        [3, 4],
        Array.from({ length: 12 }, (_, i) => i),
      );
      await expectTensor(
        creates(1, () => dl.slice(x, [1, 1], [2, 2])),
        [2, 2],
        [5, 6, 9, 10],
      );
      await expectTensor(x.slice([0, 2], [-1, -1]), [3, 2], [2, 3, 6, 7, 10, 11]);
      await expectTensor(x.slice([2, 0]), [1, 4], [8, 9, 10, 11]);
      await expectTensor(x.slice(1, 1), [1, 4], [4, 5, 6, 7]);
      await expectTensor(x.slice([3, 0], [0, 4]), [0, 4], []);
      await expectTensor(dl.slice(make([5], [1, 2, 3, 4, 5], 'int32'), [4], [1]), [1], [5], EXACT, 'int32');
    });

    it('gather along an axis with 1-d, 2-d, repeated, scalar and empty indices', async () => {
      const x = make([3, 2], [1, 2, 3, 4, 5, 6]);
      await expectTensor(
        creates(1, () => dl.gather(x, [2, 0, 2])),
        [3, 2],
        [5, 6, 1, 2, 5, 6],
      );
      await expectTensor(x.gather([1], 1), [3, 1], [2, 4, 6]);
      await expectTensor(
        dl.gather(x, make([2, 2], [0, 1, 1, 0], 'int32')),
        [2, 2, 2],
        [1, 2, 3, 4, 3, 4, 1, 2],
      );
      await expectTensor(dl.gather(x, dl.scalar(1, 'int32'), 1), [3], [2, 4, 6]);
      await expectTensor(dl.gather(x, [], 0), [0, 2], []);
      await expectTensor(dl.gather(make([2, 3, 2], gridValues(12, 3)), [1], 1), [2, 1, 2], refGather3());
    });

    it('pad with zeros or a value; paddings may be 0', async () => {
      const x = make([2], [1, 2]);
      await expectTensor(
        creates(1, () => dl.pad(x, [[1, 2]])),
        [5],
        [0, 1, 2, 0, 0],
      );
      await expectTensor(
        x23().pad(
          [
            [1, 0],
            [0, 1],
          ],
          9,
        ),
        [3, 4],
        [9, 9, 9, 9, 1, 2, 3, 9, 4, 5, 6, 9],
      );
      await expectTensor(dl.pad(make([0], []), [[1, 1]], 3), [2], [3, 3]);
      await expectTensor(dl.pad(dl.scalar(4), []), [], [4]);
    });

    it('tile repeats along each axis (0 repeats give an empty axis)', async () => {
      const x = make([2], [1, 2]);
      await expectTensor(
        creates(1, () => dl.tile(x, [3])),
        [6],
        [1, 2, 1, 2, 1, 2],
      );
      await expectTensor(make([2, 1], [1, 2]).tile([2, 3]), [4, 3], [1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2]);
      await expectTensor(x23().tile([1, 0]), [2, 0], []);
      await expectTensor(dl.tile(dl.scalar(3), []), [], [3]);
    });

    it('broadcastTo follows NumPy rules', async () => {
      const x = make([3], [1, 2, 3]);
      await expectTensor(
        creates(1, () => dl.broadcastTo(x, [2, 3])),
        [2, 3],
        [1, 2, 3, 1, 2, 3],
      );
      await expectTensor(make([2, 1], [1, 2]).broadcastTo([2, 4]), [2, 4], [1, 1, 1, 1, 2, 2, 2, 2]);
      await expectTensor(dl.broadcastTo(dl.scalar(5), [2, 2]), [2, 2], [5, 5, 5, 5]);
      await expectTensor(dl.broadcastTo(make([1, 3], [1, 2, 3]), [0, 3]), [0, 3], []);
      await expectTensor(dl.broadcastTo(x23(), [2, 3]), [2, 3], [1, 2, 3, 4, 5, 6]);
      await expectTensor(dl.broadcastTo(make([1], [1], 'int32'), [1, 2]), [1, 2], [1, 1], EXACT, 'int32');
    });
  });
}

/** gather([2,3,2] grid values, [1], axis 1), written out by index. */
function refGather3(): number[] {
  const v = gridValues(12, 3);
  const at = (i: number, j: number, k: number) => v[(i * 3 + j) * 2 + k];
  return [at(0, 1, 0), at(0, 1, 1), at(1, 1, 0), at(1, 1, 1)];
}
