// The functional graph: ordering the nodes between inputs and outputs, running them, and (de)serializing them Keras-style.
import type { Tensor } from '@webdl/core';
import type { CallArgs, Layer } from './layer.js';
import { InputLayer } from './input.js';
import { SymbolicTensor, type Node } from './symbolic.js';
import { buildLayer } from '../registry-table.js';

/** The node that produced a symbolic tensor. */
export function producerOf(t: SymbolicTensor): Node {
  const node = t.sourceLayer.inboundNodes[t.nodeIndex];
  if (!node) throw new Error(`functional graph: ${t.name} has no producing node`);
  return node;
}

/**
 * Nodes needed to compute outputs from inputs, in an order where every node comes after the
 * nodes it reads from. Throws when an output depends on a tensor that is not among the inputs.
 */
export function topologicalNodes(inputs: SymbolicTensor[], outputs: SymbolicTensor[]): Node[] {
  const inputIds = new Set(inputs.map((t) => t.id));
  const order: Node[] = [];
  const done = new Set<Node>();
  const active = new Set<Node>();
  const visit = (t: SymbolicTensor): void => {
    if (inputIds.has(t.id)) return;
    const node = producerOf(t);
    if (done.has(node)) return;
    if (node.layer instanceof InputLayer) {
      throw new Error(
        `Model: output depends on input '${node.layer.name}', which is not among the model's inputs`,
      );
    }
    if (active.has(node)) throw new Error(`Model: the graph has a cycle through layer '${node.layer.name}'`);
    active.add(node);
    node.inputs.forEach(visit);
    active.delete(node);
    done.add(node);
    order.push(node);
  };
  outputs.forEach(visit);
  return order;
}

/** Runs the graph on concrete tensors (one per input, in order); returns one tensor per output. */
export function runGraph(
  inputs: SymbolicTensor[],
  outputs: SymbolicTensor[],
  nodes: Node[],
  values: Tensor[],
  args: CallArgs,
): Tensor[] {
  if (values.length !== inputs.length)
    throw new Error(`Model: expected ${inputs.length} input tensor(s), got ${values.length}`);
  const env = new Map<number, Tensor>();
  inputs.forEach((t, i) => env.set(t.id, values[i]));
  for (const node of nodes) {
    const xs = node.inputs.map((t) => env.get(t.id) as Tensor);
    const out = node.layer.apply(node.inputIsList ? xs : xs[0], { ...node.callArgs, ...args });
    const list = Array.isArray(out) ? out : [out];
    node.outputs.forEach((t, i) => env.set(t.id, list[i]));
  }
  return outputs.map((t) => {
    const v = env.get(t.id);
    if (!v) throw new Error(`Model: output ${t.name} was not computed`);
    return v;
  });
}

/** Distinct layers of the graph in execution order, input layers first. */
export function graphLayers(inputs: SymbolicTensor[], nodes: Node[]): Layer[] {
  const layers: Layer[] = inputs.map((t) => t.sourceLayer);
  for (const n of nodes) if (!layers.includes(n.layer)) layers.push(n.layer);
  return layers;
}

/** Reference to a tensor in a saved graph: [layerName, nodeIndex, tensorIndex]. */
export type TensorRef = [string, number, number];

/** Keras-style graph config: layers with their inbound nodes, plus the model's input and output refs. */
export interface GraphConfig {
  name: string;
  layers: { className: string; name: string; config: Record<string, unknown>; inboundNodes: TensorRef[][] }[];
  inputLayers: TensorRef[];
  outputLayers: TensorRef[];
}

/** Serializes a functional graph (node indices count only the nodes inside this graph). */
export function graphConfig(
  name: string,
  inputs: SymbolicTensor[],
  outputs: SymbolicTensor[],
  nodes: Node[],
): GraphConfig {
  const layers = graphLayers(inputs, nodes);
  const names = new Set<string>();
  for (const l of layers) {
    if (names.has(l.name))
      throw new Error(
        `Model.getConfig: two layers are named '${l.name}'; layer names must be unique to save a model`,
      );
    names.add(l.name);
  }
  // Position of each node among its layer's nodes that belong to this graph.
  const localIndex = new Map<Node, number>();
  const inputNodes = inputs.map(producerOf);
  for (const l of layers) {
    let k = 0;
    for (const n of l.inboundNodes) if (nodes.includes(n) || inputNodes.includes(n)) localIndex.set(n, k++);
  }
  const ref = (t: SymbolicTensor): TensorRef => [
    t.sourceLayer.name,
    localIndex.get(producerOf(t)) ?? 0,
    t.tensorIndex,
  ];
  return {
    name,
    layers: layers.map((l) => ({
      className: l.getClassName(),
      name: l.name,
      config: l.getConfig(),
      inboundNodes: l.inboundNodes.filter((n) => nodes.includes(n)).map((n) => n.inputs.map(ref)),
    })),
    inputLayers: inputs.map(ref),
    outputLayers: outputs.map(ref),
  };
}

/** Rebuilds layers and re-applies them symbolically from a graph config; returns the graph's inputs and outputs. */
export function graphFromConfig(config: GraphConfig): {
  inputs: SymbolicTensor[];
  outputs: SymbolicTensor[];
} {
  if (
    !Array.isArray(config.layers) ||
    !Array.isArray(config.inputLayers) ||
    !Array.isArray(config.outputLayers)
  ) {
    throw new Error('Model config: expected layers, inputLayers and outputLayers arrays');
  }
  const byName = new Map<string, Layer>();
  const produced = new Map<string, SymbolicTensor[][]>(); // layer name → outputs of each rebuilt node
  for (const spec of config.layers) {
    const layer = buildLayer(spec);
    byName.set(spec.name, layer);
    produced.set(spec.name, layer instanceof InputLayer ? [[layer.inboundNodes[0].outputs[0]]] : []);
  }
  const lookup = (r: TensorRef): SymbolicTensor | undefined => produced.get(r[0])?.[r[1]]?.[r[2]];
  // Apply nodes as soon as their inputs exist, looping until nothing is left (shared layers can interleave).
  // A layer's k-th node is applied only after its earlier ones so node indices match the saved ones.
  const pending = config.layers.flatMap((spec) =>
    (spec.inboundNodes ?? []).map((refs, index) => ({ spec, refs, index })),
  );
  while (pending.length > 0) {
    const ready = (p: (typeof pending)[number]): boolean =>
      produced.get(p.spec.name)?.length === p.index && p.refs.every((r) => lookup(r) !== undefined);
    const i = pending.findIndex(ready);
    if (i < 0)
      throw new Error(
        `Model config: cannot resolve the inputs of layer '${pending[0].spec.name}' (unknown layer or node reference)`,
      );
    const [{ spec, refs }] = pending.splice(i, 1);
    const layer = byName.get(spec.name) as Layer;
    const xs = refs.map((r) => lookup(r) as SymbolicTensor);
    const out = layer.apply(xs.length === 1 ? xs[0] : xs);
    produced.get(spec.name)?.push(Array.isArray(out) ? out : [out]);
  }
  const resolve = (r: TensorRef): SymbolicTensor => {
    const t = lookup(r);
    if (!t) throw new Error(`Model config: unknown tensor reference ${JSON.stringify(r)}`);
    return t;
  };
  return { inputs: config.inputLayers.map(resolve), outputs: config.outputLayers.map(resolve) };
}
