// Where each variable lives in a Keras 3 model.weights.h5: layer groups named as Keras names them, in Keras's layer order.
import { tensor, type Variable } from '@webdl/core';
import type { Layer } from '../engine/layer.js';
import { producerOf } from '../engine/container.js';
import { InputLayer } from '../engine/input.js';
import type { Node } from '../engine/symbolic.js';
import { RNN } from '../layers/rnn/base.js';
import { Bidirectional } from '../layers/rnn/bidirectional.js';
import { TimeDistributed } from '../layers/time-distributed.js';
import { Model } from '../models/model.js';
import { Sequential } from '../models/sequential.js';
import type { Optimizer } from '../optimizers/optimizer.js';
import type { H5Reader, H5WriteEntry, H5WriteSpec } from './h5.js';
import { kerasSnake } from './keras-config.js';
import { hasKerasSlotLayout, optimizerSlots, scalarState } from './optimizer-slots.js';

export {
  hasKerasSlotLayout,
  kerasOptimizerPaths,
  optimizerSlots,
  readOptimizerVars,
  scalarState,
  type ScalarState,
} from './optimizer-slots.js';

/** One `vars` group: its path in the file, the layer name it carries, and its variables in file order. */
export interface VarGroup {
  path: string;
  name: string;
  vars: Variable[];
}

/** Keras's `model.layers` order for a functional graph (its map_graph: by depth from the outputs, then discovery order). */
export function kerasLayerOrder(model: Model): Layer[] {
  if (model instanceof Sequential) return model.layers;
  if (!model.isGraph) return model.layers;
  const inputIds = new Set(model.inputs.map((t) => t.id));
  const index = new Map<Layer, number>();
  const finished = new Set<Node>();
  const post: Node[] = [];
  const visit = (t: (typeof model.inputs)[number]): void => {
    const node = producerOf(t);
    if (finished.has(node)) return;
    if (!index.has(node.layer)) index.set(node.layer, index.size);
    if (!(node.layer instanceof InputLayer) && !inputIds.has(t.id)) node.inputs.forEach(visit);
    finished.add(node);
    post.push(node);
  };
  model.outputs.forEach(visit);
  const nodeDepth = new Map<Node, number>();
  const layerDepth = new Map<Layer, number>();
  for (const node of [...post].reverse()) {
    const depth = Math.max(nodeDepth.get(node) ?? 0, layerDepth.get(node.layer) ?? 0);
    layerDepth.set(node.layer, depth);
    nodeDepth.set(node, depth);
    for (const t of node.inputs) {
      const parent = producerOf(t);
      nodeDepth.set(parent, Math.max(depth + 1, nodeDepth.get(parent) ?? 0));
    }
  }
  for (const t of model.inputs) {
    if (!layerDepth.has(t.sourceLayer)) {
      layerDepth.set(t.sourceLayer, 0);
      index.set(t.sourceLayer, -1);
    }
  }
  return [...layerDepth.keys()].sort(
    (a, b) =>
      (layerDepth.get(b) as number) - (layerDepth.get(a) as number) ||
      (index.get(a) as number) - (index.get(b) as number),
  );
}

/** A layer's own variables as Keras stores them: trainable ones first, then the rest, each in creation order. */
function ownVars(layer: Layer): Variable[] {
  const all = layer.weights;
  return [...all.filter((w) => w.trainable), ...all.filter((w) => !w.trainable)];
}

/**
 * The `vars` groups of a layer under `base` (e.g. 'layers/dense'): recurrent layers keep theirs in
 * 'cell', Bidirectional in 'forward_layer' and 'backward_layer', TimeDistributed in 'layer', models
 * in 'layers/<name>'.
 */
export function varGroups(layer: Layer, base: string): VarGroup[] {
  const at = (p: string) => (base === '' ? p : `${base}/${p}`);
  if (layer instanceof Model) {
    const groups: VarGroup[] = [{ path: at('vars'), name: layer.name, vars: [] }];
    const used = new Map<string, number>();
    const seen = new Set<Layer>();
    for (const child of kerasLayerOrder(layer)) {
      if (seen.has(child)) continue;
      seen.add(child);
      let name = kerasSnake(child.getClassName());
      const n = used.get(name);
      used.set(name, (n ?? -1) + 1);
      if (n !== undefined) name = `${name}_${n + 1}`;
      groups.push(...varGroups(child, at(`layers/${name}`)));
    }
    return groups;
  }
  if (layer instanceof Bidirectional) {
    return [
      { path: at('vars'), name: layer.name, vars: [] },
      ...varGroups(layer.forwardLayer, at('forward_layer')),
      ...varGroups(layer.backwardLayer, at('backward_layer')),
    ];
  }
  if (layer instanceof TimeDistributed) {
    return [{ path: at('vars'), name: layer.name, vars: [] }, ...varGroups(layer.layer, at('layer'))];
  }
  if (layer instanceof RNN) {
    return [
      { path: at('vars'), name: layer.name, vars: [] },
      { path: at('cell/vars'), name: `${layer.name}_cell`, vars: ownVars(layer) },
    ];
  }
  return [{ path: at('vars'), name: layer.name, vars: ownVars(layer) }];
}

/**
 * Assigns every variable of `model` from a Keras weights file, after checking every group, count
 * and shape (nothing is assigned when anything is off).
 */
export function readModelVars(model: Model, h: H5Reader, where: string): void {
  const plan: [Variable, string][] = [];
  for (const g of varGroups(model, '')) {
    const keys = h.keys(g.path);
    if (keys === null) {
      if (g.vars.length === 0) continue;
      throw new Error(`${where}: group '${g.path}' for layer '${g.name}' is missing`);
    }
    if (keys.length !== g.vars.length)
      throw new Error(
        `${where}: '${g.path}' holds ${keys.length} variable(s) but layer '${g.name}' has ${g.vars.length}`,
      );
    g.vars.forEach((v, i) => plan.push([v, `${g.path}/${i}`]));
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

/** The datasets and groups of a weights file for `model` (and its optimizer's state, when compiled). */
export async function modelVarsSpec(model: Model, optimizer: Optimizer | null): Promise<H5WriteSpec> {
  const spec: H5WriteSpec = { groups: [], datasets: [] };
  for (const g of varGroups(model, '')) {
    spec.groups.push({ path: g.path, attrs: { name: g.name } });
    for (let i = 0; i < g.vars.length; i++) {
      const v = g.vars[i];
      spec.datasets.push({
        path: `${g.path}/${i}`,
        shape: [...v.shape],
        dtype: 'float32',
        data: await floats(v),
      });
    }
  }
  if (optimizer && !hasKerasSlotLayout(optimizer))
    console.warn(
      `io.toKeras: the state of ${optimizer.className} is not written (no Keras layout in webdl); its config is`,
    );
  if (optimizer && hasKerasSlotLayout(optimizer)) {
    const slots = optimizerSlots(optimizer, model.trainableWeights);
    spec.groups.push({ path: 'optimizer/vars', attrs: { name: optimizerName(optimizer) } });
    const lr = optimizer.currentLearningRate;
    const entries: Omit<H5WriteEntry, 'path'>[] = [
      { shape: [], dtype: 'int32', data: new Int32Array([optimizer.iterations]) },
      { shape: [], dtype: 'float32', data: new Float32Array([lr]) },
    ];
    for (const s of slots) entries.push({ shape: [...s.shape], dtype: 'float32', data: await floats(s) });
    for (const x of scalarState(optimizer))
      entries.push({ shape: [], dtype: 'float32', data: new Float32Array([x.get()]) });
    entries.forEach((e, i) => spec.datasets.push({ path: `optimizer/vars/${i}`, ...e }));
  }
  return spec;
}

async function floats(v: Variable): Promise<Float32Array> {
  const d = await v.data();
  return d instanceof Float32Array ? d : Float32Array.from(d);
}

function optimizerName(opt: Optimizer): string {
  return kerasSnake(opt.className);
}
