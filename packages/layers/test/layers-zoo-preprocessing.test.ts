// runLayerTest over separable/grouped convolution, preprocessing, noise and normalization layers, plus hand-computed values.
import { randomNormal, setBackend, tensor, tidy, type Tensor } from '@webdl/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Sequential, loadModel } from '@webdl/layers';
import { Conv2D } from '../src/layers/conv.js';
import { Dense } from '../src/layers/dense.js';
import { LayerNormalization } from '../src/layers/layer-norm.js';
import {
  CenterCrop,
  GaussianDropout,
  GaussianNoise,
  GroupNormalization,
  Normalization,
  Rescaling,
  SeparableConv2D,
  SpatialDropout2D,
  UnitNormalization,
} from '../src/layers/zoo-extra.js';
import { runLayerTest } from './layer-harness.js';

beforeAll(async () => {
  await setBackend('cpu');
});

const round = (v: number) => Math.round(v * 1e5) / 1e5 + 0;
const values = async (t: Tensor | Tensor[]) => Array.from(await (t as Tensor).data()).map(round);
const expectClose = (got: number[], want: number[], digits = 4) => {
  expect(got.length).toBe(want.length);
  got.forEach((v, i) => expect(v).toBeCloseTo(want[i], digits));
};

describe('convolutions', () => {
  it('SeparableConv2D and grouped Conv2D/Conv1D go through the harness', async () => {
    await runLayerTest({
      make: () => new SeparableConv2D(4, 3, { depthMultiplier: 2, padding: 'same' }),
      inputShape: [2, 5, 5, 3],
      expectedOutputShape: [2, 5, 5, 4],
      expectedWeights: 3,
      expectedParams: 3 * 3 * 3 * 2 + 6 * 4 + 4,
    });
    await runLayerTest({
      make: () => new Conv2D(6, 3, { groups: 2 }),
      inputShape: [2, 5, 5, 4],
      expectedOutputShape: [2, 3, 3, 6],
      expectedWeights: 2,
      expectedParams: 3 * 3 * 2 * 6 + 6,
    });
  });

  it('groups: each group of filters sees only its slice of the channels', async () => {
    const conv = new Conv2D(4, 1, { groups: 2, useBias: false });
    const x = tensor([1, 2, 3, 4], [1, 1, 1, 4]);
    conv.apply(x);
    // Kernel [1, 1, 2, 4]: filters 0-1 read channels 0-1, filters 2-3 read channels 2-3.
    conv.setWeights([tensor([1, 0, 10, 0, 0, 1, 0, 10], [1, 1, 2, 4])]);
    expect(await values(conv.apply(x))).toEqual([1, 2, 30, 40]);
    expect(() => new Conv2D(5, 3, { groups: 2 })).toThrow(/filters \(5\) must be divisible by groups \(2\)/);
    expect(() => new Conv2D(4, 3, { groups: 4 }).apply(tensor([0, 0, 0], [1, 1, 1, 3]))).toThrow(
      /input channels \(3\) must be divisible by groups \(4\)/,
    );
  });
});

describe('preprocessing', () => {
  it('Rescaling and CenterCrop', async () => {
    await runLayerTest({
      make: () => new Rescaling(1 / 255, { offset: -1 }),
      inputShape: [2, 3],
      expectedOutputShape: [2, 3],
      expectedWeights: 0,
    });
    expect(await values(new Rescaling(0.5, { offset: 1 }).apply(tensor([0, 4, 255], [3], 'int32')))).toEqual([
      1, 3, 128.5,
    ]);
    await runLayerTest({
      make: () => new CenterCrop(2, 3),
      inputShape: [2, 5, 4, 2],
      expectedOutputShape: [2, 2, 3, 2],
      expectedWeights: 0,
    });
    // 5x4 image 0..19: rows from floor(3/2)=1, columns from floor(1/2)=0.
    const img = tensor(
      Array.from({ length: 20 }, (_, i) => i),
      [5, 4, 1],
    );
    expect(await values(new CenterCrop(2, 3).apply(img))).toEqual([4, 5, 6, 8, 9, 10]);
    // Smaller than the crop: resized instead (checked against TF.js in layers-zoo-image.test.ts).
    expect((new CenterCrop(6, 3).apply(img) as Tensor).shape).toEqual([6, 3, 1]);
  });

  it('Normalization: harness, adapt, pooled batches, fixed statistics, invert, save and load', async () => {
    const adapted = () => {
      const n = new Normalization();
      n.adapt(randomNormal([6, 3], { seed: 3, mean: 2, stddev: 3 }));
      return n;
    };
    await runLayerTest({
      make: adapted,
      inputShape: [2, 3],
      expectedOutputShape: [2, 3],
      expectedWeights: 3,
      expectedTrainableWeights: 0,
      expectedParams: 7,
    });
    await runLayerTest({
      make: () => new Normalization({ axis: null, mean: 1, variance: 4 }),
      inputShape: [2, 3],
      expectedOutputShape: [2, 3],
      expectedWeights: 0,
    });
    const x = tensor([
      [1, 10],
      [3, 30],
      [5, 20],
    ]);
    const norm = new Normalization();
    norm.adapt(x);
    // Mean [3, 20]; population variance [8/3, 200/3].
    expect(await values(norm.adaptMean!)).toEqual([3, 20]);
    expectClose(await values(norm.adaptVariance!), [8 / 3, 200 / 3]);
    expect(await norm.count!.item()).toBe(3);
    const y = (await values(norm.apply(x))).slice(0, 2);
    expectClose(y, [-2 / Math.sqrt(8 / 3), -10 / Math.sqrt(200 / 3)]);
    // Two batches pool to the statistics of the whole.
    const pooled = new Normalization();
    pooled.adapt([x.slice([0, 0], [1, 2]), x.slice([1, 0], [2, 2])]);
    expectClose(await values(pooled.adaptVariance!), await values(norm.adaptVariance!));
    // invert undoes the normalization.
    const inv = new Normalization({ mean: [3, 20], variance: [8 / 3, 200 / 3], invert: true });
    expectClose(await values(inv.apply(norm.apply(x))), await values(x));
    // Per-position statistics on axis [1, 2] of [n, 2, 2] inputs.
    const per = new Normalization({ axis: [1, 2] });
    per.adapt(randomNormal([4, 2, 2], { seed: 4 }));
    expect(per.adaptMean!.shape).toEqual([2, 2]);
    // Adapted statistics are weights: saved and loaded with the model.
    const model = new Sequential([new Normalization({ inputShape: [2] }), new Dense(1)]);
    (model.layers[0] as Normalization).adapt(x);
    const loaded = await loadModel(await model.save());
    expect(await values(loaded.apply(x) as Tensor)).toEqual(await values(model.apply(x) as Tensor));
    expect(() => new Normalization({ mean: 1 })).toThrow(/give both mean and variance/);
    expect(() => new Normalization({ mean: [1, 2, 3], variance: [1, 1, 1] }).apply(x)).toThrow(
      /mean has 3 values; expected 1 or 2/,
    );
  });
});

describe('noise layers: active only while training', () => {
  it('go through the harness', async () => {
    for (const make of [
      () => new GaussianNoise(0.5, { seed: 1 }),
      () => new GaussianDropout(0.3, { seed: 1 }),
    ])
      await runLayerTest({ make, inputShape: [2, 3], expectedOutputShape: [2, 3], expectedWeights: 0 });
    await runLayerTest({
      make: () => new SpatialDropout2D(0.5, { seed: 2 }),
      inputShape: [2, 3, 3, 4],
      expectedOutputShape: [2, 3, 3, 4],
      expectedWeights: 0,
    });
  });

  it('noise statistics, identity at inference', async () => {
    const x = tensor(new Array(4000).fill(2), [40, 100]);
    const stats = async (t: Tensor) => {
      const v = Array.from(await t.data());
      const m = v.reduce((a, b) => a + b, 0) / v.length;
      return [m, Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length)];
    };
    const [m1, s1] = await stats(new GaussianNoise(0.5).apply(x, { training: true }) as Tensor);
    expect(Math.abs(m1 - 2)).toBeLessThan(0.05);
    expect(Math.abs(s1 - 0.5)).toBeLessThan(0.03);
    // x * N(1, rate / (1 - rate)): std 2 * sqrt(0.2 / 0.8) = 1.
    const [m2, s2] = await stats(new GaussianDropout(0.2).apply(x, { training: true }) as Tensor);
    expect(Math.abs(m2 - 2)).toBeLessThan(0.1);
    expect(Math.abs(s2 - 1)).toBeLessThan(0.05);
    for (const layer of [new GaussianNoise(0.5), new GaussianDropout(0.2), new SpatialDropout2D(0.5)]) {
      const img = x.reshape([40, 10, 10, 1]);
      expect(layer.apply(img)).toBe(img);
    }
    // SpatialDropout2D: each (sample, channel) map is all 0 or all 2 / (1 - 0.5) = 4.
    const maps = new SpatialDropout2D(0.5, { seed: 5 }).apply(tensor(new Array(800).fill(2), [20, 4, 5, 2]), {
      training: true,
    }) as Tensor;
    const perMap = (await maps.transpose([0, 3, 1, 2]).reshape([40, 20]).array()) as number[][];
    for (const row of perMap) expect(new Set(row).size).toBe(1);
    const kept = perMap.filter((r) => r[0] === 4).length;
    expect(perMap.every((r) => r[0] === 0 || r[0] === 4)).toBe(true);
    expect(kept).toBeGreaterThan(8);
    expect(kept).toBeLessThan(32);
  });
});

describe('normalization', () => {
  it('GroupNormalization and UnitNormalization go through the harness', async () => {
    await runLayerTest({
      make: () => new GroupNormalization({ groups: 2 }),
      inputShape: [2, 3, 3, 4],
      expectedOutputShape: [2, 3, 3, 4],
      expectedWeights: 2,
      expectedParams: 8,
    });
    await runLayerTest({
      make: () => new UnitNormalization(),
      inputShape: [2, 3],
      expectedOutputShape: [2, 3],
      expectedWeights: 0,
    });
  });

  it('GroupNormalization against a float64 reference, and groups = 1 is LayerNormalization over all axes', async () => {
    const [n, h, w, c, g] = [2, 2, 3, 4, 2];
    const x = randomNormal([n, h, w, c], { seed: 9 });
    const xs = Array.from(await x.data());
    const expected = new Array<number>(xs.length);
    const per = c / g;
    for (let b = 0; b < n; b++)
      for (let gi = 0; gi < g; gi++) {
        const idx: number[] = [];
        for (let p = 0; p < h * w; p++)
          for (let k = 0; k < per; k++) idx.push(b * h * w * c + p * c + gi * per + k);
        const mean = idx.reduce((a, i) => a + xs[i], 0) / idx.length;
        const v = idx.reduce((a, i) => a + (xs[i] - mean) ** 2, 0) / idx.length;
        for (const i of idx) expected[i] = (xs[i] - mean) / Math.sqrt(v + 1e-3);
      }
    const y = Array.from(await (new GroupNormalization({ groups: g }).apply(x) as Tensor).data());
    y.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 5));
    const one = await values(new GroupNormalization({ groups: 1 }).apply(x));
    expect(one).toEqual(await values(new LayerNormalization({ axis: [1, 2, 3] }).apply(x)));
    expect(() => new GroupNormalization({ groups: 3 }).apply(x)).toThrow(
      /groups \(3\) must divide the 4 channels/,
    );
  });

  it('UnitNormalization', async () => {
    expect(await values(new UnitNormalization().apply(tensor([[3, 4]])))).toEqual([0.6, 0.8]);
    expect(
      await values(
        new UnitNormalization({ axis: [1, 2] }).apply(
          tensor([
            [
              [1, 1],
              [1, 1],
            ],
          ]),
        ),
      ),
    ).toEqual([0.5, 0.5, 0.5, 0.5]);
    tidy(() => expect(() => new UnitNormalization({ axis: 0 }).apply(tensor([[1]]))).toThrow(/batch axis/));
  });
});
