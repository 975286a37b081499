// image.* against TensorFlow.js (dev oracle, its CPU backend) on random shapes, and resize gradients against float64 central differences.
import * as tf from '@tensorflow/tfjs';
import { GradientTape, image, memory, setBackend, tensor, tidy, type Tensor } from '@webdl/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { gradCheck, rng, type GradCase } from './gradcheck.js';
import { arr, type Arr } from './ref64.js';

type Corners = { alignCorners?: boolean; halfPixelCenters?: boolean };
const CORNERS: [string, Corners][] = [
  ['default', {}],
  ['alignCorners', { alignCorners: true }],
  ['halfPixelCenters', { halfPixelCenters: true }],
];

/** Max |a - b| over two arrays (Infinity when lengths differ). */
function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++)
    m = Math.max(m, Number.isNaN(a[i] - b[i]) ? Infinity : Math.abs(a[i] - b[i]));
  return m;
}

/** Random image values shared by both libraries. */
function pair(shape: number[], u: () => number, int = false): [Tensor, tf.Tensor] {
  const n = shape.reduce((a, b) => a * b, 1);
  const vals = Array.from({ length: n }, () => (int ? Math.floor(u() * 256) : u() * 2 - 1));
  const dtype = int ? 'int32' : 'float32';
  return [tensor(vals, shape, dtype), tf.tensor(vals, shape, dtype)];
}

async function expectSame(label: string, ours: Tensor, theirs: tf.Tensor, tol: number): Promise<void> {
  expect(ours.shape, `${label}: shape`).toEqual(theirs.shape);
  expect(ours.dtype, `${label}: dtype`).toBe(theirs.dtype);
  expect(maxDiff(await ours.data(), await theirs.data()), label).toBeLessThanOrEqual(tol);
}

const randInt = (u: () => number, lo: number, hi: number) => lo + Math.floor(u() * (hi - lo + 1));

/** Float64 bilinear resize along TF's formulas (written independently of core's kernel) for gradient checks. */
function resize64(x: Arr, oh: number, ow: number, c: Corners): Arr {
  const [n, h, w, ch] = x.shape;
  const scale = (i: number, o: number) => (c.alignCorners && o > 1 ? (i - 1) / (o - 1) : i / o);
  const src = (r: number, i: number, o: number) => {
    const s = c.halfPixelCenters ? (r + 0.5) * scale(i, o) - 0.5 : r * scale(i, o);
    const lo = Math.max(0, Math.floor(s));
    return [lo, Math.min(i - 1, Math.ceil(s)), s - lo];
  };
  const out = arr([n, oh, ow, ch]);
  const at = (b: number, y: number, xx: number, k: number) => x.data[((b * h + y) * w + xx) * ch + k];
  let o = 0;
  for (let b = 0; b < n; b++)
    for (let y = 0; y < oh; y++)
      for (let xx = 0; xx < ow; xx++)
        for (let k = 0; k < ch; k++) {
          const [t, bt, fy] = src(y, h, oh);
          const [l, r, fx] = src(xx, w, ow);
          const top = at(b, t, l, k) + (at(b, t, r, k) - at(b, t, l, k)) * fx;
          const bottom = at(b, bt, l, k) + (at(b, bt, r, k) - at(b, bt, l, k)) * fx;
          out.data[o++] = top + (bottom - top) * fy;
        }
  return out;
}

/** Registers the image-op checks for a backend. `tol` bounds float32 differences from tfjs's float64 kernels. */
export function imageSuite(backend: string, tol = 2e-5): void {
  describe(`image ops on ${backend}`, () => {
    beforeAll(async () => {
      await setBackend(backend);
      await tf.setBackend('cpu');
    });

    it('resizeBilinear and resizeNearestNeighbor match tf.image on random shapes, both corner conventions, up and down', async () => {
      const u = rng(11);
      for (let trial = 0; trial < 6; trial++) {
        const shape = [randInt(u, 1, 2), randInt(u, 1, 9), randInt(u, 1, 9), randInt(u, 1, 3)];
        const size: [number, number] = [randInt(u, 1, 13), randInt(u, 1, 13)];
        for (const int of [false, true]) {
          const [x, xt] = pair(shape, u, int);
          for (const [name, opts] of CORNERS) {
            const label = `${shape} -> ${size} ${name}${int ? ' int32' : ''}`;
            const a = opts.alignCorners ?? false;
            const hp = opts.halfPixelCenters ?? false;
            await expectSame(
              `bilinear ${label}`,
              image.resizeBilinear(x, size, opts),
              tf.image.resizeBilinear(xt as tf.Tensor4D, size, a, hp),
              int ? 1e-3 : tol,
            );
            await expectSame(
              `nearest ${label}`,
              image.resizeNearestNeighbor(x, size, opts),
              tf.image.resizeNearestNeighbor(xt as tf.Tensor4D, size, a, hp),
              0,
            );
          }
        }
      }
    });

    it('resize takes rank-3 images and rejects bad sizes and options', async () => {
      const x = tensor([1, 2, 3, 4], [2, 2, 1]);
      expect(image.resizeBilinear(x, [4, 3]).shape).toEqual([4, 3, 1]);
      expect(() => image.resizeBilinear(x, [0, 3])).toThrow(
        /image.resizeBilinear: size must be \[height, width\]/,
      );
      expect(() => image.resizeBilinear(x, [2, 2], { alignCorners: true, halfPixelCenters: true })).toThrow(
        /cannot both be true/,
      );
      expect(() => image.resizeNearestNeighbor(tensor([1, 2]), [2, 2])).toThrow(/rank 3 or 4.*\[2\]/);
    });

    it('cropAndResize matches tf.image with boxes partly outside, flipped boxes, both methods', async () => {
      const u = rng(12);
      for (let trial = 0; trial < 6; trial++) {
        const shape = [randInt(u, 1, 3), randInt(u, 2, 9), randInt(u, 2, 9), randInt(u, 1, 3)];
        const numBoxes = randInt(u, 1, 4);
        const boxes = Array.from({ length: numBoxes }, () =>
          Array.from({ length: 4 }, () => u() * 1.6 - 0.3),
        );
        const boxInd = Array.from({ length: numBoxes }, () => randInt(u, 0, shape[0] - 1));
        const crop: [number, number] = [randInt(u, 1, 7), randInt(u, 1, 7)];
        const [x, xt] = pair(shape, u);
        for (const method of ['bilinear', 'nearest'] as const) {
          const label = `${shape} boxes ${JSON.stringify(boxes)} crop ${crop} ${method}`;
          const ours = image.cropAndResize(x, boxes, boxInd, crop, { method, extrapolationValue: -7 });
          const theirs = tf.image.cropAndResize(xt as tf.Tensor4D, boxes, boxInd, crop, method, -7);
          await expectSame(label, ours, theirs, tol);
        }
      }
      const x = tensor([1, 2, 3, 4], [1, 2, 2, 1]);
      expect(() => image.cropAndResize(x, [[0, 0, 1, 1]], [1], [2, 2])).toThrow(
        /boxInd\[0\] = 1 is outside \[0, 1\)/,
      );
      expect(() => image.cropAndResize(x, [[0, 0, 1]], [0], [2, 2])).toThrow(
        /boxes must be float32 \[numBoxes, 4\]/,
      );
    });

    it('flipLeftRight and rgbToGrayscale match tf.image', async () => {
      const u = rng(13);
      const [x, xt] = pair([2, 3, 5, 3], u);
      await expectSame('flip', image.flipLeftRight(x), tf.image.flipLeftRight(xt as tf.Tensor4D), 0);
      await expectSame('gray', image.rgbToGrayscale(x), tf.image.rgbToGrayscale(xt as tf.Tensor4D), 1e-6);
      const [xi, xit] = pair([4, 5, 3], u, true);
      await expectSame(
        'gray int32',
        image.rgbToGrayscale(xi),
        tf.image.rgbToGrayscale(xit as tf.Tensor3D),
        0,
      );
      expect(() => image.rgbToGrayscale(tensor([1, 2], [1, 2]))).toThrow(/last dimension must be 3/);
    });

    it('transform matches tf.image for every interpolation and fill mode (per image, tfjs 4.22 fills images after the first)', async () => {
      const u = rng(14);
      for (let trial = 0; trial < 3; trial++) {
        const shape = [2, randInt(u, 3, 8), randInt(u, 3, 8), randInt(u, 1, 2)];
        const [x] = pair(shape, u);
        const rows = Array.from({ length: 2 }, () => {
          const a = u() * 2 - 1;
          const s = 0.7 + u() * 0.6;
          return [
            s * Math.cos(a),
            -s * Math.sin(a),
            u() * 6 - 3,
            s * Math.sin(a),
            s * Math.cos(a),
            u() * 6 - 3,
            (u() - 0.5) * 0.05,
            (u() - 0.5) * 0.05,
          ];
        });
        for (const interpolation of ['nearest', 'bilinear'] as const) {
          for (const fillMode of ['constant', 'reflect', 'wrap', 'nearest'] as const) {
            const outputShape: [number, number] = [shape[1] + trial, shape[2]];
            const ours = image.transform(x, rows, { interpolation, fillMode, fillValue: 0.5, outputShape });
            const per = await Promise.all(
              [0, 1].map(async (b) => {
                const xb = tf.tensor(await x.slice([b, 0, 0, 0], [1, ...shape.slice(1)]).data(), [
                  1,
                  ...shape.slice(1),
                ]);
                return tf.image.transform(
                  xb as tf.Tensor4D,
                  [rows[b]],
                  interpolation,
                  fillMode,
                  0.5,
                  outputShape,
                );
              }),
            );
            await expectSame(`${shape} ${interpolation} ${fillMode}`, ours, tf.concat(per, 0), tol);
          }
        }
      }
      expect(() => image.transform(tensor([1, 2, 3, 4], [1, 2, 2, 1]), [[1, 0, 0]])).toThrow(
        /transforms must be float32 \[1 or 1, 8\]/,
      );
    });

    const gradCases: GradCase[] = CORNERS.flatMap(([name, c]) => [
      {
        name: `resizeBilinear [1,4,5,2]->[7,3] ${name}`,
        inputs: [[1, 4, 5, 2]],
        f: (x: Tensor) => image.resizeBilinear(x, [7, 3], c),
        ref: (x: Arr) => resize64(x, 7, 3, c),
      },
      {
        name: `resizeBilinear [2,5,3,1]->[2,6] ${name}`,
        inputs: [[2, 5, 3, 1]],
        f: (x: Tensor) => image.resizeBilinear(x, [2, 6], c),
        ref: (x: Arr) => resize64(x, 2, 6, c),
      },
    ]);
    it.each(gradCases.map((c) => [c.name, c] as const))(
      'gradient of %s against float64 central differences (and second order)',
      async (_n, c) => {
        const r = await gradCheck(c);
        expect(r.forward).toBeLessThan(1e-5);
        expect(r.first[0]).toBeLessThan(1e-5);
        r.second?.forEach((e) => expect(e).toBeLessThan(1e-3));
      },
    );

    it('resizeNearestNeighbor and cropAndResize gradients are the adjoints (<A x, y> = <x, A^T y>) with no leaks', async () => {
      const u = rng(15);
      const before = memory().numTensors;
      const checks: [string, (x: Tensor) => Tensor][] = [
        ['nearest', (x) => image.resizeNearestNeighbor(x, [7, 4], { halfPixelCenters: true })],
        ['nearest align', (x) => image.resizeNearestNeighbor(x, [3, 9], { alignCorners: true })],
        [
          'crop bilinear',
          (x) =>
            image.cropAndResize(
              x,
              [
                [-0.2, 0.1, 0.9, 1.3],
                [0.8, 0.7, 0.1, 0.2],
              ],
              [1, 0],
              [4, 5],
            ),
        ],
        [
          'crop nearest',
          (x) => image.cropAndResize(x, [[0.1, -0.1, 0.7, 0.9]], [1], [3, 6], { method: 'nearest' }),
        ],
      ];
      for (const [label, f] of checks) {
        const [x] = pair([2, 5, 6, 2], u);
        const tape = new GradientTape();
        tape.watch(x);
        const y = tape.record(() => f(x));
        const [r] = pair(y.shape as number[], u);
        const g = tape.gradient(y, x, r) as Tensor;
        const lhs = tidy(() => y.mul(r).sum());
        const rhs = tidy(() => x.mul(g).sum());
        expect(Math.abs((await lhs.item()) - (await rhs.item())), label).toBeLessThan(1e-4);
        for (const t of [x, y, r, g, lhs, rhs]) t.dispose();
      }
      expect(memory().numTensors).toBe(before);
    });
  });
}
