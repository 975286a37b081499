// TF.js's lower-case model factories: sequential({ layers }) and model({ inputs, outputs }).
import type { SymbolicTensor } from '../engine/symbolic.js';
import { Model, type ModelArgs, type ModelOutputs } from './model.js';
import { Sequential, type SequentialArgs } from './sequential.js';

/**
 * `tf.sequential`: a Sequential from a config object.
 *
 * ```ts
 * const m = sequential({ layers: [layers.dense({ units: 4, inputShape: [3] })] });
 * ```
 */
export function sequential(config: SequentialArgs = {}): Sequential {
  return new Sequential(config);
}

/**
 * `tf.model`: a functional Model from its inputs and outputs.
 *
 * ```ts
 * const inp = input({ shape: [3] });
 * const m = dl.model({ inputs: inp, outputs: layers.dense({ units: 2 }).apply(inp) });
 * ```
 */
export function model<const O extends ModelOutputs>(
  config: ModelArgs<O> & { inputs: SymbolicTensor | readonly SymbolicTensor[]; outputs: O },
): Model<O> {
  return new Model<O>(config);
}
