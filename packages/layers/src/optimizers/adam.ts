// Adam, AdamW and Adamax, with Keras 3's update rules and defaults (ε = 1e-7).
import type { Tensor, Variable } from '@webdl/core';
import { Optimizer, type OptimizerArgs } from './optimizer.js';
import { checkRanges, type Range } from './validate.js';

const ADAM_RANGES: Record<string, Range> = {
  beta1: { min: 0, max: 1, maxOpen: true },
  beta2: { min: 0, max: 1, maxOpen: true },
  epsilon: { min: 0 },
};

/** Options of Adam and AdamW. */
export interface AdamArgs extends OptimizerArgs {
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  /** Use the maximum of past second moments (AMSGrad). */
  amsgrad?: boolean;
}

/**
 * Adam: `m += (g - m)(1-β1); u += (g² - u)(1-β2); v -= lr·√(1-β2ᵗ)/(1-β1ᵗ) · m/(√u + ε)`.
 * Default learningRate 0.001.
 *
 * ```ts
 * new optimizers.Adam({ learningRate: 1e-3 });
 * ```
 */
export class Adam extends Optimizer {
  override get className(): string {
    return 'Adam';
  }
  override get declaresHostScalars(): boolean {
    return true;
  }
  protected override get ownOptions(): readonly string[] {
    return ['beta1', 'beta2', 'epsilon', 'amsgrad'];
  }
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly amsgrad: boolean;
  constructor(args: AdamArgs = {}) {
    super(args, 0.001);
    checkRanges(this.className, args, ADAM_RANGES);
    this.beta1 = args.beta1 ?? 0.9;
    this.beta2 = args.beta2 ?? 0.999;
    this.epsilon = args.epsilon ?? 1e-7;
    this.amsgrad = args.amsgrad ?? false;
  }
  /** The step size `lr·√(1-β2ᵗ)/(1-β1ᵗ)` of this step (t = iterations + 1). */
  private stepSize(): number {
    const t = this.iterations + 1;
    return (
      (this.currentLearningRate * Math.sqrt(1 - Math.pow(this.beta2, t))) / (1 - Math.pow(this.beta1, t))
    );
  }
  protected updateStep(g: Tensor, v: Variable): void {
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
    let second: Tensor = u;
    if (this.amsgrad) {
      const vhat = this.slot(v, 'velocity_hat');
      vhat.assign(vhat.maximum(u));
      second = vhat;
    }
    // Bias corrections are host numbers (the step count lives on the host, so no device readback),
    // declared as host scalars: a jitted step without shadow runs reads them again every call.
    v.assignSub(m.mul(this.hostScalar(() => this.stepSize())).div(second.sqrt().add(this.epsilon)));
  }
  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      beta1: this.beta1,
      beta2: this.beta2,
      epsilon: this.epsilon,
      amsgrad: this.amsgrad,
    };
  }
}

/**
 * Adam with decoupled weight decay (default 0.004): `v -= lr·weightDecay·v` before the Adam step.
 *
 * ```ts
 * new optimizers.AdamW({ learningRate: 1e-3, weightDecay: 0.01 });
 * ```
 */
export class AdamW extends Adam {
  override get className(): string {
    return 'AdamW';
  }
  constructor(args: AdamArgs = {}) {
    super({ ...args, weightDecay: args.weightDecay ?? 0.004 });
  }
}

/**
 * Adamax, Adam with the infinity norm: `u = max(β2·u, |g|); v -= lr/(1-β1ᵗ) · m/(u + ε)`.
 *
 * ```ts
 * new optimizers.Adamax({ learningRate: 2e-3 });
 * ```
 */
export class Adamax extends Optimizer {
  override get className(): string {
    return 'Adamax';
  }
  override get declaresHostScalars(): boolean {
    return true;
  }
  protected override get ownOptions(): readonly string[] {
    return ['beta1', 'beta2', 'epsilon'];
  }
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  constructor(args: Omit<AdamArgs, 'amsgrad'> = {}) {
    super(args, 0.001);
    checkRanges(this.className, args, ADAM_RANGES);
    this.beta1 = args.beta1 ?? 0.9;
    this.beta2 = args.beta2 ?? 0.999;
    this.epsilon = args.epsilon ?? 1e-7;
  }
  protected updateStep(g: Tensor, v: Variable): void {
    const m = this.slot(v, 'm');
    const u = this.slot(v, 'u');
    m.assign(m.add(g.sub(m).mul(1 - this.beta1)));
    u.assign(u.mul(this.beta2).maximum(g.abs()));
    const step = () => this.currentLearningRate / (1 - Math.pow(this.beta1, this.iterations + 1));
    v.assignSub(m.mul(this.hostScalar(step)).div(u.add(this.epsilon)));
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }
}
