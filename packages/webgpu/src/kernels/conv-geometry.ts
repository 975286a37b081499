// Conv geometry shared by the convolution kernels: the parameter words every conv shader reads, and dispatch labels.
import type { Conv2DInfo } from '@webdl/core';
import { fmt } from '../kernel-context.js';

/** The 15 geometry words the convolution io fragments read. */
export function convParams(i: Conv2DInfo): number[] {
  return [
    i.batch,
    i.inHeight,
    i.inWidth,
    i.inChannels,
    i.outHeight,
    i.outWidth,
    i.outChannels,
    i.filterHeight,
    i.filterWidth,
    i.strideHeight,
    i.strideWidth,
    i.dilationHeight,
    i.dilationWidth,
    i.padTop,
    i.padLeft,
  ];
}

/** Short geometry text for labels. */
export function convLabel(op: string, i: Conv2DInfo): string {
  return (
    `${op} x ${fmt([i.batch, i.inHeight, i.inWidth, i.inChannels])} filter ${fmt([i.filterHeight, i.filterWidth])} ` +
    `-> ${fmt([i.batch, i.outHeight, i.outWidth, i.outChannels])} strides ${i.strideHeight},${i.strideWidth} ` +
    `dilations ${i.dilationHeight},${i.dilationWidth} pad ${i.padTop},${i.padLeft}`
  );
}
