// Keras 3 .keras files: a zip of metadata.json, config.json and model.weights.h5, read into and written from webdl models.
import { deserializeLayer } from '../registry.js';
import { Model } from '../models/model.js';
import { openH5, writeH5 } from './h5.js';
import { parseJsonBytes } from './json.js';
import { layerFromKeras, layerToKeras } from './keras-config.js';
import { compileFromKeras, compileToKeras } from './keras-compile.js';
import {
  kerasLayerOrder,
  kerasOptimizerPaths,
  modelVarsSpec,
  readModelVars,
  readOptimizerVars,
} from './keras-weights.js';
import { readZip, writeZip } from './zip.js';
import { withWeightBudget } from './load-budget.js';

const ENTRIES = ['metadata.json', 'config.json', 'model.weights.h5'];

type Json = Record<string, unknown>;

/** Rebuilds a webdl model from a parsed Keras model config (the content of config.json). */
export function modelFromKerasConfig(config: unknown, where: string): Model {
  const spec = layerFromKeras(config, where);
  const layer = deserializeLayer(spec);
  if (!(layer instanceof Model)) {
    layer.dispose();
    throw new Error(`${where}: the top-level class '${spec.className}' is a layer, not a model`);
  }
  return layer;
}

/**
 * Reads a Keras 3 `.keras` archive: the model (registered classes only; Lambda and custom objects
 * are refused), its weights, and its compile config with the optimizer state when present.
 *
 * ```ts
 * const model = await fromKeras(new Uint8Array(await file.arrayBuffer()));
 * ```
 */
export async function fromKeras(bytes: Uint8Array, where = 'model.keras'): Promise<Model> {
  const entries = await readZip(bytes, ENTRIES, where);
  for (const name of ['config.json', 'model.weights.h5']) {
    if (!entries.has(name))
      throw new Error(
        `${where}: the archive has no '${name}' entry (a .keras file holds ${ENTRIES.join(', ')})`,
      );
  }
  const config = parseJsonBytes(entries.get('config.json') as Uint8Array, `${where}/config.json`);
  const weightBytes = (entries.get('model.weights.h5') as Uint8Array).byteLength;
  const model = withWeightBudget(where, weightBytes, () =>
    modelFromKerasConfig(config, `${where}/config.json`),
  );
  const wherePath = `${where}/model.weights.h5`;
  const h = await openH5(entries.get('model.weights.h5') as Uint8Array, wherePath);
  try {
    readModelVars(model, h, wherePath);
    const compileConfig = (config as Json).compile_config;
    const compiled = compileFromKeras(model, compileConfig, `${where}/config.json: compile_config`);
    if (compiled && model.compiled)
      readOptimizerVars(model.optimizer, model.trainableWeights, kerasOptimizerPaths(h), h, wherePath);
  } catch (e) {
    model.dispose();
    throw e;
  } finally {
    h.close();
  }
  return model;
}

function buildConfig(shape: unknown): Json {
  return { input_shape: shape ?? null };
}

/** The Keras config of a webdl model (layers in Keras's order, Keras 3 inbound nodes, build configs). */
export function kerasConfigOf(model: Model): Json {
  if (!model.isGraph)
    throw new Error(
      `io.toKeras: '${model.name}' is a subclassed model; only Sequential and functional models can be saved as .keras`,
    );
  const top = model.getConfig();
  const own = (l: { getClassName(): string; getConfig(): Json; buildInputShape: unknown }): Json => {
    if (l instanceof Model) return kerasConfigOf(l);
    return { ...layerToKeras(l.getClassName(), l.getConfig()), build_config: buildConfig(l.buildInputShape) };
  };
  const dtype = {
    module: 'keras',
    class_name: 'DTypePolicy',
    config: { name: 'float32' },
    registered_name: null,
  };
  if (model.getClassName() === 'Sequential') {
    const input = model.inputs[0];
    const inputLayer = layerToKeras('InputLayer', {
      batchInputShape: [...input.shape],
      dtype: input.dtype,
      name: input.sourceLayer.name,
    });
    return {
      module: 'keras',
      class_name: 'Sequential',
      config: {
        name: model.name,
        trainable: model.trainable,
        dtype,
        layers: [inputLayer, ...model.layers.map(own)],
      },
      registered_name: null,
      build_config: buildConfig([...input.shape]),
    };
  }
  const graph = top as {
    layers: { name: string; inboundNodes: [string, number, number][][] }[];
    inputLayers: unknown;
    outputLayers: unknown;
  };
  const byName = new Map(graph.layers.map((l) => [l.name, l]));
  const shapes = new Map<string, unknown>();
  for (const l of model.layers)
    for (const n of l.inboundNodes) n.outputs.forEach((o, i) => shapes.set(`${l.name}:${i}`, o));
  const layers = kerasLayerOrder(model).map((l) => {
    const nodes = byName.get(l.name)?.inboundNodes ?? [];
    const inbound = nodes.map((refs, ni) => {
      const node = l.inboundNodes.filter((n) => n.inputs.length > 0)[ni];
      const tensors = refs.map((r, k) => {
        const t = node?.inputs[k];
        return {
          class_name: '__keras_tensor__',
          config: { shape: t ? [...t.shape] : null, dtype: t?.dtype ?? 'float32', keras_history: r },
        };
      });
      return { args: node?.inputIsList ? [tensors] : tensors, kwargs: {} };
    });
    return { ...own(l as never), name: l.name, inbound_nodes: inbound };
  });
  const single = (refs: unknown): unknown => (Array.isArray(refs) && refs.length === 1 ? refs[0] : refs);
  return {
    module: 'keras',
    class_name: 'Functional',
    config: {
      name: model.name,
      trainable: model.trainable,
      layers,
      input_layers: graph.inputLayers,
      output_layers: single(graph.outputLayers),
    },
    registered_name: 'Functional',
    build_config: buildConfig(null),
  };
}

/**
 * Writes a Keras 3 `.keras` archive (stored entries, as Keras writes them) that `keras.saving.load_model`
 * reads: config with compile config, and weights (with the optimizer state when compiled).
 *
 * ```ts
 * const bytes = await toKeras(model); // Uint8Array
 * ```
 */
export async function toKeras(model: Model): Promise<Uint8Array> {
  const config = kerasConfigOf(model);
  if (model.compiled) config.compile_config = compileToKeras(model);
  const weights = await writeH5(await modelVarsSpec(model, model.compiled ? model.optimizer : null));
  const metadata = {
    keras_version: '3.15.1',
    date_saved: new Date().toISOString().slice(0, 19).replace('T', '@'),
  };
  const enc = new TextEncoder();
  return writeZip({
    'metadata.json': enc.encode(JSON.stringify(metadata)),
    'config.json': enc.encode(JSON.stringify(config)),
    'model.weights.h5': weights,
  });
}
