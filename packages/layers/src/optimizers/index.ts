// The optimizers namespace and name resolution ('adam', 'rmsprop', instances).
import { snakeCase } from '../initializers.js';
import { Adam, AdamW, Adamax } from './adam.js';
import { Lion, Nadam, type LionArgs } from './nadam-lion.js';
import { Optimizer, type OptimizerArgs } from './optimizer.js';
import {
  CosineDecay,
  ExponentialDecay,
  InverseTimeDecay,
  LearningRateSchedule,
  PiecewiseConstantDecay,
} from './schedules.js';
import { Adadelta, Adagrad, RMSprop, SGD } from './sgd.js';

export { Adam, AdamW, Adamax, Adadelta, Adagrad, Lion, Nadam, Optimizer, RMSprop, SGD };
export { CosineDecay, ExponentialDecay, InverseTimeDecay, LearningRateSchedule, PiecewiseConstantDecay };
export type { LionArgs, OptimizerArgs };

/**
 * An optimizer name or instance.
 *
 * ```ts
 * const opt: optimizers.OptimizerLike = 'adam'; // or new optimizers.Adam()
 * model.compile({ optimizer: opt, loss: 'mse' });
 * ```
 */
export type OptimizerLike = string | Optimizer;

const MAKERS: Record<string, (args: OptimizerArgs) => Optimizer> = {
  sgd: (a) => new SGD(a),
  rmsprop: (a) => new RMSprop(a),
  r_m_sprop: (a) => new RMSprop(a),
  adam: (a) => new Adam(a),
  adamw: (a) => new AdamW(a),
  adam_w: (a) => new AdamW(a),
  adagrad: (a) => new Adagrad(a),
  adadelta: (a) => new Adadelta(a),
  adamax: (a) => new Adamax(a),
  nadam: (a) => new Nadam(a),
  lion: (a) => new Lion(a),
};

/**
 * Resolves 'sgd', 'rmsprop', 'adam', 'adamw', 'adagrad', 'adadelta', 'adamax', 'nadam', 'lion' (any case) or an instance.
 *
 * ```ts
 * const opt = optimizers.getOptimizer('adam'); // Adam with learningRate 0.001
 * ```
 */
export function getOptimizer(opt: OptimizerLike, args: OptimizerArgs = {}): Optimizer {
  if (opt instanceof Optimizer) return opt;
  const make = MAKERS[snakeCase(opt)] ?? MAKERS[opt.toLowerCase()];
  if (!make)
    throw new Error(
      `Unknown optimizer '${opt}'; known: sgd, rmsprop, adam, adamw, adagrad, adadelta, adamax, nadam, lion`,
    );
  return make(args);
}
