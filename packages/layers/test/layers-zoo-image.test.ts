// Resizing, CenterCrop (smaller inputs) and the augmentation layers (RandomFlip/Rotation/Zoom/Translation): harness, TF.js and hand values.
import * as tf from '@tensorflow/tfjs';
import { randomNormal, setBackend, tensor, type Tensor } from '@webdl/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CenterCrop,
  RandomFlip,
  RandomRotation,
  RandomTranslation,
  RandomZoom,
  Resizing,
} from '../src/layers/zoo-extra.js';
import { runLayerTest } from './layer-harness.js';
import { maxErrors, record, shared } from './tfjs-compare.js';

beforeAll(async () => {
  await setBackend('cpu');
  await tf.setBackend('cpu');
});

afterAll(() => {
  console.info('tfjs oracle (image layers) max abs errors:', JSON.stringify(maxErrors));
});

const arr = async (t: Tensor | Tensor[]) => Array.from(await (t as Tensor).data());
const data = (t: Tensor | Tensor[]) => (t as Tensor).data();

describe('Resizing and CenterCrop', () => {
  it('harness', async () => {
    await runLayerTest({
      make: () => new Resizing(3, 5),
      inputShape: [2, 4, 4, 2],
      expectedOutputShape: [2, 3, 5, 2],
      expectedWeights: 0,
    });
    await runLayerTest({
      make: () => new Resizing(2, 2, { interpolation: 'nearest', cropToAspectRatio: true }),
      inputShape: [1, 3, 5, 1],
      expectedOutputShape: [1, 2, 2, 1],
      expectedWeights: 0,
    });
  });

  it('match tf.image resize with half-pixel centres (Keras 3 / TF 2 semantics)', async () => {
    const [x, xt] = await shared([2, 5, 7, 3]);
    record(
      'Resizing bilinear',
      await data(new Resizing(8, 4).apply(x)),
      await tf.image.resizeBilinear(xt as tf.Tensor4D, [8, 4], false, true).data(),
    );
    record(
      'Resizing nearest',
      await data(new Resizing(3, 9, { interpolation: 'nearest' }).apply(x)),
      await tf.image.resizeNearestNeighbor(xt as tf.Tensor4D, [3, 9], false, true).data(),
    );
    // cropToAspectRatio: the centred 5x5 window of the 5x7 image, then resized to 4x4.
    const window = tf.slice(xt, [0, 0, 1, 0], [2, 5, 5, 3]) as tf.Tensor4D;
    record(
      'Resizing cropToAspectRatio',
      await data(new Resizing(4, 4, { cropToAspectRatio: true }).apply(x)),
      await tf.image.resizeBilinear(window, [4, 4], false, true).data(),
    );
    // CenterCrop of a larger size than the image resizes (Keras's smart_resize).
    const small = new CenterCrop(6, 6).apply(x) as Tensor;
    expect(small.shape).toEqual([2, 6, 6, 3]);
    record(
      'CenterCrop smaller',
      await small.data(),
      await tf.image.resizeBilinear(window, [6, 6], false, true).data(),
    );
    expect(() => new Resizing(4, 4, { padToAspectRatio: true })).toThrow(/padToAspectRatio is not supported/);
    expect(() => new Resizing(4, 4, { interpolation: 'bicubic' as 'nearest' })).toThrow(
      /interpolation must be/,
    );
  });
});

describe('augmentation: active only while training', () => {
  const img = tensor(
    Array.from({ length: 2 * 4 * 4 }, (_, i) => i),
    [2, 4, 4, 1],
  );

  it('harness (RandomFlip and the transform layers, with input gradients in training)', async () => {
    await runLayerTest({
      make: () => new RandomFlip('horizontal_and_vertical', { seed: 1 }),
      inputShape: [2, 3, 4, 2],
      expectedOutputShape: [2, 3, 4, 2],
      expectedWeights: 0,
    });
    for (const make of [
      () => new RandomRotation(0.2, { seed: 2 }),
      () => new RandomZoom(0.3, { widthFactor: [-0.2, 0.1], seed: 3 }),
      () => new RandomTranslation(0.2, [-0.1, 0.3], { seed: 4, fillMode: 'constant' }),
    ])
      await runLayerTest({
        make,
        inputShape: [2, 5, 5, 2],
        expectedOutputShape: [2, 5, 5, 2],
        expectedWeights: 0,
      });
  });

  it('are the identity at inference (cast to float32)', async () => {
    for (const layer of [
      new RandomFlip(),
      new RandomRotation(0.5),
      new RandomZoom(0.5),
      new RandomTranslation(0.5, 0.5),
    ])
      expect(await arr(layer.apply(img) as Tensor)).toEqual(await arr(img));
  });

  it('RandomFlip: each image is itself or its mirror, about half of them mirrored', async () => {
    const x = randomNormal([40, 2, 3, 1], { seed: 5 });
    const rows = (await x.reshape([40, 6]).array()) as number[][];
    const out = (await (new RandomFlip('horizontal', { seed: 9 }).apply(x, { training: true }) as Tensor)
      .reshape([40, 6])
      .array()) as number[][];
    let flipped = 0;
    out.forEach((o, i) => {
      const r = rows[i];
      const mirror = [r[2], r[1], r[0], r[5], r[4], r[3]];
      const isMirror = o.every((v, j) => v === mirror[j]);
      expect(isMirror || o.every((v, j) => v === r[j])).toBe(true);
      if (isMirror) flipped++;
    });
    expect(flipped).toBeGreaterThan(10);
    expect(flipped).toBeLessThan(30);
    const v = (await (new RandomFlip('vertical', { seed: 9 }).apply(x, { training: true }) as Tensor)
      .reshape([40, 6])
      .array()) as number[][];
    v.forEach((o, i) => {
      const r = rows[i];
      const mirror = [r[3], r[4], r[5], r[0], r[1], r[2]];
      expect(o.every((val, j) => val === mirror[j]) || o.every((val, j) => val === r[j])).toBe(true);
    });
  });

  it('RandomRotation by exactly half a turn is both flips; other angles match tf.image.transform', async () => {
    const half = new RandomRotation([0.5, 0.5]).apply(img, { training: true }) as Tensor;
    const flipped = tf.reverse(tf.tensor(await arr(img), [2, 4, 4, 1]), [1, 2]);
    record('RandomRotation pi', await half.data(), await flipped.data());
    const [x, xt] = await shared([1, 5, 6, 2]);
    const angle = 0.1 * 2 * Math.PI;
    const [c, s, w1, h1] = [Math.cos(angle), Math.sin(angle), 5, 4];
    const m = [c, -s, (w1 - (c * w1 - s * h1)) / 2, s, c, (h1 - (s * w1 + c * h1)) / 2, 0, 0];
    record(
      'RandomRotation',
      await data(new RandomRotation([0.1, 0.1]).apply(x, { training: true })),
      await tf.image.transform(xt as tf.Tensor4D, tf.tensor2d([m]), 'bilinear', 'reflect').data(),
    );
  });

  it('RandomZoom and RandomTranslation: fixed factors by hand and against tf.image.transform', async () => {
    const [x, xt] = await shared([1, 5, 6, 2]);
    // Zoom 1 + (-0.5): the centre region is magnified 2x.
    const [zh, zw] = [0.5, 0.8];
    const m = [zw, 0, (5 / 2) * (1 - zw), 0, zh, (4 / 2) * (1 - zh), 0, 0];
    record(
      'RandomZoom',
      await data(new RandomZoom([-0.5, -0.5], { widthFactor: [-0.2, -0.2] }).apply(x, { training: true })),
      await tf.image.transform(xt as tf.Tensor4D, tf.tensor2d([m]), 'bilinear', 'reflect').data(),
    );
    expect(await arr(new RandomZoom([0, 0]).apply(img, { training: true }) as Tensor)).toEqual(
      await arr(img),
    );
    // Down by 1/4 of 4 rows = 1 row; constant fill puts zeros in the top row.
    const shifted = new RandomTranslation([0.25, 0.25], [0, 0], { fillMode: 'constant' }).apply(img, {
      training: true,
    }) as Tensor;
    const want = (await img.array()) as number[][][][];
    const got = (await shifted.array()) as number[][][][];
    for (let b = 0; b < 2; b++) {
      expect(got[b][0].flat()).toEqual([0, 0, 0, 0]);
      for (let r = 1; r < 4; r++) expect(got[b][r].flat()).toEqual(want[b][r - 1].flat());
    }
    expect(() => new RandomZoom([-1.5, 0])).toThrow(/RandomZoom: heightFactor must be/);
    expect(() => new RandomRotation(0.1, { fillMode: 'mirror' as 'wrap' })).toThrow(/fillMode must be/);
  });

  it('a fixed seed reproduces the sequence of draws; draws differ between calls', async () => {
    const run = async () => {
      const layer = new RandomRotation(0.3, { seed: 42 });
      return [
        await arr(layer.apply(img, { training: true }) as Tensor),
        await arr(layer.apply(img, { training: true }) as Tensor),
      ];
    };
    const [a1, a2] = await run();
    const [b1, b2] = await run();
    expect(b1).toEqual(a1);
    expect(b2).toEqual(a2);
    expect(a2).not.toEqual(a1);
  });
});
