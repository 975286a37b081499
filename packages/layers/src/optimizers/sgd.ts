// SGD (with momentum and Nesterov), RMSprop, Adagrad and Adadelta, with Keras 3's update rules and defaults.
import { onesLike, type Tensor, type Variable } from '@webdl/core';
import { Optimizer, type OptimizerArgs } from './optimizer.js';
import { checkRanges } from './validate.js';

const UNIT = { min: 0, max: 1 };
const NON_NEGATIVE = { min: 0 };

/**
 * Stochastic gradient descent: `v -= lr·g`, or with momentum `m = momentum·m - lr·g; v += m`
 * (Nesterov: `v += momentum·m - lr·g`). Default learningRate 0.01.
 *
 * ```ts
 * new optimizers.SGD({ learningRate: 0.1, momentum: 0.9, nesterov: true });
 * ```
 */
export class SGD extends Optimizer {
  override get className(): string {
    return 'SGD';
  }
  override get declaresHostScalars(): boolean {
    return true;
  }
  protected override get ownOptions(): readonly string[] {
    return ['momentum', 'nesterov'];
  }
  readonly momentum: number;
  readonly nesterov: boolean;
  constructor(args: OptimizerArgs & { momentum?: number; nesterov?: boolean } = {}) {
    super(args, 0.01);
    checkRanges(this.className, args, { momentum: UNIT });
    this.momentum = args.momentum ?? 0;
    this.nesterov = args.nesterov ?? false;
  }
  protected updateStep(g: Tensor, v: Variable): void {
    if (this.momentum === 0) {
      v.assignSub(g.mul(this.rate()));
      return;
    }
    const m = this.slot(v, 'momentum');
    m.assign(m.mul(this.momentum).sub(g.mul(this.rate())));
    v.assignAdd(this.nesterov ? m.mul(this.momentum).sub(g.mul(this.rate())) : m);
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), momentum: this.momentum, nesterov: this.nesterov };
  }
}

/**
 * RMSprop: `a = rho·a + (1-rho)·g²; v -= lr·g/√(a + ε)` (centered subtracts the squared mean
 * gradient; momentum accumulates the increments). Default learningRate 0.001.
 *
 * ```ts
 * new optimizers.RMSprop({ learningRate: 1e-4 });
 * ```
 */
export class RMSprop extends Optimizer {
  override get className(): string {
    return 'RMSprop';
  }
  override get declaresHostScalars(): boolean {
    return true;
  }
  protected override get ownOptions(): readonly string[] {
    return ['rho', 'momentum', 'epsilon', 'centered'];
  }
  readonly rho: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly centered: boolean;
  constructor(
    args: OptimizerArgs & { rho?: number; momentum?: number; epsilon?: number; centered?: boolean } = {},
  ) {
    super(args, 0.001);
    checkRanges(this.className, args, { rho: UNIT, momentum: UNIT, epsilon: NON_NEGATIVE });
    this.rho = args.rho ?? 0.9;
    this.momentum = args.momentum ?? 0;
    this.epsilon = args.epsilon ?? 1e-7;
    this.centered = args.centered ?? false;
  }
  protected updateStep(g: Tensor, v: Variable): void {
    const a = this.slot(v, 'velocity');
    a.assign(a.mul(this.rho).add(g.square().mul(1 - this.rho)));
    let denom = a.add(this.epsilon);
    if (this.centered) {
      const mg = this.slot(v, 'average_gradient');
      mg.assign(mg.mul(this.rho).add(g.mul(1 - this.rho)));
      denom = a.sub(mg.square()).add(this.epsilon);
    }
    const increment = g.mul(this.rate()).div(denom.sqrt());
    if (this.momentum > 0) {
      const m = this.slot(v, 'momentum');
      m.assign(m.mul(this.momentum).add(increment));
      v.assignSub(m);
    } else {
      v.assignSub(increment);
    }
  }
  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      rho: this.rho,
      momentum: this.momentum,
      epsilon: this.epsilon,
      centered: this.centered,
    };
  }
}

/**
 * Adagrad: `a += g²; v -= lr·g/√(a + ε)`, accumulators starting at 0.1. Default learningRate 0.001.
 *
 * ```ts
 * new optimizers.Adagrad({ learningRate: 0.01 });
 * ```
 */
export class Adagrad extends Optimizer {
  override get className(): string {
    return 'Adagrad';
  }
  override get declaresHostScalars(): boolean {
    return true;
  }
  protected override get ownOptions(): readonly string[] {
    return ['initialAccumulatorValue', 'epsilon'];
  }
  readonly initialAccumulatorValue: number;
  readonly epsilon: number;
  constructor(args: OptimizerArgs & { initialAccumulatorValue?: number; epsilon?: number } = {}) {
    super(args, 0.001);
    checkRanges(this.className, args, { initialAccumulatorValue: NON_NEGATIVE, epsilon: NON_NEGATIVE });
    this.initialAccumulatorValue = args.initialAccumulatorValue ?? 0.1;
    this.epsilon = args.epsilon ?? 1e-7;
  }
  protected updateStep(g: Tensor, v: Variable): void {
    const a = this.slot(v, 'accumulator', (x) => onesLike(x).mul(this.initialAccumulatorValue));
    a.assign(a.add(g.square()));
    v.assignSub(g.mul(this.rate()).div(a.add(this.epsilon).sqrt()));
  }
  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      initialAccumulatorValue: this.initialAccumulatorValue,
      epsilon: this.epsilon,
    };
  }
}

/**
 * Adadelta: per-element step sizes from running averages of squared gradients and squared updates.
 * Default learningRate 0.001, rho 0.95.
 *
 * ```ts
 * new optimizers.Adadelta({ learningRate: 1.0 });
 * ```
 */
export class Adadelta extends Optimizer {
  override get className(): string {
    return 'Adadelta';
  }
  override get declaresHostScalars(): boolean {
    return true;
  }
  protected override get ownOptions(): readonly string[] {
    return ['rho', 'epsilon'];
  }
  readonly rho: number;
  readonly epsilon: number;
  constructor(args: OptimizerArgs & { rho?: number; epsilon?: number } = {}) {
    super(args, 0.001);
    checkRanges(this.className, args, { rho: UNIT, epsilon: NON_NEGATIVE });
    this.rho = args.rho ?? 0.95;
    this.epsilon = args.epsilon ?? 1e-7;
  }
  protected updateStep(g: Tensor, v: Variable): void {
    const accGrad = this.slot(v, 'accumulated_grad');
    const accDelta = this.slot(v, 'accumulated_delta_var');
    accGrad.assign(accGrad.mul(this.rho).add(g.square().mul(1 - this.rho)));
    const delta = accDelta.add(this.epsilon).sqrt().div(accGrad.add(this.epsilon).sqrt()).mul(g).neg();
    accDelta.assign(accDelta.mul(this.rho).add(delta.square().mul(1 - this.rho)));
    v.assignAdd(delta.mul(this.rate()));
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rho: this.rho, epsilon: this.epsilon };
  }
}
