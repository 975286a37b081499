// The option tables of compile, fit, evaluate and predict: unknown options throw, naming the accepted ones.
import { checkOptions } from '../engine/options.js';
import type { DataLike } from './input-checks.js';
import type { CompileArgs, EvaluateArgs, FitArgs, PredictArgs } from './training.js';

/** Every key of T, each `true`: adding an option to the interface without listing it is a compile error. */
export type OptionNames<T> = { readonly [K in keyof T]-?: true };

/** fit's options as users pass them: validationData may be in any form x and y take. */
export type FitOptions = Omit<FitArgs, 'validationData'> & { validationData?: [DataLike, DataLike] };

/** evaluate's options; `returnDict: true` resolves to `{ loss, accuracy, ... }` as Keras does. */
export interface EvaluateOptions extends EvaluateArgs {
  returnDict?: boolean;
}

const COMPILE: OptionNames<CompileArgs> = {
  optimizer: true,
  loss: true,
  metrics: true,
  lossWeights: true,
  jitCompile: true,
};
const FIT: OptionNames<FitOptions> = {
  epochs: true,
  batchSize: true,
  shuffle: true,
  validationData: true,
  validationSplit: true,
  callbacks: true,
  verbose: true,
  initialEpoch: true,
  sampleWeight: true,
  classWeight: true,
};
const EVALUATE: OptionNames<EvaluateOptions> = { batchSize: true, verbose: true, returnDict: true };
const PREDICT: OptionNames<PredictArgs> = { batchSize: true };

const keys = (table: object): string[] => Object.keys(table);

/**
 * Throws on an option that compile, fit, evaluate or predict does not know (a misspelt
 * `jitCompil: true` must not pass quietly).
 *
 * ```ts
 * checkTrainingOptions('fit', { epoch: 3 }); // Error: fit: unknown option 'epoch' (did you mean 'epochs'?) ...
 * ```
 */
export function checkTrainingOptions(
  call: 'compile' | 'fit' | 'evaluate' | 'predict',
  args: object | undefined,
): void {
  const accepted = {
    compile: keys(COMPILE),
    fit: keys(FIT),
    evaluate: keys(EVALUATE),
    predict: keys(PREDICT),
  }[call];
  checkOptions(call, args, accepted);
}
