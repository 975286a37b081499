// stopGradient: the identity whose gradient is null, so tapes do not look through it.
import type { Tensor } from '../tensor.js';
import { runPrimitive } from '../primitives/registry.js';

/**
 * Returns x unchanged but cut from gradient computation. `stopGradient(x)`
 *
 * ```ts
 * grad((x: Tensor) => x.mul(stopGradient(x)).sum())(tensor([3])); // [3]: only the first factor is differentiated
 * ```
 */
export function stopGradient(x: Tensor): Tensor {
  return runPrimitive('stopGradient', [x], {})[0];
}
