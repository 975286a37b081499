// Activation functions by Keras name ('relu', 'softmax', 'leaky_relu', ...), as tensor → tensor functions.
import * as core from '@webdl/core';
import type { Tensor } from '@webdl/core';
import { snakeCase } from './initializers.js';

/**
 * A tensor → tensor function, possibly carrying the Keras name it was resolved from.
 *
 * ```ts
 * const fn: activations.ActivationFn = activations.getActivation('swish');
 * fn(tensor([1, 2])).print();
 * ```
 */
export type ActivationFn = ((x: Tensor) => Tensor) & { activationName?: string };
/**
 * A Keras activation name or a function.
 *
 * ```ts
 * const act: activations.ActivationLike = 'relu'; // or (x) => x.maximum(0)
 * new layers.Dense(8, { activation: act });
 * ```
 */
export type ActivationLike = string | ((x: Tensor) => Tensor) | null | undefined;

const named = (name: string, fn: (x: Tensor) => Tensor): ActivationFn =>
  Object.assign(fn, { activationName: name });

function hardSilu(x: Tensor): Tensor {
  return core.mul(x, core.clipByValue(core.add(core.mul(x, 1 / 6), 0.5), 0, 1));
}

const ACTIVATIONS: Record<string, ActivationFn> = {
  linear: named('linear', (x) => x),
  relu: named('relu', (x) => core.relu(x)),
  relu6: named('relu6', (x) => core.relu6(x)),
  sigmoid: named('sigmoid', (x) => core.sigmoid(x)),
  hard_sigmoid: named('hard_sigmoid', (x) => core.clipByValue(core.add(core.mul(x, 1 / 6), 0.5), 0, 1)),
  tanh: named('tanh', (x) => core.tanh(x)),
  softmax: named('softmax', (x) => core.softmax(x, -1)),
  log_softmax: named('log_softmax', (x) => core.logSoftmax(x, -1)),
  gelu: named('gelu', (x) => core.gelu(x)),
  elu: named('elu', (x) => core.elu(x)),
  selu: named('selu', (x) => core.selu(x)),
  softplus: named('softplus', (x) => core.softplus(x)),
  softsign: named('softsign', (x) => core.softsign(x)),
  swish: named('swish', (x) => core.silu(x)),
  silu: named('silu', (x) => core.silu(x)),
  leaky_relu: named('leaky_relu', (x) => core.leakyRelu(x, 0.2)),
  exponential: named('exponential', (x) => core.exp(x)),
  mish: named('mish', (x) => core.mul(x, core.tanh(core.softplus(x)))),
  // x * relu6(x + 3) / 6 (Keras 3 names it hard_silu, with hard_swish as an alias). One function object each: named()
  // tags the function itself, so sharing one would make both save as the last name given.
  hard_silu: named('hard_silu', (x) => hardSilu(x)),
  hard_swish: named('hard_swish', (x) => hardSilu(x)),
};

// The core ops passed as activations (`activation: relu`) serialize by name. Listed one by one rather than looked
// up in core's namespace, which would keep every core export in each app's bundle.
const CORE_NAMES = new Map<unknown, string>([
  [core.elu, 'elu'],
  [core.gelu, 'gelu'],
  [core.leakyRelu, 'leaky_relu'],
  [core.logSoftmax, 'log_softmax'],
  [core.relu, 'relu'],
  [core.relu6, 'relu6'],
  [core.selu, 'selu'],
  [core.sigmoid, 'sigmoid'],
  [core.silu, 'silu'],
  [core.softmax, 'softmax'],
  [core.softplus, 'softplus'],
  [core.softsign, 'softsign'],
  [core.tanh, 'tanh'],
]);

/**
 * Resolves an activation: a Keras name (snake_case or camelCase), a function, or null/undefined for linear.
 *
 * ```ts
 * const act = activations.getActivation('leaky_relu');
 * act(tensor([-1, 2])); // [-0.2, 2]
 * ```
 */
export function getActivation(activation: ActivationLike): ActivationFn {
  if (activation === null || activation === undefined) return ACTIVATIONS.linear;
  if (typeof activation === 'function') return activation as ActivationFn;
  const fn = ACTIVATIONS[snakeCase(activation)];
  if (!fn)
    throw new Error(`Unknown activation '${activation}'; known: ${Object.keys(ACTIVATIONS).join(', ')}`);
  return fn;
}

/**
 * The Keras name of an activation for configs ('custom' for functions not from this table). `serializeActivation(getActivation('relu'))`
 *
 * ```ts
 * activations.serializeActivation(activations.getActivation('relu')); // 'relu'
 * ```
 */
export function serializeActivation(fn: ActivationFn): string {
  if (fn.activationName) return fn.activationName;
  for (const [k, v] of Object.entries(ACTIVATIONS)) if (v === fn) return k;
  return CORE_NAMES.get(fn) ?? 'custom';
}
