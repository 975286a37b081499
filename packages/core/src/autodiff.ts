// Function transforms built on GradientTape: grad, valueAndGrad and customGradient.
import { ENGINE } from './engine.js';
import { GradientTape } from './tape.js';
import { Tensor } from './tensor.js';
import { ones } from './ops/creation.js';

type GradsOf<A extends Tensor[]> = A extends [Tensor] ? Tensor : Tensor[];

function differentiate<A extends Tensor[]>(
  f: (...args: A) => Tensor,
  args: A,
  dy?: Tensor,
): { value: Tensor; grads: Tensor[] } {
  const tape = new GradientTape();
  tape.watch(args);
  const value = tape.record(() => f(...args));
  if (!(value instanceof Tensor) || value.dtype !== 'float32') {
    tape.dispose();
    const got = value instanceof Tensor ? value.dtype : `${typeof value} ${String(value)}`;
    throw new Error(`grad: f must return a float32 tensor, got ${got}`);
  }
  // A source f does not use has a zero gradient here (like tf.grad), rather than null.
  const grads = tape
    .gradient(value, args, dy)
    .map((g, i) => g ?? ENGINE.tidy(() => ones(args[i].shape).mul(0)));
  return { value, grads };
}

/**
 * The gradient function of f: `grad(f)(x)` is df/dx (an array for several arguments).
 *
 * ```ts
 * const dsquare = grad((x: Tensor) => x.square());
 * dsquare(scalar(3)); // 6
 * ```
 */
export function grad<A extends Tensor[]>(f: (...args: A) => Tensor): (...args: A) => GradsOf<A> {
  return (...args: A) => {
    const { value, grads } = differentiate(f, args);
    value.dispose();
    return (args.length === 1 ? grads[0] : grads) as GradsOf<A>;
  };
}

/**
 * Like grad, also returning f's value: `const { value, grads } = valueAndGrad(f)(x)`.
 *
 * ```ts
 * const { value, grads } = valueAndGrad((x: Tensor) => x.square().sum())(tensor([1, 2]));
 * // value 5, grads [2, 4]
 * ```
 */
export function valueAndGrad<A extends Tensor[]>(
  f: (...args: A) => Tensor,
): (...args: A) => { value: Tensor; grads: GradsOf<A> } {
  return (...args: A) => {
    const { value, grads } = differentiate(f, args);
    return { value, grads: (args.length === 1 ? grads[0] : grads) as GradsOf<A> };
  };
}

/**
 * What a customGradient function returns: the value and its backward rule.
 *
 * ```ts
 * const clipGrad = customGradient((x: Tensor): CustomGradientResult => ({ value: x.mul(1), gradFunc: (dy: Tensor) => dy.clipByValue(-1, 1) }));
 * ```
 */
export interface CustomGradientResult {
  value: Tensor;
  /** Gradients for each input given dy (one tensor when there is one input). */
  gradFunc: (dy: Tensor, saved: { inputs: Tensor[]; value: Tensor }) => Tensor | (Tensor | null)[];
}

/**
 * Defines a function with its own gradient rule.
 *
 * ```ts
 * const clipGrad = customGradient((x: Tensor) => ({ value: x.mul(1), gradFunc: (dy) => dy.clipByValue(-1, 1) }));
 * ```
 */
export function customGradient<A extends Tensor[]>(
  f: (...args: A) => CustomGradientResult,
): (...args: A) => Tensor {
  return (...args: A) => {
    const { value, gradFunc } = ENGINE.withoutTapes(() => f(...args));
    if (!(value instanceof Tensor))
      throw new Error('customGradient: f must return { value: Tensor, gradFunc }');
    ENGINE.recordCustom('customGradient', args, [value], ([dy], saved) => {
      const g = gradFunc(dy, { inputs: saved.inputs, value: saved.outputs[0] });
      const list = Array.isArray(g) ? g : [g];
      if (list.length !== args.length) {
        throw new Error(
          `customGradient: gradFunc returned ${list.length} gradients for ${args.length} inputs`,
        );
      }
      return list;
    });
    return value;
  };
}
