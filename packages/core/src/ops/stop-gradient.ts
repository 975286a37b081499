// stopGradient: the identity whose gradient is null, so tapes do not look through it.
import type { Tensor } from '../tensor.js';
import { runPrimitive } from '../primitives/registry.js';

/** Returns x unchanged but cut from gradient computation. `stopGradient(x)` */
export function stopGradient(x: Tensor): Tensor {
  return runPrimitive('stopGradient', [x], {})[0];
}
