// Model ↔ artifacts: the JSON topology (with compile config) plus safetensors weights (and optimizer state), validated completely before a model is returned.
import { tensor, type DType } from '@webdl/core';
import type { Layer, Shape } from '../engine/layer.js';
import { isShapeList } from '../engine/layer.js';
import { deserializeLayer } from '../registry.js';
import type { Model } from '../models/model.js';
import { compiledArtifacts, restoreCompiled, type CompiledTopology } from './artifacts-compile.js';
import { withWeightBudget } from './load-budget.js';
import { decodeSafetensors, encodeSafetensors, type NamedArray } from './safetensors.js';
import { zeros, tidy } from '@webdl/core';

/**
 * Name, shape and dtype of one saved weight.
 *
 * ```ts
 * const specs: WeightSpec[] = (await model.save()).weightSpecs;
 * specs[0]; // the first weight's { name, shape, dtype }
 * ```
 */
export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: DType;
}

/**
 * The JSON part of a saved model.
 *
 * ```ts
 * const topology: ModelTopology = (await model.save()).modelTopology;
 * topology.className; // 'Sequential'
 * ```
 */
export interface ModelTopology extends CompiledTopology {
  format: 'webdl-layers';
  formatVersion: 1;
  className: string;
  config: Record<string, unknown>;
  /** For models that create weights on first call (subclassed): the shape to build them from. */
  buildInputShape?: Shape | Shape[] | null;
}

/**
 * A saved model in memory: topology (JSON-safe), weight specs and the weights in safetensors layout.
 *
 * ```ts
 * const artifacts: ModelArtifacts = await model.save();
 * const copy = await loadModel(artifacts);
 * ```
 */
export interface ModelArtifacts {
  modelTopology: ModelTopology;
  weightSpecs: WeightSpec[];
  weightData: ArrayBuffer;
}

/**
 * Serializes a model: config JSON and one safetensors buffer (one read back per weight).
 *
 * ```ts
 * const artifacts = await modelToArtifacts(model);
 * ```
 */
export async function modelToArtifacts(model: Model): Promise<ModelArtifacts> {
  const config = model.getConfig();
  JSON.stringify(config); // fails early on values that cannot be saved
  const weights = model.weights;
  const used = new Set<string>();
  const arrays: NamedArray[] = [];
  for (const w of weights) {
    let name = w.name;
    for (let k = 1; used.has(name); k++) name = `${w.name}_${k}`;
    used.add(name);
    arrays.push({ name, shape: [...w.shape], dtype: w.dtype, data: await w.data() });
  }
  const compiled = await compiledArtifacts(model);
  return {
    modelTopology: {
      format: 'webdl-layers',
      formatVersion: 1,
      className: model.getClassName(),
      config,
      buildInputShape: model.buildInputShape,
      ...compiled.topology,
    },
    weightSpecs: arrays.map(({ name, shape, dtype }) => ({ name, shape, dtype })),
    weightData: encodeSafetensors([...arrays, ...compiled.arrays], { format: 'webdl' }),
  };
}

function checkTopology(t: unknown): ModelTopology {
  if (typeof t !== 'object' || t === null || Array.isArray(t))
    throw new Error('loadModel: modelTopology is missing or not an object');
  const topo = t as Partial<ModelTopology>;
  if (typeof topo.className !== 'string') throw new Error('loadModel: modelTopology has no className');
  if (typeof topo.config !== 'object' || topo.config === null)
    throw new Error(`loadModel: modelTopology of '${topo.className}' has no config object`);
  return topo as ModelTopology;
}

/** Creates the weights of a model that builds lazily, by running it once on zeros. */
function ensureBuilt(model: Layer, shape: Shape | Shape[] | null | undefined): void {
  if (model.weights.length > 0 || !shape) return;
  tidy(() => {
    const make = (s: Shape) => zeros(s.map((d) => d ?? 1));
    model.apply(isShapeList(shape) ? shape.map(make) : make(shape));
  });
}

/**
 * Rebuilds a model from artifacts. Everything is checked first (JSON, registered classes, the
 * safetensors buffer, weight count, names and shapes); on any problem the partly built model is
 * disposed and an error says what is wrong.
 *
 * ```ts
 * const model = await artifactsToModel(await original.save()); // compiled again when saved compiled
 * ```
 */
export async function artifactsToModel(artifacts: unknown): Promise<Model> {
  if (typeof artifacts !== 'object' || artifacts === null)
    throw new Error('loadModel: expected model artifacts { modelTopology, weightSpecs, weightData }');
  const a = artifacts as Partial<ModelArtifacts>;
  const topo = checkTopology(a.modelTopology);
  if (!(a.weightData instanceof ArrayBuffer) && !ArrayBuffer.isView(a.weightData))
    throw new Error('loadModel: weightData is missing or not binary data');
  const data =
    a.weightData instanceof ArrayBuffer
      ? a.weightData
      : new Uint8Array(
          (a.weightData as ArrayBufferView).buffer,
          (a.weightData as ArrayBufferView).byteOffset,
          (a.weightData as ArrayBufferView).byteLength,
        );
  let arrays: ReturnType<typeof decodeSafetensors>['arrays'];
  try {
    arrays = decodeSafetensors(data).arrays;
  } catch (e) {
    throw new Error(`loadModel: ${(e as Error).message}`);
  }
  const byName = new Map(arrays.map((x) => [x.name, x]));
  const optimizerNames = new Set(Array.isArray(topo.optimizerWeights) ? topo.optimizerWeights : []);
  const specs = Array.isArray(a.weightSpecs)
    ? a.weightSpecs
    : arrays.filter((x) => !optimizerNames.has(x.name));
  const ordered = specs.map((s, i) => {
    const found = byName.get(s.name);
    if (!found)
      throw new Error(
        `loadModel: weight '${s.name}' (#${i}) is listed in weightSpecs but missing from the weight data`,
      );
    return found;
  });
  const layer = withWeightBudget('loadModel', data.byteLength, () => {
    const l = deserializeLayer({ className: topo.className, config: topo.config });
    if (!isModel(l)) {
      l.dispose();
      throw new Error(`loadModel: '${topo.className}' is a layer, not a model`);
    }
    try {
      ensureBuilt(l, topo.buildInputShape);
    } catch (e) {
      l.dispose();
      throw e;
    }
    return l;
  });
  try {
    const weights = layer.weights;
    if (weights.length !== ordered.length) {
      throw new Error(
        `loadModel: the model '${layer.name}' has ${weights.length} weights but the file has ${ordered.length}`,
      );
    }
    weights.forEach((w, i) => {
      const s = ordered[i];
      if (
        w.dtype !== s.dtype ||
        w.shape.length !== s.shape.length ||
        w.shape.some((d, j) => d !== s.shape[j])
      ) {
        throw new Error(
          `loadModel: weight #${i} '${s.name}' is ${s.dtype} [${s.shape}] in the file but '${w.name}' is ${w.dtype} [${w.shape}] in the model`,
        );
      }
    });
    weights.forEach((w, i) => {
      const t = tensor(ordered[i].data, ordered[i].shape, ordered[i].dtype);
      w.assign(t);
      t.dispose();
    });
    restoreCompiled(layer, topo, byName);
  } catch (e) {
    layer.dispose();
    throw e;
  }
  return layer;
}

function isModel(l: Layer): l is Model {
  return (
    typeof (l as Partial<Model>).compile === 'function' && typeof (l as Partial<Model>).predict === 'function'
  );
}
