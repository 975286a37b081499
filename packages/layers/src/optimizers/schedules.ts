// Learning-rate schedules: functions of the optimizer's step count (ExponentialDecay, InverseTimeDecay, PiecewiseConstantDecay, CosineDecay).
import { snakeCase } from '../initializers.js';

/**
 * A learning rate as a function of the step (the optimizer's `iterations`).
 *
 * ```ts
 * const schedule: optimizers.LearningRateSchedule = new optimizers.ExponentialDecay({ initialLearningRate: 0.01, decaySteps: 10, decayRate: 0.5 });
 * schedule.rate(10); // 0.005
 * ```
 */
export abstract class LearningRateSchedule {
  abstract readonly className: string;
  /** The learning rate at a step (0-based). */
  abstract rate(step: number): number;
  abstract getConfig(): Record<string, unknown>;
}

/**
 * `initialLearningRate * decayRate ^ (step / decaySteps)` (floored with staircase).
 *
 * ```ts
 * new optimizers.Adam({ learningRate: new optimizers.ExponentialDecay({ initialLearningRate: 0.01, decaySteps: 100, decayRate: 0.9 }) });
 * ```
 */
export class ExponentialDecay extends LearningRateSchedule {
  readonly className = 'ExponentialDecay';
  constructor(
    readonly args: {
      initialLearningRate: number;
      decaySteps: number;
      decayRate: number;
      staircase?: boolean;
    },
  ) {
    super();
    if (!(args.decaySteps > 0))
      throw new Error(`ExponentialDecay: decaySteps must be > 0, got ${args.decaySteps}`);
  }
  rate(step: number): number {
    const p = step / this.args.decaySteps;
    return (
      this.args.initialLearningRate * Math.pow(this.args.decayRate, this.args.staircase ? Math.floor(p) : p)
    );
  }
  getConfig(): Record<string, unknown> {
    return { ...this.args };
  }
}

/**
 * `initialLearningRate / (1 + decayRate * step / decaySteps)`. `new InverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 1, decayRate: 0.5 })`
 *
 * ```ts
 * const lr = new optimizers.InverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 100, decayRate: 0.5 });
 * lr.rate(100); // 0.1 / (1 + 0.5) ≈ 0.0667
 * ```
 */
export class InverseTimeDecay extends LearningRateSchedule {
  readonly className = 'InverseTimeDecay';
  constructor(
    readonly args: {
      initialLearningRate: number;
      decaySteps: number;
      decayRate: number;
      staircase?: boolean;
    },
  ) {
    super();
  }
  rate(step: number): number {
    const p = step / this.args.decaySteps;
    return (
      this.args.initialLearningRate / (1 + this.args.decayRate * (this.args.staircase ? Math.floor(p) : p))
    );
  }
  getConfig(): Record<string, unknown> {
    return { ...this.args };
  }
}

/**
 * Constant pieces: values[i] until boundaries[i]. `new PiecewiseConstantDecay({ boundaries: [100], values: [0.1, 0.01] })`
 *
 * ```ts
 * const lr = new optimizers.PiecewiseConstantDecay({ boundaries: [100, 200], values: [0.1, 0.01, 0.001] });
 * lr.rate(150); // 0.01
 * ```
 */
export class PiecewiseConstantDecay extends LearningRateSchedule {
  readonly className = 'PiecewiseConstantDecay';
  constructor(readonly args: { boundaries: number[]; values: number[] }) {
    super();
    if (args.values.length !== args.boundaries.length + 1)
      throw new Error('PiecewiseConstantDecay: values must have one more entry than boundaries');
  }
  rate(step: number): number {
    const i = this.args.boundaries.findIndex((b) => step <= b);
    return this.args.values[i < 0 ? this.args.values.length - 1 : i];
  }
  getConfig(): Record<string, unknown> {
    return { ...this.args };
  }
}

/**
 * Cosine decay to alpha·initial over decaySteps. `new CosineDecay({ initialLearningRate: 0.1, decaySteps: 1000 })`
 *
 * ```ts
 * const lr = new optimizers.CosineDecay({ initialLearningRate: 0.1, decaySteps: 1000 });
 * new optimizers.SGD({ learningRate: lr });
 * ```
 */
export class CosineDecay extends LearningRateSchedule {
  readonly className = 'CosineDecay';
  constructor(readonly args: { initialLearningRate: number; decaySteps: number; alpha?: number }) {
    super();
  }
  rate(step: number): number {
    const alpha = this.args.alpha ?? 0;
    const p = Math.min(step, this.args.decaySteps) / this.args.decaySteps;
    return this.args.initialLearningRate * ((1 - alpha) * 0.5 * (1 + Math.cos(Math.PI * p)) + alpha);
  }
  getConfig(): Record<string, unknown> {
    return { ...this.args };
  }
}

/** Rebuilds a schedule from `{ className, config }`. */
export function deserializeSchedule(spec: {
  className: string;
  config: Record<string, unknown>;
}): LearningRateSchedule {
  const c = spec.config as never;
  switch (snakeCase(spec.className)) {
    case 'exponential_decay':
      return new ExponentialDecay(c);
    case 'inverse_time_decay':
      return new InverseTimeDecay(c);
    case 'piecewise_constant_decay':
      return new PiecewiseConstantDecay(c);
    case 'cosine_decay':
      return new CosineDecay(c);
    default:
      throw new Error(`Unknown learning rate schedule '${spec.className}'`);
  }
}
