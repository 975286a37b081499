// Gradients of image.transform (image; against central differences of the linear map tfjs's transform applies, read
// from basis images) and of image.cropAndResize (image and boxes; against a float64 crop written here).
import * as tf from '@tensorflow/tfjs';
import { GradientTape, image, memory, setBackend, tensor, tidy, type Tensor } from '@webdl/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { gradCheck, rng, type GradCase } from './gradcheck.js';
import { arr, type Arr } from './ref64.js';

type Interp = 'nearest' | 'bilinear';
type Fill = 'constant' | 'reflect' | 'wrap' | 'nearest';

/** Random rotation + scale + translation rows with small projective terms (samples fall off the image too). */
function randomRows(u: () => number, n: number): number[][] {
  return Array.from({ length: n }, () => {
    const a = u() * 2 - 1;
    const s = 0.7 + u() * 0.6;
    const [c, si] = [s * Math.cos(a), s * Math.sin(a)];
    return [c, -si, u() * 4 - 2, si, c, u() * 4 - 2, (u() - 0.5) * 0.05, (u() - 0.5) * 0.05];
  });
}

/** y = A x + b of one image's transform, with A and b read from tfjs (float32 weights, applied in float64). */
function tfjsAffine(
  shape: number[],
  row: number[],
  interpolation: Interp,
  fillMode: Fill,
  out: [number, number],
): (x: ArrayLike<number>) => Float64Array {
  const [h, w, c] = shape;
  const run = (vals: Float32Array) =>
    tf.tidy(() =>
      tf.image
        .transform(tf.tensor4d(vals, [1, h, w, c]), [row], interpolation, fillMode, 0.25, out)
        .dataSync(),
    );
  const size = h * w * c;
  const b = Float64Array.from(run(new Float32Array(size)));
  const cols = Array.from({ length: size }, (_, j) => {
    const e = new Float32Array(size);
    e[j] = 1;
    return Float64Array.from(run(e), (v, i) => v - b[i]);
  });
  return (x) => {
    const y = Float64Array.from(b);
    cols.forEach((col, j) => col.forEach((v, i) => (y[i] += v * x[j])));
    return y;
  };
}

function transformCase(
  name: string,
  shape: number[],
  rows: number[][],
  interp: Interp,
  fill: Fill,
): GradCase {
  const out: [number, number] = [shape[1] + 1, shape[2] - 1];
  const per = shape.slice(1).reduce((a, d) => a * d, 1);
  const maps = Array.from({ length: shape[0] }, (_, n) =>
    tfjsAffine(shape.slice(1), rows[rows.length === 1 ? 0 : n], interp, fill, out),
  );
  const opts = { interpolation: interp, fillMode: fill, fillValue: 0.25, outputShape: out };
  return {
    name: `transform ${name} ${shape} ${interp} ${fill}`,
    inputs: [shape],
    f: (x: Tensor) => image.transform(x, rows, opts),
    ref: (x: Arr) => {
      const y = arr([shape[0], ...out, shape[3]]);
      const m = y.data.length / shape[0];
      maps.forEach((f, n) => y.data.set(f(x.data.subarray(n * per, (n + 1) * per)), n * m));
      return y;
    },
  };
}

/** Float64 bilinear crop-and-resize along TF's formulas (independent of core's kernels). */
function crop64(x: Arr, boxes: Arr, boxInd: number[], oh: number, ow: number): Arr {
  const [, h, w, ch] = x.shape;
  const out = arr([boxInd.length, oh, ow, ch]);
  const pos = (r: number, a: number, b: number, len: number, o: number) =>
    o > 1 ? a * (len - 1) + (r * (b - a) * (len - 1)) / (o - 1) : 0.5 * (a + b) * (len - 1);
  boxInd.forEach((n, bx) => {
    const [y1, x1, y2, x2] = boxes.data.subarray(4 * bx, 4 * bx + 4);
    for (let y = 0; y < oh; y++)
      for (let xx = 0; xx < ow; xx++) {
        const [sy, sx] = [pos(y, y1, y2, h, oh), pos(xx, x1, x2, w, ow)];
        if (sy < 0 || sy > h - 1 || sx < 0 || sx > w - 1) continue;
        const [fy, fx] = [sy - Math.floor(sy), sx - Math.floor(sx)];
        for (let c = 0; c < ch; c++) {
          const v = (yy: number, xq: number) => x.data[((n * h + yy) * w + xq) * ch + c];
          const [t, b, l, r] = [Math.floor(sy), Math.ceil(sy), Math.floor(sx), Math.ceil(sx)];
          const top = v(t, l) * (1 - fx) + v(t, r) * fx;
          const bottom = v(b, l) * (1 - fx) + v(b, r) * fx;
          out.data[((bx * oh + y) * ow + xx) * ch + c] = top * (1 - fy) + bottom * fy;
        }
      }
  });
  return out;
}

function cropCase(
  name: string,
  boxRange: [number, number],
  boxInd: number[],
  size: [number, number],
): GradCase {
  const [lo, hi] = boxRange;
  return {
    name: `cropAndResize ${name} boxes in [${lo}, ${hi}] crop ${size}`,
    inputs: [[2, 5, 6, 2], { shape: [boxInd.length, 4], gen: (u) => lo + (hi - lo) * u() }],
    f: (x: Tensor, b: Tensor) => image.cropAndResize(x, b, boxInd, size),
    ref: (x: Arr, b: Arr) => crop64(x, b, boxInd, ...size),
    tol2: false,
  };
}

/** Registers the image-gradient checks for a backend. */
export function imageGradSuite(backend: string): void {
  describe(`image.transform gradients on ${backend}`, () => {
    beforeAll(async () => {
      await setBackend(backend);
      await tf.setBackend('cpu');
    });

    const u = rng(21);
    const cases: GradCase[] = [];
    for (const interp of ['bilinear', 'nearest'] as const) {
      for (const fill of ['constant', 'reflect', 'wrap', 'nearest'] as const) {
        cases.push(transformCase('per image', [2, 4, 5, 2], randomRows(u, 2), interp, fill));
      }
    }
    cases.push(transformCase('shared row', [2, 5, 3, 1], randomRows(u, 1), 'bilinear', 'reflect'));
    it.each(cases.map((c) => [c.name, c] as const))(
      'gradient of %s with respect to the image against float64 central differences',
      async (_n, c) => {
        const r = await gradCheck(c);
        expect(r.forward).toBeLessThan(1e-5);
        expect(r.first[0]).toBeLessThan(1e-5);
        r.second?.forEach((e) => expect(e).toBeLessThan(1e-3));
      },
    );

    const crops = [
      cropCase('inside', [0.05, 0.95], [1, 0, 1], [4, 5]),
      cropCase('partly outside', [-0.3, 1.3], [0, 1], [3, 4]),
      cropCase('single sample', [0.1, 0.9], [1, 0], [1, 1]),
    ];
    it.each(crops.map((c) => [c.name, c] as const))(
      'gradient of %s with respect to image and boxes against float64 central differences',
      async (_n, c) => {
        const r = await gradCheck(c);
        expect(r.forward).toBeLessThan(1e-5);
        expect(r.first[0]).toBeLessThan(1e-5);
        expect(r.first[1]).toBeLessThan(1e-4);
      },
    );

    it('the boxes gradient leaks nothing, and rejects nearest and second order clearly', async () => {
      const x = tensor(
        Array.from({ length: 2 * 4 * 4 * 3 }, (_, i) => Math.cos(i)),
        [2, 4, 4, 3],
      );
      const b = tensor([0.1, 0.2, 0.8, 0.7, 0.9, 0.1, 0.3, 0.6], [2, 4]);
      const step = (method: 'bilinear' | 'nearest' = 'bilinear') => {
        const tape = new GradientTape();
        tape.watch(b);
        const loss = tape.record(() =>
          tidy(() => image.cropAndResize(x, b, [1, 0], [3, 2], { method }).square().sum()),
        );
        try {
          return tape.gradient(loss, b) as Tensor;
        } finally {
          loss.dispose();
        }
      };
      step().dispose();
      const before = memory();
      for (let i = 0; i < 5; i++) step().dispose();
      expect(memory().numTensors).toBe(before.numTensors);
      expect(memory().numBytes).toBe(before.numBytes);
      expect(() => step('nearest')).toThrow(/gradient with respect to boxes needs method 'bilinear'/);
      expect(memory().numTensors, 'after a failed gradient').toBe(before.numTensors);
      const outer = new GradientTape();
      outer.watch(b);
      let inner = new GradientTape();
      inner.watch(b);
      // The crop is made inside tidy: left undisposed it was the one tensor that looked like a tape leak.
      const firstOrderSum = () => {
        const l = inner.record(() => tidy(() => image.cropAndResize(x, b, [1, 0], [3, 2]).sum()));
        const g = inner.gradient(l, b) as Tensor;
        const sum = g.sum();
        l.dispose();
        g.dispose();
        return sum;
      };
      const y = outer.record(firstOrderSum);
      expect(() => outer.gradient(y, b)).toThrow(/second-order gradients involving the boxes/);
      y.dispose();
      expect(memory().numTensors, 'after a failed second-order gradient').toBe(before.numTensors);
      expect(memory().numBytes).toBe(before.numBytes);
      // The same failure inside a third tape's record, thrown out of it: that tape frees what it saved.
      const third = new GradientTape();
      third.watch(b);
      expect(() =>
        third.record(() => {
          const mid = new GradientTape();
          mid.watch(b);
          inner = new GradientTape();
          inner.watch(b);
          const s = mid.record(firstOrderSum);
          try {
            return mid.gradient(s, b);
          } finally {
            s.dispose();
          }
        }),
      ).toThrow(/second-order gradients involving the boxes/);
      third.dispose();
      expect(memory().numTensors, 'after a failure inside an outer record').toBe(before.numTensors);
      expect(memory().numBytes).toBe(before.numBytes);
      for (const v of [x, b]) v.dispose();
    });

    it('the transform gradient leaks nothing over repeated steps, and rejects a gradient for transforms', async () => {
      const x = tensor(
        Array.from({ length: 2 * 4 * 4 * 3 }, (_, i) => Math.sin(i)),
        [2, 4, 4, 3],
      );
      const t = tensor(randomRows(rng(22), 2), [2, 8]);
      const opts = { interpolation: 'bilinear', fillMode: 'wrap' } as const;
      const step = () => {
        const tape = new GradientTape();
        tape.watch(x);
        const loss = tape.record(() => tidy(() => image.transform(x, t, opts).square().sum()));
        const g = tape.gradient(loss, x) as Tensor;
        loss.dispose();
        return g;
      };
      step().dispose();
      const before = memory();
      for (let i = 0; i < 5; i++) step().dispose();
      expect(memory().numTensors).toBe(before.numTensors);
      expect(memory().numBytes).toBe(before.numBytes);
      const tape = new GradientTape();
      tape.watch(t);
      const y = tape.record(() => image.transform(x, t, opts));
      expect(() => tape.gradient(y, t)).toThrow(/image.transform: the gradient with respect to transforms/);
      for (const v of [x, t, y]) v.dispose();
    });
  });
}
