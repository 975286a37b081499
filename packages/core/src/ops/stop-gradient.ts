// stopGradient: the identity whose gradient is null, so tapes do not look through it.
import { ENGINE } from '../engine.js';
import type { Tensor } from '../tensor.js';

/** Returns x unchanged but cut from gradient computation. `stopGradient(x)` */
export function stopGradient(x: Tensor): Tensor {
  return ENGINE.run('stopGradient', [x], (_b, [xi]) => [
    { dataId: xi.dataId, shape: xi.shape, dtype: xi.dtype },
  ])[0];
}
