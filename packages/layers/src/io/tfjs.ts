// TF.js Layers format (model.json + binary weight shards), read into and written from webdl models.
import { tensor, type Variable } from '@webdl/core';
import type { Layer } from '../engine/layer.js';
import { Model } from '../models/model.js';
import { parseJson } from './json.js';
import { modelFromKerasConfig } from './keras.js';
import { kerasTfjsTopology } from './tfjs-topology.js';
import { compileFromKeras } from './keras-compile.js';
import { decodeWeight, type ManifestEntry } from './tfjs-weights.js';
import { withWeightBudget } from './load-budget.js';

type Json = Record<string, unknown>;

/** A TF.js Layers model in memory: the model.json object and its shards' bytes concatenated in manifest order. */
export interface TfjsArtifacts {
  modelJson: Json;
  weightData: ArrayBuffer | Uint8Array;
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Whether a parsed JSON value is a TF.js model.json (it has modelTopology and weightsManifest). */
export function isTfjsModelJson(v: unknown): v is Json {
  return isObject(v) && 'modelTopology' in v && Array.isArray(v.weightsManifest);
}

/** The manifest's weight entries in order, and the shard paths. */
export function manifestOf(modelJson: Json, where: string): { entries: ManifestEntry[]; paths: string[] } {
  const groups = modelJson.weightsManifest;
  if (!Array.isArray(groups)) throw new Error(`${where}: weightsManifest is missing or not a list`);
  const entries: ManifestEntry[] = [];
  const paths: string[] = [];
  groups.forEach((g, i) => {
    if (!isObject(g) || !Array.isArray(g.weights) || !Array.isArray(g.paths))
      throw new Error(`${where}: weightsManifest[${i}] needs 'paths' and 'weights' lists`);
    for (const p of g.paths) {
      if (typeof p !== 'string') throw new Error(`${where}: weightsManifest[${i}].paths holds a non-string`);
      paths.push(p);
    }
    for (const w of g.weights) entries.push(w as ManifestEntry);
  });
  return { entries, paths };
}

/** Leaf layers with weights, nested models walked into (TF.js names weights '<leaf layer>/<weight>'). */
function leafLayers(model: Model): Layer[] {
  return model.layers.flatMap((l) => (l instanceof Model ? leafLayers(l) : l.weights.length > 0 ? [l] : []));
}

function assignWeights(model: Model, entries: ManifestEntry[], data: Uint8Array, where: string): void {
  const decoded = new Map<string, { shape: number[]; values: Float32Array | Int32Array }>();
  let offset = 0;
  entries.forEach((e, i) => {
    const { values, bytes } = decodeWeight(e, data, offset, `${where}: weightsManifest weight #${i}`);
    if (decoded.has(e.name)) throw new Error(`${where}: weight '${e.name}' appears twice in the manifest`);
    decoded.set(e.name, { shape: e.shape, values });
    offset += bytes;
  });
  if (offset !== data.byteLength)
    throw new Error(
      `${where}: the manifest describes ${offset} bytes of weights but ${data.byteLength} were given`,
    );
  const plan: [Variable, { shape: number[]; values: Float32Array | Int32Array }, string][] = [];
  const used = new Set<string>();
  for (const layer of leafLayers(model)) {
    const mine = [...decoded.keys()].filter((n) => n.startsWith(`${layer.name}/`));
    const vars = layer.weights;
    if (mine.length !== vars.length)
      throw new Error(
        `${where}: layer '${layer.name}' has ${vars.length} weight(s) but the manifest has ${mine.length} named '${layer.name}/...'`,
      );
    vars.forEach((v, i) => {
      const short = v.name.slice(v.name.lastIndexOf('/') + 1);
      const name = mine.find((n) => n.endsWith(`/${short}`) && !used.has(n)) ?? mine[i];
      used.add(name);
      const w = decoded.get(name) as { shape: number[]; values: Float32Array | Int32Array };
      if (w.shape.length !== v.shape.length || w.shape.some((d, j) => d !== v.shape[j]))
        throw new Error(`${where}: weight '${name}' is [${w.shape}] but '${v.name}' is [${v.shape}]`);
      plan.push([v, w, name]);
    });
  }
  const unused = [...decoded.keys()].filter((n) => !used.has(n));
  if (unused.length > 0)
    throw new Error(`${where}: weights ${unused.join(', ')} belong to no layer of the model`);
  for (const [v, w] of plan) {
    const t = tensor(w.values, w.shape, v.dtype);
    v.assign(t);
    t.dispose();
  }
}

/**
 * Reads a TF.js Layers model: `modelTopology` as TF.js writes it (`{ class_name, config }`) or as the
 * Python converter does (`{ model_config, training_config }`), Keras 2 style configs, and weights
 * (float32, int32, or quantized uint8/uint16/float16) given as the shards concatenated in manifest order.
 *
 * ```ts
 * const model = await fromTfjs({ modelJson, weightData });
 * ```
 */
export function fromTfjs(artifacts: TfjsArtifacts, where = 'model.json'): Model {
  const json = artifacts.modelJson;
  if (!isTfjsModelJson(json))
    throw new Error(`${where}: not a TF.js model.json (needs modelTopology and weightsManifest)`);
  if (json.format !== undefined && json.format !== 'layers-model')
    throw new Error(
      `${where}: format '${String(json.format)}' is a TF.js graph model; webdl reads Layers models`,
    );
  const topo = json.modelTopology;
  if (!isObject(topo)) throw new Error(`${where}: modelTopology is not an object`);
  const modelConfig = isObject(topo.model_config) ? topo.model_config : topo;
  // The weights a config may create are bounded by the weight data (when given as bytes).
  const w = artifacts.weightData as { byteLength?: unknown } | undefined;
  const weightBytes = typeof w?.byteLength === 'number' ? w.byteLength : Infinity;
  const model = withWeightBudget(where, weightBytes, () =>
    modelFromKerasConfig(
      kerasTfjsTopology(modelConfig, `${where}: modelTopology`),
      `${where}: modelTopology`,
    ),
  );
  try {
    const { entries } = manifestOf(json, where);
    const data =
      artifacts.weightData instanceof Uint8Array
        ? artifacts.weightData
        : new Uint8Array(artifacts.weightData);
    assignWeights(model, entries, data, where);
    const training = isObject(topo.training_config) ? topo.training_config : json.trainingConfig;
    if (isObject(training)) {
      compileFromKeras(
        model,
        { ...training, optimizer: training.optimizer_config },
        `${where}: training_config`,
      );
    }
  } catch (e) {
    model.dispose();
    throw e;
  }
  return model;
}

/** Reads model.json text and its shards, fetched (or read, with `read`) beside it. */
export async function loadTfjsFrom(
  text: string,
  where: string,
  read: (path: string) => Promise<Uint8Array>,
): Promise<Model> {
  const modelJson = parseJson(text, where);
  if (!isTfjsModelJson(modelJson)) throw new Error(`${where}: not a TF.js model.json`);
  const { paths } = manifestOf(modelJson, where);
  const shards = await Promise.all(paths.map((p) => read(p)));
  const total = shards.reduce((n, s) => n + s.byteLength, 0);
  const weightData = new Uint8Array(total);
  let at = 0;
  for (const s of shards) {
    weightData.set(s, at);
    at += s.byteLength;
  }
  return fromTfjs({ modelJson, weightData }, where);
}
