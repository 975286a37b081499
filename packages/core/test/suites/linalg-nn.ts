// matmul/dot, convolutions (conv1d, conv2d, conv2dTranspose, depthwise) and pooling with strides,
// dilations and TensorFlow's 'same'/'valid' padding, softmax/logSoftmax and dropout, against naive loops.
import { describe, expect, it } from 'vitest';
import * as dl from '@webdl/core';
import {
  EXACT,
  creates,
  expectTensor,
  gridValues,
  make,
  refBroadcastShape,
  refConv2d,
  refMatmul,
  refPool,
  refTranspose,
  sizeOfShape,
  tfPadding,
  tol,
  unravel,
  ravel,
  type Geo,
} from './helpers.js';

// Products of 1/8-grid values: float64 references are exact in float32 for these small sizes, but
// GPUs may fuse or reorder the accumulation, so allow a few ULP of the output.
const LINALG_TOL = tol(1e-5, 1e-6);
const SOFTMAX_TOL = tol(1e-7, 2e-6);

/** Batched matmul reference with NumPy batch broadcasting and optional transposes. */
function refBatchedMatmul(sa: number[], a: number[], sb: number[], b: number[], tA: boolean, tB: boolean) {
  const [ra, ca] = sa.slice(-2);
  const [rb, cb] = sb.slice(-2);
  const [m, k] = tA ? [ca, ra] : [ra, ca];
  const n = tB ? rb : cb;
  const batchA = sa.slice(0, -2);
  const batchB = sb.slice(0, -2);
  const batch = refBroadcastShape(batchA, batchB);
  const out: number[] = [];
  for (let t = 0; t < sizeOfShape(batch); t++) {
    const idx = unravel(t, batch);
    const pick = (bs: number[]) =>
      ravel(
        idx.slice(idx.length - bs.length).map((v, d) => (bs[d] === 1 ? 0 : v)),
        bs,
      );
    let am = a.slice(pick(batchA) * ra * ca, (pick(batchA) + 1) * ra * ca);
    let bm = b.slice(pick(batchB) * rb * cb, (pick(batchB) + 1) * rb * cb);
    if (tA) am = refTranspose([ra, ca], am, [1, 0]);
    if (tB) bm = refTranspose([rb, cb], bm, [1, 0]);
    out.push(...refMatmul(am, bm, m, k, n));
  }
  return { shape: [...batch, m, n], values: out };
}

const MATMUL_CASES: [number[], number[], boolean, boolean][] = [
  [[2, 3], [3, 4], false, false],
  [[3, 2], [3, 4], true, false],
  [[2, 3], [4, 3], false, true],
  [[3, 2], [4, 3], true, true],
  [[1, 1], [1, 1], false, false],
  [[5, 7], [7, 3], false, false],
  [[2, 2, 3], [3, 4], false, false],
  [[3, 4], [2, 4, 5], false, false],
  [[2, 1, 2, 3], [3, 3, 2], false, false],
  [[2, 3, 2], [2, 5, 3], true, true],
  [[2, 0], [0, 3], false, false],
  [[0, 3], [3, 2], false, false],
  [[2, 3], [3, 0], false, false],
];

const g = (s: number | [number, number], d: number | [number, number], padding: 'same' | 'valid'): Geo => ({
  strides: typeof s === 'number' ? [s, s] : s,
  dilations: typeof d === 'number' ? [d, d] : d,
  padding,
});

const CONV_CASES: [number[], number[], Geo][] = [
  [[2, 5, 5, 3], [3, 3, 3, 4], g(1, 1, 'same')],
  [[2, 5, 5, 3], [3, 3, 3, 4], g(1, 1, 'valid')],
  [[1, 7, 6, 2], [2, 3, 2, 3], g([2, 3], 1, 'same')],
  [[1, 7, 6, 2], [2, 3, 2, 3], g([2, 3], 1, 'valid')],
  [[1, 6, 7, 2], [3, 3, 2, 2], g(1, 2, 'same')],
  [[1, 6, 7, 2], [3, 2, 2, 2], g(1, [2, 3], 'valid')],
  [[1, 5, 4, 1], [4, 4, 1, 1], g(1, 1, 'valid')],
  [[1, 3, 3, 2], [5, 5, 2, 1], g(1, 1, 'same')],
  [[1, 8, 8, 1], [3, 3, 1, 2], g(3, 1, 'same')],
  [[1, 1, 1, 1], [1, 1, 1, 1], g(1, 1, 'valid')],
  [[0, 4, 4, 1], [3, 3, 1, 1], g(1, 1, 'same')],
];

const DEPTHWISE_CASES: [number[], number[], Geo][] = [
  [[1, 5, 5, 2], [3, 3, 2, 2], g(1, 1, 'same')],
  [[2, 6, 5, 3], [3, 2, 3, 1], g(2, 1, 'valid')],
  [[1, 7, 7, 2], [3, 3, 2, 3], g(1, 2, 'same')],
  [[1, 4, 5, 1], [2, 2, 1, 1], g([1, 2], 1, 'same')],
];

const POOL_CASES: [number[], [number, number], Geo][] = [
  [[1, 4, 4, 1], [2, 2], g(2, 1, 'valid')],
  [[1, 5, 5, 2], [3, 3], g(2, 1, 'same')],
  [[2, 5, 6, 3], [2, 3], g([1, 2], 1, 'same')],
  [[2, 3, 3, 1], [2, 2], g(1, 1, 'valid')],
  [[1, 7, 5, 2], [3, 2], g([2, 1], 1, 'valid')],
  [[1, 2, 2, 1], [3, 3], g(1, 1, 'same')],
];

/** Transposed conv reference: scatters each input cell through the filter (the adjoint of conv2d). */
function refConvTranspose(
  x: number[],
  [N, OH, OW, IC]: number[],
  f: number[],
  fShape: number[],
  outShape: number[],
  geo: Geo,
) {
  const [FH, FW, OC] = fShape;
  const [, H, W] = outShape;
  const ph = tfPadding(H, FH, geo.strides[0], geo.dilations[0], geo.padding).before;
  const pw = tfPadding(W, FW, geo.strides[1], geo.dilations[1], geo.padding).before;
  const out = new Array<number>(N * H * W * OC).fill(0);
  for (let b = 0; b < N; b++)
    for (let oy = 0; oy < OH; oy++)
      for (let ox = 0; ox < OW; ox++)
        for (let fy = 0; fy < FH; fy++)
          for (let fx = 0; fx < FW; fx++) {
            const iy = oy * geo.strides[0] + fy * geo.dilations[0] - ph;
            const ix = ox * geo.strides[1] + fx * geo.dilations[1] - pw;
            if (iy < 0 || iy >= H || ix < 0 || ix >= W) continue;
            for (let oc = 0; oc < OC; oc++)
              for (let ic = 0; ic < IC; ic++)
                out[((b * H + iy) * W + ix) * OC + oc] +=
                  x[((b * OH + oy) * OW + ox) * IC + ic] * f[((fy * FW + fx) * OC + oc) * IC + ic];
          }
  return out;
}

/** Registers the linear-algebra and neural-network part of the op suite. */
export function describeLinalgNn(): void {
  describe('matmul and dot', () => {
    it.each(
      MATMUL_CASES.map(
        (c) => [`${JSON.stringify(c[0])} x ${JSON.stringify(c[1])} tA=${c[2]} tB=${c[3]}`, c] as const,
      ),
    )('matmul %s', async (_n, [sa, sb, tA, tB]) => {
      const va = gridValues(sizeOfShape(sa), 11);
      const vb = gridValues(sizeOfShape(sb), 12);
      const a = make(sa, va);
      const b = make(sb, vb);
      const want = refBatchedMatmul(sa, va, sb, vb, tA, tB);
      const y = creates(1, () => dl.matmul(a, b, { transposeA: tA, transposeB: tB }));
      await expectTensor(y, want.shape, want.values, LINALG_TOL, 'float32');
    });

    it('matmul of int32 stays int32; a.matmul(b) chains', async () => {
      const a = make([2, 2], [1, 2, 3, 4], 'int32');
      await expectTensor(a.matmul(a), [2, 2], [7, 10, 15, 22], EXACT, 'int32');
    });

    it('dot: vector·vector, matrix·vector, vector·matrix, matrix·matrix', async () => {
      const v = make([3], [1, 2, 3]);
      const m = make([2, 3], [1, 0, -1, 2, 2, 2]);
      await expectTensor(
        creates(1, () => dl.dot(v, v)),
        [],
        [14],
      );
      await expectTensor(dl.dot(m, v), [2], [-2, 12]);
      await expectTensor(dl.dot(make([2], [1, -1]), m), [3], [-1, -2, -3]);
      await expectTensor(m.dot(dl.transpose(m)), [2, 2], [2, 0, 0, 12]);
    });
  });

  describe('convolutions (NHWC) with strides, dilations and TensorFlow padding', () => {
    it("conv2d 'same' with stride 2 pads the odd cell at the bottom/right, as TensorFlow (hand-computed)", async () => {
      const x = make(
        [1, 4, 4, 1],
        Array.from({ length: 16 }, (_, i) => i + 1),
      );
      const y = dl.conv2d(x, dl.ones([3, 3, 1, 1]), { strides: 2, padding: 'same' });
      await expectTensor(y, [1, 2, 2, 1], [54, 45, 72, 54]);
      const v = dl.conv2d(x, dl.ones([2, 2, 1, 1]), { padding: 'valid' });
      await expectTensor(v, [1, 3, 3, 1], [14, 18, 22, 30, 34, 38, 46, 50, 54]);
    });

    it.each(
      CONV_CASES.map(
        (c) => [`x${JSON.stringify(c[0])} f${JSON.stringify(c[1])} ${JSON.stringify(c[2])}`, c] as const,
      ),
    )('conv2d %s', async (_n, [xs, fs, geo]) => {
      const vx = gridValues(sizeOfShape(xs), 21);
      const vf = gridValues(sizeOfShape(fs), 22);
      const x = make(xs, vx);
      const f = make(fs, vf);
      const want = refConv2d(vx, xs, vf, fs, geo);
      const y = creates(1, () => dl.conv2d(x, f, geo));
      await expectTensor(y, want.shape, want.values, LINALG_TOL, 'float32');
    });

    it('conv2d on a rank-3 image returns rank 3; the method form matches', async () => {
      const vx = gridValues(16, 3);
      const vf = gridValues(18, 4);
      const x = make([4, 4, 1], vx);
      const f = make([3, 3, 1, 2], vf);
      const want = refConv2d(vx, [1, 4, 4, 1], vf, [3, 3, 1, 2], g(1, 1, 'same'));
      await expectTensor(
        creates(1, () => x.conv2d(f, { padding: 'same' })),
        [4, 4, 2],
        want.values,
        LINALG_TOL,
      );
    });

    it('conv1d with stride, dilation and both paddings', async () => {
      const vx = gridValues(2 * 7 * 3, 31);
      const vf = gridValues(3 * 3 * 2, 32);
      const x = make([2, 7, 3], vx);
      const f = make([3, 3, 2], vf);
      for (const [s, d, padding] of [
        [2, 1, 'same'],
        [1, 2, 'valid'],
        [3, 1, 'valid'],
      ] as const) {
        const want = refConv2d(vx, [2, 1, 7, 3], vf, [1, 3, 3, 2], g([1, s], [1, d], padding));
        const y = creates(1, () => dl.conv1d(x, f, { strides: s, dilations: d, padding }));
        await expectTensor(y, [2, want.shape[2], 2], want.values, LINALG_TOL);
      }
    });

    it.each(
      DEPTHWISE_CASES.map(
        (c) => [`x${JSON.stringify(c[0])} f${JSON.stringify(c[1])} ${JSON.stringify(c[2])}`, c] as const,
      ),
    )('depthwiseConv2d %s', async (_n, [xs, fs, geo]) => {
      const vx = gridValues(sizeOfShape(xs), 41);
      const vf = gridValues(sizeOfShape(fs), 42);
      const x = make(xs, vx);
      const f = make(fs, vf);
      const want = refConv2d(vx, xs, vf, fs, geo, true);
      const y = creates(1, () => dl.depthwiseConv2d(x, f, geo));
      await expectTensor(y, want.shape, want.values, LINALG_TOL, 'float32');
    });

    it('conv2dTranspose upsamples (hand-computed) and matches the scatter reference', async () => {
      const x = make([1, 2, 2, 1], [1, 2, 3, 4]);
      const y = dl.conv2dTranspose(x, dl.ones([2, 2, 1, 1]), [1, 4, 4, 1], { strides: 2, padding: 'valid' });
      await expectTensor(y, [1, 4, 4, 1], [1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4]);
      const cases: [number[], number[], number[], Geo][] = [
        [[1, 2, 2, 1], [3, 3, 1, 1], [1, 4, 4, 1], g(2, 1, 'same')],
        [[1, 3, 3, 2], [2, 2, 3, 2], [1, 6, 6, 3], g(2, 1, 'valid')],
        [[2, 3, 3, 2], [3, 3, 1, 2], [2, 3, 3, 1], g(1, 1, 'same')],
        [[1, 3, 3, 1], [3, 3, 2, 1], [1, 5, 5, 2], g(2, 1, 'same')],
        [[1, 2, 3, 1], [3, 3, 1, 1], [1, 6, 7, 1], g(1, 2, 'valid')],
      ];
      for (const [xs, fs, os, geo] of cases) {
        const vx = gridValues(sizeOfShape(xs), 51);
        const vf = gridValues(sizeOfShape(fs), 52);
        const xt = make(xs, vx);
        const ft = make(fs, vf);
        const out = creates(1, () => dl.conv2dTranspose(xt, ft, os, geo));
        await expectTensor(out, os, refConvTranspose(vx, xs, vf, fs, os, geo), LINALG_TOL);
      }
    });

    it('conv2dTranspose is the adjoint of conv2d: <conv2d(y, f), x> = <y, conv2dTranspose(x, f)>', async () => {
      const y = make([1, 5, 5, 2], gridValues(50, 61));
      const f = make([3, 3, 2, 3], gridValues(54, 62));
      const x = make([1, 3, 3, 3], gridValues(27, 63));
      const lhs = await dl.conv2d(y, f, { strides: 2, padding: 'same' }).mul(x).sum().item();
      const rhs = await y
        .mul(dl.conv2dTranspose(x, f, [1, 5, 5, 2], { strides: 2, padding: 'same' }))
        .sum()
        .item();
      expect(Math.abs(lhs - rhs)).toBeLessThan(1e-3 * Math.max(1, Math.abs(lhs)));
    });
  });

  describe('pooling with TensorFlow padding (padding cells ignored)', () => {
    it('same-padded 3x3 pooling of a 2x2 image (hand-computed)', async () => {
      const x = make([1, 2, 2, 1], [1, 2, 3, 4]);
      await expectTensor(dl.avgPool(x, 3, 1, 'same'), [1, 2, 2, 1], [2.5, 2.5, 2.5, 2.5]);
      await expectTensor(dl.maxPool(x, 3, 1, 'same'), [1, 2, 2, 1], [4, 4, 4, 4]);
      await expectTensor(dl.maxPool(x, 2), [1, 1, 1, 1], [4]);
      await expectTensor(make([2, 2, 1], [1, -2, 3, -4]).avgPool(2), [1, 1, 1], [-0.5]);
    });

    it.each(
      POOL_CASES.map(
        (c) => [`x${JSON.stringify(c[0])} pool${JSON.stringify(c[1])} ${JSON.stringify(c[2])}`, c] as const,
      ),
    )('maxPool and avgPool %s', async (_n, [xs, pool, geo]) => {
      const vx = gridValues(sizeOfShape(xs), 71);
      const x = make(xs, vx);
      for (const op of ['max', 'avg'] as const) {
        const want = refPool(op, vx, xs, pool, geo);
        const fn = op === 'max' ? dl.maxPool : dl.avgPool;
        const y = creates(1, () => fn(x, pool, geo.strides, geo.padding));
        await expectTensor(y, want.shape, want.values, op === 'max' ? EXACT : tol(1e-6, 1e-6));
      }
    });
  });

  describe('softmax, logSoftmax, dropout', () => {
    const refSoftmaxRows = (rows: number[][]) =>
      rows.flatMap((r) => {
        const m = Math.max(...r);
        const e = r.map((v) => Math.exp(v - m));
        const s = e.reduce((a, b) => a + b, 0);
        return e.map((v) => v / s);
      });

    it('softmax along the last axis, stable for large logits; other axes; rows sum to 1', async () => {
      const x = make([3, 3], [1, 2, 3, 1000, 1001, 1002, -5, 0, -Infinity]);
      const want = refSoftmaxRows([
        [1, 2, 3],
        [1000, 1001, 1002],
        [-5, 0, -Infinity],
      ]);
      await expectTensor(
        creates(1, () => dl.softmax(x)),
        [3, 3],
        want,
        SOFTMAX_TOL,
      );
      await expectTensor(dl.softmax(make([2], [0, Math.log(3)])), [2], [0.25, 0.75], SOFTMAX_TOL);
      const cols = dl.transpose(dl.softmax(dl.transpose(x.slice([0, 0], [2, 3])), 0));
      await expectTensor(cols, [2, 3], want.slice(0, 6), SOFTMAX_TOL);
      const y = make([2, 3, 4], gridValues(24, 81)).softmax(1);
      await expectTensor(y.sum(1), [2, 4], new Array<number>(8).fill(1), tol(1e-6));
      await expectTensor(dl.softmax(make([2, 0], [])), [2, 0], []);
    });

    it('logSoftmax = x - logSumExp(x), finite where softmax underflows', async () => {
      const x = make([2, 3], [1, 2, 3, 0, 0, -200]);
      const lse1 = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3));
      const lse2 = Math.log(2 + Math.exp(-200));
      await expectTensor(
        creates(1, () => dl.logSoftmax(x)),
        [2, 3],
        [1 - lse1, 2 - lse1, 3 - lse1, -lse2, -lse2, -200 - lse2],
        SOFTMAX_TOL,
      );
      await expectTensor(
        x.logSoftmax(0),
        [2, 3],
        [1, 2, 3, 0, 0, -200].map(
          (v, i) => v - Math.log(Math.exp([1, 2, 3][i % 3]) + Math.exp([0, 0, -200][i % 3])),
        ),
        SOFTMAX_TOL,
      );
    });

    it('dropout zeroes about `rate` of the values, scales the rest by 1/(1-rate), and is reproducible by seed', async () => {
      const n = 10000;
      const x = dl.ones([n]);
      const y = creates(1, () => dl.dropout(x, 0.3, { seed: 7 }));
      const v = await y.data();
      let kept = 0;
      for (const e of v) {
        if (e !== 0) {
          kept++;
          expect(Math.abs(e - 1 / 0.7)).toBeLessThan(1e-6);
        }
      }
      // Binomial(10000, 0.7): standard deviation ≈ 46; allow 5σ.
      expect(Math.abs(kept - 7000)).toBeLessThan(230);
      expect(Array.from(await x.dropout(0.3, { seed: 7 }).data())).toEqual(Array.from(v));
      expect(Array.from(await x.dropout(0.3, { seed: 8 }).data())).not.toEqual(Array.from(v));
      await expectTensor(dl.dropout(make([3], [1, 2, 3]), 0), [3], [1, 2, 3]);
      expect(dl.dropout(make([0, 2], []), 0.5).shape).toEqual([0, 2]);
    });
  });
}
