// io.toTfjs: a webdl model as a TF.js Layers model.json (TF.js's own topology shape) plus one weight shard.
import type { Variable } from '@webdl/core';
import type { Layer } from '../engine/layer.js';
import { Model as ModelClass } from '../models/model.js';
import { Bidirectional } from '../layers/rnn/bidirectional.js';
import { TimeDistributed } from '../layers/time-distributed.js';
import type { Model } from '../models/model.js';
import { layerToKeras } from './keras-config.js';
import { tfjsLayerSpec } from './tfjs-topology.js';
import type { TfjsArtifacts } from './tfjs.js';

type Json = Record<string, unknown>;

function layerSpec(l: Layer, where: string): Json {
  if (l.getClassName() === 'Sequential' || l.getClassName() === 'Functional')
    return modelTopology(l as Model, where);
  return tfjsLayerSpec(layerToKeras(l.getClassName(), l.getConfig()), where);
}

function modelTopology(model: Model, where: string): Json {
  if (!model.isGraph)
    throw new Error(
      `io.toTfjs: '${model.name}' is a subclassed model; only Sequential and functional models have a TF.js form`,
    );
  if (model.getClassName() === 'Sequential') {
    const layers = model.layers.map((l, i) => layerSpec(l, `${where}.layers[${i}]`));
    // TF.js's own files carry the input shape on the first layer (Keras 2 style).
    const first = layers[0].config as Json;
    first.batch_input_shape = [...model.inputs[0].shape];
    if (model.inputs[0].dtype !== 'float32') first.dtype = model.inputs[0].dtype;
    return { class_name: 'Sequential', config: { name: model.name, layers } };
  }
  const graph = model.getConfig() as {
    layers: { name: string; inboundNodes: [string, number, number][][] }[];
    inputLayers: [string, number, number][];
    outputLayers: [string, number, number][];
  };
  const byName = new Map(model.layers.map((l) => [l.name, l]));
  const layers = graph.layers.map((g, i) => {
    const spec = layerSpec(byName.get(g.name) as Layer, `${where}.layers[${i}]`);
    const inbound = g.inboundNodes.map((refs) => refs.map(([n, k, t]) => [n, k, t, {}]));
    return { ...spec, name: g.name, inbound_nodes: inbound };
  });
  return {
    class_name: 'Model',
    config: { name: model.name, layers, input_layers: graph.inputLayers, output_layers: graph.outputLayers },
  };
}

const short = (v: Variable): string => v.name.slice(v.name.lastIndexOf('/') + 1);

/** The names TF.js gives the weights: '<layer>/<w>', wrappers 'td/<w>' and 'bi/forward_<inner>/<w>'. */
function tfjsNames(layers: Layer[], names = new Map<Variable, string>()): Map<Variable, string> {
  for (const l of layers) {
    if (l instanceof ModelClass) tfjsNames(l.layers, names);
    else if (l instanceof TimeDistributed) for (const v of l.weights) names.set(v, `${l.name}/${short(v)}`);
    else if (l instanceof Bidirectional) {
      const inner = l.forwardLayer.name;
      for (const v of l.forwardLayer.weights) names.set(v, `${l.name}/forward_${inner}/${short(v)}`);
      for (const v of l.backwardLayer.weights) names.set(v, `${l.name}/backward_${inner}/${short(v)}`);
    } else for (const v of l.weights) names.set(v, v.name);
  }
  return names;
}

/**
 * The model in TF.js Layers format, as `tf.loadLayersModel` reads it: `modelJson` (model.json's
 * object, with a weightsManifest naming one shard) and `weightData` (that shard's bytes).
 *
 * ```ts
 * const { modelJson, weightData } = await io.toTfjs(model);
 * const tfModel = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: modelJson.modelTopology, weightSpecs, weightData }));
 * ```
 */
export async function toTfjs(model: Model, shardName = 'group1-shard1of1.bin'): Promise<TfjsArtifacts> {
  const topology = modelTopology(model, 'model');
  const weights = model.weights;
  const names = tfjsNames(model.layers);
  const specs = weights.map((w) => ({ name: names.get(w) ?? w.name, shape: [...w.shape], dtype: w.dtype }));
  const parts = await Promise.all(weights.map((w) => w.data()));
  const total = parts.reduce((n, p) => n + p.byteLength, 0);
  const weightData = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    weightData.set(new Uint8Array(p.buffer, p.byteOffset, p.byteLength), at);
    at += p.byteLength;
  }
  const modelJson: Json = {
    format: 'layers-model',
    generatedBy: 'webdl',
    convertedBy: null,
    modelTopology: { ...topology, keras_version: 'tfjs-layers 4.22.0', backend: 'tensor_flow.js' },
    weightsManifest: [{ paths: [shardName], weights: specs }],
  };
  return { modelJson, weightData: weightData.buffer };
}
