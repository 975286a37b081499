// Image kernels at a non-finite pixel or dy element, CPU reference and WebGPU (Dawn): a tap of interpolation
// weight 0 is skipped on both (0 * Inf is NaN), so each gives the sum over its taps of nonzero weight.
import '../node-gpu.js';
import * as dl from '@webdl/core';
import { registerWebGPU } from '@webdl/webgpu';
import { describe, expect, it } from 'vitest';

registerWebGPU();

const geom = { batch: 1, inHeight: 2, inWidth: 2, channels: 1, outHeight: 3, outWidth: 3 };
// alignCorners with 2 -> 3 samples each axis at 0, 0.5, 1: the same taps as the crop box [0, 0, 1, 1].
const resizeK = {
  ...geom,
  op: 'resizeGrad',
  method: 'bilinear',
  alignCorners: true,
  halfPixelCenters: false,
} as const;
const cropK = { ...geom, method: 'bilinear', numBoxes: 1, extrapolationValue: 0 } as const;
const transformK = {
  ...geom,
  outHeight: 2,
  outWidth: 2,
  interpolation: 'bilinear',
  fillMode: 'constant',
  fillValue: 0,
  perImage: true,
} as const;
const identity = [1, 0, 0, 0, 1, 0, 0, 0];
// dy with Inf at (0, 0), ones elsewhere: pixel (0, 0) gets Inf, each other pixel weights 1 + 0.5 + 0.5 + 0.25.
const dy33 = [Infinity, 1, 1, 1, 1, 1, 1, 1, 1];
const grad22 = [Infinity, 2.25, 2.25, 2.25];

const cases: [string, () => dl.Tensor, number[]][] = [
  [
    // Samples (0, 0), (0, 0.5), (0, 1) / (0.5, *) / (1, *) of [[Inf, 1], [2, 3]].
    'cropAndResize at an Inf pixel',
    () =>
      dl.runPrimitive(
        'image.cropAndResize',
        [
          dl.tensor([Infinity, 1, 2, 3], [1, 2, 2, 1]),
          dl.tensor([[0, 0, 1, 1]]),
          dl.tensor([0], [1], 'int32'),
        ],
        { kernel: { ...cropK, op: 'cropAndResize' } },
      )[0],
    [Infinity, Infinity, 1, Infinity, Infinity, 2, 2, 2.5, 3],
  ],
  [
    'cropAndResize gradient at an Inf dy',
    () =>
      dl.runPrimitive(
        'image.cropAndResizeGradImage',
        [dl.tensor(dy33, [1, 3, 3, 1]), dl.tensor([[0, 0, 1, 1]]), dl.tensor([0], [1], 'int32')],
        { kernel: { ...cropK, op: 'cropAndResizeGradImage' } },
      )[0],
    grad22,
  ],
  [
    'resize gradient at an Inf dy',
    () => dl.runPrimitive('image.resizeGrad', [dl.tensor(dy33, [1, 3, 3, 1])], { kernel: resizeK })[0],
    grad22,
  ],
  [
    // Identity: every sample lands on a pixel; its weight-0 neighbours include the Inf one.
    'transform at an Inf pixel',
    () =>
      dl.runPrimitive(
        'image.transform',
        [dl.tensor([1, 2, 3, Infinity], [1, 2, 2, 1]), dl.tensor([identity])],
        {
          kernel: { ...transformK, op: 'transform' },
        },
      )[0],
    [1, 2, 3, Infinity],
  ],
  [
    'transform gradient at an Inf dy',
    () =>
      dl.runPrimitive(
        'image.transformGrad',
        [dl.tensor([Infinity, 1, 2, 3], [1, 2, 2, 1]), dl.tensor([identity])],
        {
          kernel: { ...transformK, op: 'transformGrad' },
        },
      )[0],
    [Infinity, 1, 2, 3],
  ],
  [
    // A NaN pixel reaches exactly the samples that weight it.
    'cropAndResize next to a NaN pixel',
    () =>
      dl.runPrimitive(
        'image.cropAndResize',
        [dl.tensor([NaN, 1, 2, 3], [1, 2, 2, 1]), dl.tensor([[0, 0, 1, 1]]), dl.tensor([0], [1], 'int32')],
        { kernel: { ...cropK, op: 'cropAndResize' } },
      )[0],
    [NaN, NaN, 1, NaN, NaN, 2, 2, 2.5, 3],
  ],
];

describe('image kernels at non-finite values: a tap of weight 0 is skipped', () => {
  for (const backend of ['cpu', 'webgpu']) {
    it.each(cases)(`${backend}: %s`, async (_, run, want) => {
      await dl.setBackend(backend);
      const y = dl.tidy(() => run());
      expect(Array.from(await y.data())).toEqual(want);
      y.dispose();
    });
  }
});
