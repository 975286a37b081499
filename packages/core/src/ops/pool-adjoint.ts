// The gradient of maxPoolBackprop with respect to dy, written with tensor ops (so it differentiates again).
import type { Conv2DInfo } from '../backend.js';
import type { Tensor } from '../tensor.js';
import { runPrimitive } from '../primitives/registry.js';
import { eye, onesLike, tensor } from './creation.js';
import { cast, equal, where } from './elementwise.js';
import { matmul } from './matmul.js';
import { reshape, tile } from './shape-ops.js';

const outShapeOf = (i: Conv2DInfo) => [i.batch, i.outHeight, i.outWidth, i.outChannels];

/** Window cells as a last axis: x [b,h,w,C] -> [b,oh,ow,C,K], K = fh·fw taps in row-major order (0 off the image). */
function patches(x: Tensor, info: Conv2DInfo): Tensor {
  const k = info.filterHeight * info.filterWidth;
  const c = info.inChannels;
  const taps = tile(reshape(eye(k), [info.filterHeight, info.filterWidth, 1, k]), [1, 1, c, 1]);
  const y = runPrimitive('depthwiseConv2d', [x, taps], {
    info: { ...info, outChannels: c * k, channelMultiplier: k },
  })[0];
  return reshape(y, [...outShapeOf(info), k]);
}

/**
 * Gradient of maxPoolBackprop(dy, x) with respect to dy (it is linear in dy): g read at each window's
 * first maximum, the cell the kernel routes dy to. Written with tensor ops, so it differentiates again.
 */
export function maxPoolBackpropAdjoint(g: Tensor, x: Tensor, info: Conv2DInfo): Tensor {
  const k = info.filterHeight * info.filterWidth;
  const inside = patches(onesLike(x), info).greater(0.5);
  const cells = where(inside, patches(x, info), -Infinity);
  const isMax = cast(equal(cells, cells.max(-1, true)), 'float32');
  // Keep a tap only when no earlier tap of its window is a maximum too (earlier[j] = Σ_{i<j} isMax[i]).
  const upper = tensor(
    Array.from({ length: k * k }, (_, q) => Number(Math.floor(q / k) < q % k)),
    [k, k],
  );
  const earlier = reshape(matmul(reshape(isMax, [-1, k]), upper), isMax.shape);
  const first = isMax.mul(cast(equal(earlier, 0), 'float32'));
  return first.mul(patches(g, info)).sum(-1);
}
