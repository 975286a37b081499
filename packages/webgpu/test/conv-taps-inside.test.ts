// convTapsInside: which conv2d geometries take the CPU-adapter kernel without tap tests (no tap can reach the padding).
import type { Conv2DInfo } from '@webdl/core';
import { describe, expect, it } from 'vitest';
import { conv2dRegsSource, convTapsInside } from '../src/kernels/register-conv.js';

const base: Conv2DInfo = {
  batch: 2,
  inHeight: 9,
  inWidth: 8,
  inChannels: 3,
  outHeight: 7,
  outWidth: 6,
  outChannels: 5,
  filterHeight: 3,
  filterWidth: 3,
  strideHeight: 1,
  strideWidth: 1,
  dilationHeight: 1,
  dilationWidth: 1,
  padTop: 0,
  padLeft: 0,
  channelMultiplier: 1,
};

describe('convTapsInside', () => {
  it("holds for 'valid' geometries (strided, dilated) and not where a tap reaches the padding", () => {
    expect(convTapsInside(base)).toBe(true);
    // 4x4 stride [2, 3] on 11 x 12: last taps at rows 4 * 2 + 3 = 11 > 10, so 'valid' gives 4 x 3 outputs.
    const strided = {
      ...base,
      inHeight: 11,
      inWidth: 12,
      outHeight: 4,
      outWidth: 3,
      filterHeight: 4,
      filterWidth: 4,
    };
    expect(convTapsInside({ ...strided, strideHeight: 2, strideWidth: 3 })).toBe(true);
    expect(convTapsInside({ ...base, outHeight: 5, outWidth: 4, dilationHeight: 2, dilationWidth: 2 })).toBe(
      true,
    );
    // 'same': padding 1 on each side.
    expect(convTapsInside({ ...base, outHeight: 9, outWidth: 8, padTop: 1, padLeft: 1 })).toBe(false);
    // Padding only at the bottom/right ('same' with an even filter): the last row's taps fall past the input.
    expect(convTapsInside({ ...base, outHeight: 9, outWidth: 8, filterHeight: 2, filterWidth: 2 })).toBe(
      false,
    );
  });

  it('drops the tap tests and the rolled border loop from the kernel only when inside', () => {
    expect(conv2dRegsSource(false, true)).not.toMatch(/in0|select/);
    expect(conv2dRegsSource(false, false)).toMatch(/if \(in0 && in1 && in2 && in3\)/);
  });
});
