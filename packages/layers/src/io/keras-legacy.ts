// Legacy Keras .h5 files (model_config attribute, model_weights/<layer>/<weight> with weight_names), read into webdl models.
import type { Variable } from '@webdl/core';
import { tensor } from '@webdl/core';
import type { Layer } from '../engine/layer.js';
import { Model } from '../models/model.js';
import { openH5, type H5Reader } from './h5.js';
import { parseJson } from './json.js';
import { modelFromKerasConfig } from './keras.js';
import { compileFromKeras } from './keras-compile.js';
import { readOptimizerVars } from './keras-weights.js';
import { withWeightBudget } from './load-budget.js';

type Json = Record<string, unknown>;

function stringList(v: unknown, where: string): string[] {
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v;
  if (v === undefined || (typeof v === 'object' && v !== null && Object.keys(v).length === 0)) return [];
  throw new Error(`${where}: weight_names is not a list of strings`);
}

/** Every layer of a model with weights, nested models counted as one layer (as the legacy format stores them). */
function weightedLayers(model: Model): Layer[] {
  return model.layers.filter((l) => l.weights.length > 0);
}

function readLayerWeights(model: Model, h: H5Reader, where: string): void {
  const plan: [Variable, string][] = [];
  for (const layer of weightedLayers(model)) {
    const group = `model_weights/${layer.name}`;
    if (h.keys(group) === null)
      throw new Error(`${where}: group '${group}' for layer '${layer.name}' is missing`);
    const names = stringList(h.attr(group, 'weight_names'), `${where}: '${group}'`);
    const vars = layer.weights;
    if (names.length !== vars.length)
      throw new Error(
        `${where}: '${group}' lists ${names.length} weight(s) but layer '${layer.name}' has ${vars.length}`,
      );
    vars.forEach((v, i) => plan.push([v, `${group}/${names[i]}`]));
  }
  const values = plan.map(([v, path]) => {
    const a = h.read(path);
    if (a.shape.length !== v.shape.length || a.shape.some((d, i) => d !== v.shape[i]))
      throw new Error(`${where}: '${path}' is [${a.shape}] but '${v.name}' is [${v.shape}]`);
    return a;
  });
  plan.forEach(([v], i) => {
    const t = tensor(values[i].data, values[i].shape, v.dtype);
    v.assign(t);
    t.dispose();
  });
}

/**
 * Reads a legacy Keras `.h5` model (Keras 2 or Keras 3's `save_format='h5'`): config, weights and,
 * when present, the compile config with the optimizer state.
 *
 * ```ts
 * const model = await fromLegacyH5(bytes);
 * ```
 */
export async function fromLegacyH5(bytes: Uint8Array, where = 'model.h5'): Promise<Model> {
  const h = await openH5(bytes, where);
  try {
    const text = h.attr('', 'model_config');
    if (typeof text !== 'string')
      throw new Error(
        `${where}: no 'model_config' attribute: this HDF5 file holds weights only, not a model`,
      );
    const config = parseJson(text, `${where}: model_config`);
    const model = withWeightBudget(where, bytes.byteLength, () =>
      modelFromKerasConfig(config, `${where}: model_config`),
    );
    try {
      readLayerWeights(model, h, where);
      const training = h.attr('', 'training_config');
      if (typeof training === 'string') {
        const t = parseJson(training, `${where}: training_config`) as Json;
        const compileConfig = { ...t, optimizer: t.optimizer_config };
        if (compileFromKeras(model, compileConfig, `${where}: training_config`)) {
          const names = stringList(
            h.attr('optimizer_weights', 'weight_names'),
            `${where}: 'optimizer_weights'`,
          );
          const paths = names.map((n) => `optimizer_weights/${n}`);
          readOptimizerVars(model.optimizer, model.trainableWeights, paths, h, where);
        }
      }
    } catch (e) {
      model.dispose();
      throw e;
    }
    return model;
  } finally {
    h.close();
  }
}
