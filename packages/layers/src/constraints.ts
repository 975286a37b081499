// Weight constraints (MaxNorm, NonNeg, UnitNorm, MinMaxNorm) by Keras name: projections applied after each optimizer update.
import type { Tensor, Variable } from '@webdl/core';
import { snakeCase } from './initializers.js';
import {
  resolveOption,
  serializeOption,
  weightTable,
  type SerializedOption,
  type WeightOption,
  type WeightOptionLike,
} from './weight-options.js';

/**
 * Maps a weight to its constrained value.
 *
 * ```ts
 * const c: constraints.Constraint = new constraints.MaxNorm({ maxValue: 1 });
 * c.apply(tensor([[3], [4]])); // [[0.6], [0.8]]
 * ```
 */
export type Constraint = WeightOption;

/**
 * A name ('max_norm', 'non_neg', ...), an instance, a serialized `{ className, config }`, or null/undefined.
 *
 * ```ts
 * const c: constraints.ConstraintLike = 'non_neg'; // or new constraints.NonNeg()
 * new layers.Dense(8, { kernelConstraint: c });
 * ```
 */
export type ConstraintLike = WeightOptionLike<Constraint>;

const EPSILON = 1e-7;

function l2Norms(w: Tensor, axis: number | number[]): Tensor {
  return w.square().sum(axis, true).sqrt();
}

/**
 * Rescales each slice along `axis` (default 0: each column of a Dense kernel) to norm at most maxValue.
 *
 * ```ts
 * new constraints.MaxNorm({ maxValue: 2 });
 * ```
 */
export class MaxNorm implements Constraint {
  readonly className = 'MaxNorm';
  readonly maxValue: number;
  readonly axis: number | number[];
  constructor(args: { maxValue?: number; axis?: number | number[] } = {}) {
    this.maxValue = args.maxValue ?? 2;
    this.axis = args.axis ?? 0;
    if (!(this.maxValue >= 0)) throw new Error(`MaxNorm: maxValue must be >= 0, got ${this.maxValue}`);
  }
  apply(w: Tensor): Tensor {
    const norms = l2Norms(w, this.axis);
    return w.mul(norms.clipByValue(0, this.maxValue).div(norms.add(EPSILON)));
  }
  getConfig(): Record<string, unknown> {
    return { maxValue: this.maxValue, axis: this.axis };
  }
}

/**
 * Zeroes negative weights. `new NonNeg()`
 *
 * ```ts
 * new constraints.NonNeg().apply(tensor([-1, 2])); // [0, 2]
 * ```
 */
export class NonNeg implements Constraint {
  readonly className = 'NonNeg';
  apply(w: Tensor): Tensor {
    return w.mul(w.greaterEqual(0).cast(w.dtype));
  }
  getConfig(): Record<string, unknown> {
    return {};
  }
}

/**
 * Rescales each slice along `axis` (default 0) to unit norm. `new UnitNorm({ axis: 0 })`
 *
 * ```ts
 * new layers.Dense(8, { kernelConstraint: new constraints.UnitNorm({ axis: 0 }) });
 * ```
 */
export class UnitNorm implements Constraint {
  readonly className = 'UnitNorm';
  readonly axis: number | number[];
  constructor(args: { axis?: number | number[] } = {}) {
    this.axis = args.axis ?? 0;
  }
  apply(w: Tensor): Tensor {
    return w.div(l2Norms(w, this.axis).add(EPSILON));
  }
  getConfig(): Record<string, unknown> {
    return { axis: this.axis };
  }
}

/**
 * Moves each slice's norm into [minValue, maxValue]: norm ← rate·clip(norm) + (1 - rate)·norm.
 *
 * ```ts
 * new constraints.MinMaxNorm({ minValue: 0.5, maxValue: 1, rate: 1, axis: 0 });
 * ```
 */
export class MinMaxNorm implements Constraint {
  readonly className = 'MinMaxNorm';
  readonly minValue: number;
  readonly maxValue: number;
  readonly rate: number;
  readonly axis: number | number[];
  constructor(args: { minValue?: number; maxValue?: number; rate?: number; axis?: number | number[] } = {}) {
    this.minValue = args.minValue ?? 0;
    this.maxValue = args.maxValue ?? 1;
    this.rate = args.rate ?? 1;
    this.axis = args.axis ?? 0;
    if (!(this.minValue >= 0 && this.minValue <= this.maxValue))
      throw new Error(
        `MinMaxNorm: need 0 <= minValue <= maxValue, got minValue ${this.minValue}, maxValue ${this.maxValue}`,
      );
    if (!(this.rate >= 0 && this.rate <= 1))
      throw new Error(`MinMaxNorm: rate must be in [0, 1], got ${this.rate}`);
  }
  apply(w: Tensor): Tensor {
    const norms = l2Norms(w, this.axis);
    const desired = norms
      .clipByValue(this.minValue, this.maxValue)
      .mul(this.rate)
      .add(norms.mul(1 - this.rate));
    return w.mul(desired.div(norms.add(EPSILON)));
  }
  getConfig(): Record<string, unknown> {
    return { minValue: this.minValue, maxValue: this.maxValue, rate: this.rate, axis: this.axis };
  }
}

const FACTORIES: Record<string, (c: Record<string, unknown>) => Constraint> = {
  max_norm: (c) => new MaxNorm(c),
  non_neg: () => new NonNeg(),
  unit_norm: (c) => new UnitNorm(c),
  min_max_norm: (c) => new MinMaxNorm(c),
};

/**
 * Resolves a constraint option; null/undefined give null.
 *
 * ```ts
 * constraints.getConstraint('non_neg'); constraints.getConstraint({ className: 'MaxNorm', config: { maxValue: 3 } });
 * ```
 */
export function getConstraint(like: ConstraintLike): Constraint | null {
  return resolveOption(
    like,
    FACTORIES,
    (name) =>
      `Unknown constraint '${name}'; known: MaxNorm, NonNeg, UnitNorm, MinMaxNorm ('max_norm', 'non_neg', 'unit_norm', 'min_max_norm')`,
    (name) => snakeCase(name).replace(/^nonneg$/, 'non_neg'),
  );
}

/**
 * A constraint as saved in configs (`{ className, config }`), or null.
 *
 * ```ts
 * constraints.serializeConstraint(new constraints.NonNeg()); // { className: 'NonNeg', config: {} }
 * ```
 */
export function serializeConstraint(c: Constraint | null): SerializedOption | null {
  return serializeOption(c);
}

const WEIGHT_CONSTRAINTS = weightTable<Constraint>();

/**
 * Attaches a constraint to a weight (addWeight does it).
 *
 * ```ts
 * const v = variable(tensor([-1, 2]));
 * constraints.setWeightConstraint(v, new constraints.NonNeg());
 * constraints.applyConstraint(v); // v is now [0, 2]
 * ```
 */
export function setWeightConstraint(v: Variable, c: Constraint | null): void {
  WEIGHT_CONSTRAINTS.set(v, c);
}

/**
 * The constraint of a weight, or null.
 *
 * ```ts
 * const v = variable(tensor([3, 4]));
 * constraints.setWeightConstraint(v, new constraints.UnitNorm());
 * constraints.weightConstraint(v); // the UnitNorm
 * ```
 */
export function weightConstraint(v: Variable): Constraint | null {
  return WEIGHT_CONSTRAINTS.get(v);
}

/**
 * Projects a weight by its constraint, if it has one (the optimizer calls this after each update).
 *
 * ```ts
 * const v = variable(tensor([3, 4]));
 * constraints.setWeightConstraint(v, new constraints.UnitNorm());
 * constraints.applyConstraint(v); // v is now [0.6, 0.8]
 * ```
 */
export function applyConstraint(v: Variable): void {
  const c = WEIGHT_CONSTRAINTS.get(v);
  if (c) v.assign(c.apply(v));
}
