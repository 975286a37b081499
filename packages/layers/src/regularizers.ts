// Weight regularizers (L1, L2, L1L2) by Keras name: penalties on weights or activations added to the training loss.
import type { Tensor, Variable } from '@webdl/core';
import {
  resolveOption,
  serializeOption,
  weightTable,
  type SerializedOption,
  type WeightOption,
  type WeightOptionLike,
} from './weight-options.js';

/**
 * A penalty on a tensor: a scalar added to the loss.
 *
 * ```ts
 * const r: regularizers.Regularizer = new regularizers.L2({ l2: 0.1 });
 * r.apply(tensor([1, 2])); // 0.1 · (1 + 4) = 0.5
 * ```
 */
export type Regularizer = WeightOption;

/**
 * A name ('l2', 'l1_l2'), an instance, a serialized `{ className, config }`, or null/undefined for none.
 *
 * ```ts
 * const r: regularizers.RegularizerLike = 'l1_l2'; // or new regularizers.L1L2({ l1: 0.01, l2: 0.01 })
 * new layers.Dense(8, { kernelRegularizer: r });
 * ```
 */
export type RegularizerLike = WeightOptionLike<Regularizer>;

function factor(value: unknown, what: string): number {
  const v = value as number;
  if (typeof v !== 'number' || !(v >= 0) || !Number.isFinite(v))
    throw new Error(`${what} must be a finite number >= 0, got ${String(value)}`);
  return v;
}

/**
 * `l1 * sum(|x|)` plus `l2 * sum(x²)` (Keras defaults: 0 each).
 *
 * ```ts
 * new regularizers.L1L2({ l1: 0.01, l2: 0.01 }).apply(tensor([1, -2])); // 0.01 * 3 + 0.01 * 5
 * ```
 */
export class L1L2 implements Regularizer {
  readonly className: string = 'L1L2';
  readonly l1: number;
  readonly l2: number;
  constructor(args: { l1?: number; l2?: number } = {}) {
    this.l1 = factor(args.l1 ?? 0, `${this.constructor.name}: l1`);
    this.l2 = factor(args.l2 ?? 0, `${this.constructor.name}: l2`);
  }
  apply(x: Tensor): Tensor {
    if (this.l2 === 0) return x.abs().sum().mul(this.l1);
    const sq = x.square().sum().mul(this.l2);
    return this.l1 === 0 ? sq : sq.add(x.abs().sum().mul(this.l1));
  }
  getConfig(): Record<string, unknown> {
    return { l1: this.l1, l2: this.l2 };
  }
}

/**
 * `l1 * sum(|x|)` (Keras default l1 = 0.01). `new L1({ l1: 0.001 })`
 *
 * ```ts
 * new layers.Dense(64, { kernelRegularizer: new regularizers.L1({ l1: 0.001 }) });
 * ```
 */
export class L1 extends L1L2 {
  override readonly className = 'L1';
  constructor(args: { l1?: number } = {}) {
    super({ l1: args.l1 ?? 0.01 });
  }
  override getConfig(): Record<string, unknown> {
    return { l1: this.l1 };
  }
}

/**
 * `l2 * sum(x²)` (Keras default l2 = 0.01). `new L2({ l2: 0.001 })`
 *
 * ```ts
 * new layers.Conv2D(32, 3, { kernelRegularizer: new regularizers.L2({ l2: 1e-4 }) });
 * ```
 */
export class L2 extends L1L2 {
  override readonly className = 'L2';
  constructor(args: { l2?: number } = {}) {
    super({ l2: args.l2 ?? 0.01 });
  }
  override getConfig(): Record<string, unknown> {
    return { l2: this.l2 };
  }
}

const FACTORIES: Record<string, (config: Record<string, unknown>) => Regularizer> = {
  l1: (c) => new L1(c),
  l2: (c) => new L2(c),
  l1_l2: (c) => new L1L2(c),
  l1l2: (c) => new L1L2(c),
};

/**
 * Resolves a regularizer option; null/undefined give null (no penalty).
 *
 * ```ts
 * regularizers.getRegularizer('l2');                                   // L2 with l2 = 0.01
 * regularizers.getRegularizer({ className: 'L1L2', config: { l1: 1e-3 } });
 * ```
 */
export function getRegularizer(like: RegularizerLike): Regularizer | null {
  return resolveOption(
    like,
    FACTORIES,
    (name) => `Unknown regularizer '${name}'; known: L1, L2, L1L2 ('l1', 'l2', 'l1_l2')`,
  );
}

/**
 * A regularizer as saved in configs (`{ className, config }`), or null. `serializeRegularizer(new L2())`
 *
 * ```ts
 * regularizers.serializeRegularizer(new regularizers.L2()); // { className: 'L2', config: { l2: 0.01 } }
 * ```
 */
export function serializeRegularizer(r: Regularizer | null): SerializedOption | null {
  return serializeOption(r);
}

const WEIGHT_REGULARIZERS = weightTable<Regularizer>();

/**
 * Attaches a regularizer to a weight (addWeight does it); its penalty joins the loss in fit.
 *
 * ```ts
 * const v = variable(ones([3, 3]));
 * regularizers.setWeightRegularizer(v, new regularizers.L1({ l1: 0.01 })); // fit adds 0.01 · sum(|v|)
 * ```
 */
export function setWeightRegularizer(v: Variable, r: Regularizer | null): void {
  WEIGHT_REGULARIZERS.set(v, r);
}

/**
 * The regularizer of a weight, or null. `weightRegularizer(dense.kernel)`
 *
 * ```ts
 * const dense = new layers.Dense(4, { kernelRegularizer: 'l2', inputShape: [3] });
 * dense.build([null, 3]);
 * regularizers.weightRegularizer(dense.trainableWeights[0]); // the L2 regularizer
 * ```
 */
export function weightRegularizer(v: Variable): Regularizer | null {
  return WEIGHT_REGULARIZERS.get(v);
}
