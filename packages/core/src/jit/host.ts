// Host values and effects a jitted function declares: a scalar read from host state, and a host
// side effect. Eagerly they are a plain scalar and a plain call; a jit trace also records them, so
// a replay that does not re-run the function's JavaScript (jit's `direct` option) reads the
// scalars and runs the effects again, in the order the function made them.
import { ENGINE } from '../engine.js';
import { scalar } from '../ops/creation.js';
import type { Tensor } from '../tensor.js';
import { RefMap } from './trace.js';

/** A declared host step of a trace: constant `index` read by `read`, or an effect. */
export type HostStep =
  | { readonly kind: 'scalar'; readonly index: number; readonly read: () => number }
  | { readonly kind: 'effect'; readonly run: () => void };

/**
 * A float32 scalar tensor of `read()`. Under `jit(fn, { direct: true })`, replays that skip fn's
 * JavaScript call `read` again, so the value follows host state (a learning rate a callback
 * changed, a step counter). `read` must compute from current state, not return a value captured
 * at trace time.
 *
 * ```ts
 * const state = { lr: 0.1 };
 * const w = variable(tensor([1, 2]));
 * const step = jit(
 *   (g: Tensor) => {
 *     w.assign(w.sub(g.mul(hostScalar(() => state.lr))));
 *   },
 *   { direct: true },
 * );
 * state.lr = 0.01; // later calls of step use 0.01
 * ```
 */
export function hostScalar(read: () => number): Tensor {
  const rec = ENGINE.recorder;
  const value = read();
  if (rec instanceof RefMap) rec.provideNext(read);
  try {
    return scalar(value, 'float32');
  } finally {
    if (rec instanceof RefMap) rec.provideNext(null);
  }
}

/**
 * Runs `effect` now; under `jit(fn, { direct: true })`, replays that skip fn's JavaScript run it
 * again at the same point among the function's host scalars (a step counter's increment).
 *
 * ```ts
 * let steps = 0;
 * const step = jit(() => hostEffect(() => steps++), { direct: true });
 * ```
 */
export function hostEffect(effect: () => void): void {
  effect();
  const rec = ENGINE.recorder;
  if (rec instanceof RefMap) rec.hostSteps.push({ kind: 'effect', run: effect });
}

/**
 * Runs `make` outside the active jit trace (or shadow run): its ops run eagerly and are not part
 * of the compiled graph. For state a function creates once, from shapes only (an optimizer's zero
 * slots), so that a trace without computing gets real storage for it.
 *
 * ```ts
 * const w = variable(tensor([1, 2]));
 * const slot = untraced(() => variable(zerosLike(w)));
 * ```
 */
export function untraced<T>(make: () => T): T {
  const rec = ENGINE.recorder;
  ENGINE.recorder = null;
  try {
    return make();
  } finally {
    ENGINE.recorder = rec;
  }
}
