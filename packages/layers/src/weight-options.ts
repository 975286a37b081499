// What constraints and regularizers share: a Keras name or `{ className, config }` resolved through a factory
// table, serialized back, and attached to weights.
import type { Tensor, Variable } from '@webdl/core';
import { snakeCase } from './initializers.js';

/** A per-weight option with a Keras class name and config (a constraint or a regularizer). */
export interface WeightOption {
  /** Keras class name, used in configs. */
  readonly className: string;
  /** The constrained weight, or the penalty (a scalar). */
  apply(x: Tensor): Tensor;
  getConfig(): Record<string, unknown>;
}

/** An option as configs save it. */
export interface SerializedOption {
  className: string;
  config: Record<string, unknown>;
}

/** What a user may pass for an option: a name, an instance, a serialized config, or null/undefined for none. */
export type WeightOptionLike<T extends WeightOption> =
  string | T | { className: string; config?: Record<string, unknown> } | null | undefined;

/**
 * Resolves an option through `factories` (keyed by Keras snake_case name, `key` maps a given name to
 * it); null/undefined give null, an instance is returned as is, an unknown name throws `unknown(name)`.
 *
 * ```ts
 * resolveOption('l2', { l2: (c) => new L2(c) }, (n) => `Unknown regularizer '${n}'`);
 * ```
 */
export function resolveOption<T extends WeightOption>(
  like: WeightOptionLike<T>,
  factories: Record<string, (config: Record<string, unknown>) => T>,
  unknown: (name: string) => string,
  key: (name: string) => string = snakeCase,
): T | null {
  if (like === null || like === undefined) return null;
  if (typeof like === 'object' && 'apply' in like && typeof like.apply === 'function') return like;
  const [name, config] =
    typeof like === 'string'
      ? [like, {}]
      : [
          (like as { className: string }).className,
          (like as { config?: Record<string, unknown> }).config ?? {},
        ];
  const k = typeof name === 'string' ? key(name) : undefined;
  // Own keys only: 'constructor' or 'toString' are not options.
  if (k === undefined || !Object.hasOwn(factories, k)) throw new Error(unknown(String(name)));
  return factories[k](config);
}

/**
 * An option as saved in configs (`{ className, config }`), or null.
 *
 * ```ts
 * serializeOption(new constraints.NonNeg()); // { className: 'NonNeg', config: {} }
 * ```
 */
export function serializeOption(x: WeightOption | null): SerializedOption | null {
  return x === null ? null : { className: x.className, config: x.getConfig() };
}

/**
 * A table from weights to their option (held weakly: a disposed, dropped weight leaves it).
 *
 * ```ts
 * const table = weightTable<Constraint>();
 * table.set(v, new NonNeg()); table.get(v); // the NonNeg
 * ```
 */
export function weightTable<T extends object>(): {
  set(v: Variable, x: T | null): void;
  get(v: Variable): T | null;
} {
  const map = new WeakMap<Variable, T>();
  return {
    set: (v, x) => void (x ? map.set(v, x) : map.delete(v)),
    get: (v) => map.get(v) ?? null,
  };
}
