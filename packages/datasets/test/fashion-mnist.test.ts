// @webdl/datasets fashionMnist: shapes, ranges, class balance, a fixed checksum, and the pixels of the source package.
import { createRequire } from 'node:module';
import { memory, setBackend } from '@webdl/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fashionMnist } from '../src/index.js';
import { imageSamples, type ImageSetSpec } from '../src/image-set.js';

const require = createRequire(import.meta.url);

let loaded: Awaited<ReturnType<typeof fashionMnist.load>>;
beforeAll(async () => {
  await setBackend('cpu');
  loaded = await fashionMnist.load();
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

const SPEC: ImageSetSpec = {
  name: 'fashionMnist',
  magic: 'WDFM',
  asset: new URL('../assets/fashion-mnist.bin.gz', import.meta.url),
};

describe('fashionMnist.load', () => {
  it('train [8000, 28, 28] and test [2000, 28, 28] float32 in [0, 1], labels int32, 800 and 200 of each class', async () => {
    const { train, test } = loaded;
    expect(train.x.shape).toEqual([8000, 28, 28]);
    expect(train.x.dtype).toBe('float32');
    expect(train.y.shape).toEqual([8000]);
    expect(train.y.dtype).toBe('int32');
    expect(test.x.shape).toEqual([2000, 28, 28]);
    expect(test.y.shape).toEqual([2000]);
    expect(await train.x.min().item()).toBe(0);
    expect(await train.x.max().item()).toBe(1);
    const trainLabels = Array.from(await train.y.data());
    const testLabels = Array.from(await test.y.data());
    for (let c = 0; c < 10; c++) {
      expect(trainLabels.filter((l) => l === c)).toHaveLength(800);
      expect(testLabels.filter((l) => l === c)).toHaveLength(200);
    }
    expect(fashionMnist.classNames).toHaveLength(10);
    expect(fashionMnist.classNames[9]).toBe('Ankle boot');
  });

  it('the first three training images have a fixed checksum; the first labels are fixed', async () => {
    const px = await loaded.train.x.slice([0, 0, 0], [3, 28, 28]).data();
    expect(fnv1a(Array.from(px, (v) => Math.round(v * 255)))).toBe('4a220c92');
    expect(Array.from(await loaded.train.y.slice([0], [10]).data())).toEqual([5, 3, 1, 1, 2, 2, 1, 2, 9, 0]);
  });

  it('the pixels are those of the `fashion-mnist` package the asset was built from, exactly', async () => {
    const { train } = await imageSamples(SPEC, {});
    const px = await loaded.train.x.data();
    for (let k = 0; k < 2; k++) {
      const [c, i] = train[k];
      const raw = (require(`fashion-mnist/src/clothes/${c}.json`) as { data: number[][] }).data[i];
      const got = Array.from(px.subarray(k * 784, (k + 1) * 784), (v) => Math.round(v * 255));
      expect(got).toEqual(raw);
    }
  });

  it('the same seed gives the same split, another seed another order; bad sizes throw; no tensor is left behind', async () => {
    const before = memory().numTensors;
    const a = await fashionMnist.load({ train: 100, test: 20, seed: 3 });
    const b = await fashionMnist.load({ train: 100, test: 20, seed: 3 });
    const c = await fashionMnist.load({ train: 100, test: 20, seed: 4 });
    expect(Array.from(await a.train.y.data())).toEqual(Array.from(await b.train.y.data()));
    expect(Array.from(await a.train.y.data())).not.toEqual(Array.from(await c.train.y.data()));
    for (const s of [a, b, c]) for (const t of [s.train.x, s.train.y, s.test.x, s.test.y]) t.dispose();
    expect(memory().numTensors).toBe(before);
    await expect(fashionMnist.load({ test: 3 })).rejects.toThrow(
      'fashionMnist.load: test must be an integer in [10, 10000], got 3',
    );
    await expect(fashionMnist.load({ train: 10000 })).rejects.toThrow(
      'fashionMnist.load: train 10000 leaves no test images (the smallest class has 1000)',
    );
  });
});
