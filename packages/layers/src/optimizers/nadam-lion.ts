// Nadam and Lion, with Keras 3's update rules, defaults and option ranges.
import type { Tensor, Variable } from '@webdl/core';
import type { AdamArgs } from './adam.js';
import { Optimizer, type OptimizerArgs } from './optimizer.js';
import { checkRanges } from './validate.js';

/** Keras's momentum schedule factor: β1·(1 - 0.5·0.96ᵗ). */
function momentumAt(beta1: number, t: number): number {
  return beta1 * (1 - 0.5 * Math.pow(0.96, t));
}

/**
 * Nadam (Adam with Nesterov momentum), as Keras 3 computes it: with `uₜ = β1(1 - 0.5·0.96ᵗ)` and
 * `Πₜ = u₁···uₜ`, `m̂ = uₜ₊₁·m/(1 - Πₜ·uₜ₊₁) + (1-uₜ)·g/(1 - Πₜ)`, `v -= lr·m̂/(√(u/(1-β2ᵗ)) + ε)`.
 * Default learningRate 0.001.
 *
 * ```ts
 * new optimizers.Nadam({ learningRate: 2e-3 });
 * ```
 */
export class Nadam extends Optimizer {
  override get className(): string {
    return 'Nadam';
  }
  protected override get ownOptions(): readonly string[] {
    return ['beta1', 'beta2', 'epsilon'];
  }
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  /** Πₜ cached for step `productStep` (a host number: the step count lives on the host). */
  private product = 1;
  private productStep = 0;
  constructor(args: Omit<AdamArgs, 'amsgrad'> = {}) {
    super(args, 0.001);
    checkRanges(this.className, args, {
      beta1: { min: 0, max: 1, maxOpen: true },
      beta2: { min: 0, max: 1, maxOpen: true },
      epsilon: { min: 0 },
    });
    this.beta1 = args.beta1 ?? 0.9;
    this.beta2 = args.beta2 ?? 0.999;
    this.epsilon = args.epsilon ?? 1e-7;
  }
  /** Πₜ = u₁···uₜ, derived from the step count so restored optimizers need no extra state. */
  private uProduct(t: number): number {
    if (t < this.productStep) [this.product, this.productStep] = [1, 0];
    while (this.productStep < t) this.product *= momentumAt(this.beta1, ++this.productStep);
    return this.product;
  }
  /** Keras's `_u_product` (Πₜ over the steps taken), its last optimizer variable in saved files. */
  get uProductState(): number {
    return this.uProduct(this.iterations);
  }
  /** Takes `_u_product` from a saved file for the current step count (Keras keeps it in float32). */
  restoreUProduct(value: number): void {
    if (!Number.isFinite(value))
      throw new Error(`Nadam: the saved u_product must be a finite number, got ${value}`);
    [this.product, this.productStep] = [value, this.iterations];
  }
  protected updateStep(g: Tensor, v: Variable, lr: number): void {
    const t = this.iterations + 1;
    const ut = momentumAt(this.beta1, t);
    const ut1 = momentumAt(this.beta1, t + 1);
    // Keras 3 advances Πₜ before the per-variable steps, then multiplies by uₜ once more.
    const prod = this.uProduct(t);
    const prod1 = prod * ut;
    const m = this.slot(v, 'momentum');
    const u = this.slot(v, 'velocity');
    m.assign(m.add(g.sub(m).mul(1 - this.beta1)));
    u.assign(
      u.add(
        g
          .square()
          .sub(u)
          .mul(1 - this.beta2),
      ),
    );
    const mHat = m.mul(ut1 / (1 - prod1)).add(g.mul((1 - ut) / (1 - prod)));
    const vHat = u.div(1 - Math.pow(this.beta2, t));
    v.assignSub(mHat.mul(lr).div(vHat.sqrt().add(this.epsilon)));
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }
}

/**
 * Options of Lion.
 *
 * ```ts
 * const args: optimizers.LionArgs = { learningRate: 1e-4, beta1: 0.9, beta2: 0.99 };
 * new optimizers.Lion(args);
 * ```
 */
export interface LionArgs extends OptimizerArgs {
  /** Interpolation of momentum and gradient for the update's sign, in (0, 1]; default 0.9. */
  beta1?: number;
  /** Momentum decay, in [0, 1]; default 0.99. */
  beta2?: number;
}

/**
 * Lion (EvoLved Sign Momentum), as Keras 3: `v -= lr·sign(β1·m + (1-β1)·g); m = β2·m + (1-β2)·g`.
 * Default learningRate 0.001.
 *
 * ```ts
 * new optimizers.Lion({ learningRate: 1e-4 });
 * ```
 */
export class Lion extends Optimizer {
  override get className(): string {
    return 'Lion';
  }
  override get declaresHostScalars(): boolean {
    return true;
  }
  protected override get ownOptions(): readonly string[] {
    return ['beta1', 'beta2'];
  }
  readonly beta1: number;
  readonly beta2: number;
  constructor(args: LionArgs = {}) {
    super(args, 0.001);
    checkRanges(this.className, args, {
      beta1: { min: 0, max: 1, minOpen: true },
      beta2: { min: 0, max: 1 },
    });
    this.beta1 = args.beta1 ?? 0.9;
    this.beta2 = args.beta2 ?? 0.99;
  }
  protected updateStep(g: Tensor, v: Variable): void {
    const m = this.slot(v, 'momentum');
    v.assignSub(
      m
        .mul(this.beta1)
        .add(g.mul(1 - this.beta1))
        .sign()
        .mul(this.rate()),
    );
    m.assign(m.mul(this.beta2).add(g.mul(1 - this.beta2)));
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), beta1: this.beta1, beta2: this.beta2 };
  }
}
