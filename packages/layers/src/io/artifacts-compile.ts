// Compile state in webdl's own artifacts: the Keras compile_config and optimizer state, through the .keras code.
import type { Model } from '../models/model.js';
import type { H5Array, H5Reader } from './h5.js';
import { compileFromKeras, compileToKeras } from './keras-compile.js';
import { hasKerasSlotLayout, optimizerSlots, readOptimizerVars, scalarState } from './optimizer-slots.js';
import type { NamedArray } from './safetensors.js';

/** What a compiled model adds to its topology: Keras's compile_config and the names of the optimizer arrays. */
export interface CompiledTopology {
  compileConfig?: Record<string, unknown>;
  /** Names in weightData of iterations, learning rate and slots, in Keras's order. */
  optimizerWeights?: string[];
}

/**
 * The compile config and optimizer state of a compiled model (nothing for an uncompiled one), as
 * the .keras writer lays them out.
 *
 * ```ts
 * const { topology, arrays } = await compiledArtifacts(model);
 * ```
 */
export async function compiledArtifacts(
  model: Model,
): Promise<{ topology: CompiledTopology; arrays: NamedArray[] }> {
  const state = model.compiled;
  if (!state) return { topology: {}, arrays: [] };
  const topology: CompiledTopology = { compileConfig: compileToKeras(model) };
  const opt = state.optimizer;
  if (!hasKerasSlotLayout(opt)) {
    console.warn(
      `model.save: the state of ${opt.className} is not saved (no layout in webdl); its config is`,
    );
    return { topology, arrays: [] };
  }
  const arrays: NamedArray[] = [
    { name: '', shape: [], dtype: 'int32', data: new Int32Array([opt.iterations]) },
  ];
  if (typeof opt.learningRate === 'number')
    arrays.push({ name: '', shape: [], dtype: 'float32', data: new Float32Array([opt.learningRate]) });
  for (const s of optimizerSlots(opt, model.trainableWeights)) {
    const d = await s.data();
    arrays.push({ name: '', shape: [...s.shape], dtype: 'float32', data: Float32Array.from(d) });
  }
  for (const x of scalarState(opt))
    arrays.push({ name: '', shape: [], dtype: 'float32', data: new Float32Array([x.get()]) });
  arrays.forEach((a, i) => (a.name = `optimizer/vars/${i}`));
  topology.optimizerWeights = arrays.map((a) => a.name);
  return { topology, arrays };
}

/**
 * Compiles a loaded model as it was saved and restores its optimizer state; false when it was saved
 * uncompiled (or the config cannot be restored: compileFromKeras warns why).
 */
export function restoreCompiled(
  model: Model,
  topology: CompiledTopology,
  byName: Map<string, NamedArray>,
): boolean {
  if (!topology.compileConfig) return false;
  if (!compileFromKeras(model, topology.compileConfig, 'loadModel: compileConfig')) return false;
  const paths = Array.isArray(topology.optimizerWeights) ? topology.optimizerWeights : [];
  const reader: H5Reader = {
    keys: () => null,
    isDataset: (p) => byName.has(p),
    attr: () => undefined,
    read: (p): H5Array => {
      const a = byName.get(p);
      if (!a) throw new Error(`loadModel: optimizer state '${p}' is missing from the weight data`);
      return a;
    },
    close: () => undefined,
  };
  const opt = model.optimizer;
  if (opt) readOptimizerVars(opt, model.trainableWeights, paths, reader, 'loadModel: optimizer state');
  return true;
}
