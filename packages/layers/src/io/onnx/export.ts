// io.toOnnx: walks a Sequential or functional model's graph and emits one ONNX ModelProto (dynamic batch dimension).
import { topologicalNodes } from '../../engine/container.js';
import type { Model } from '../../models/model.js';
import { encodeModel, type ValueSpec } from './encode.js';
import { GraphBuilder } from './graph.js';
import { converterFor } from './layers.js';

/** Options of io.toOnnx. */
export interface OnnxOptions {
  /** ONNX opset (17 or later; default 17). */
  opset?: number;
}

const elemOf = (dtype: string): ValueSpec['elemType'] => (dtype === 'int32' ? 'int32' : 'float');

/**
 * Exports the model as an ONNX ModelProto: inference graph (Dropout and noise layers become
 * identities, BatchNormalization its folded inference form), batch dimension 'batch' left dynamic.
 *
 * ```ts
 * const bytes = await toOnnx(model, { opset: 17 });
 * ```
 */
export async function toOnnx(model: Model, options: OnnxOptions = {}): Promise<Uint8Array> {
  const opset = options.opset ?? 17;
  if (!Number.isInteger(opset) || opset < 17)
    throw new Error(`io.toOnnx: opset must be an integer >= 17 (LayerNormalization needs 17), got ${opset}`);
  if (!model.isGraph)
    throw new Error(
      `io.toOnnx: '${model.name}' is a subclassed model; only Sequential and functional models can be exported`,
    );
  const g = new GraphBuilder();
  const names = new Map<number, string>();
  const nodes = topologicalNodes(model.inputs, model.outputs);
  // An input read only by Embedding layers holds indices: it is declared int32, as Keras declares it.
  const indicesOnly = (id: number): boolean => {
    const readers = nodes.filter((n) => n.inputs.some((t) => t.id === id));
    return readers.length > 0 && readers.every((n) => n.layer.getClassName() === 'Embedding');
  };
  const inputs: ValueSpec[] = model.inputs.map((t) => {
    const name = g.fresh(t.sourceLayer.name);
    names.set(t.id, name);
    const elemType = indicesOnly(t.id) ? 'int32' : elemOf(t.dtype);
    return { name, elemType, shape: [null, ...t.shape.slice(1)] };
  });
  for (const node of nodes) {
    const layer = node.layer;
    if (layer.getClassName() === 'Sequential' || layer.getClassName() === 'Functional')
      throw new Error(
        `io.toOnnx: nested model '${layer.name}' is not exported yet; flatten it into one model`,
      );
    const convert = converterFor(layer.getClassName(), layer.name);
    const w = new Map<string, { data: Float32Array; shape: number[] }>();
    for (const v of layer.weights) {
      const d = await v.data();
      w.set(v.name.slice(v.name.lastIndexOf('/') + 1), {
        data: d instanceof Float32Array ? d : Float32Array.from(d),
        shape: [...v.shape],
      });
    }
    const outs = convert({
      g,
      layer,
      cfg: layer.getConfig(),
      w,
      inputs: node.inputs.map((t) => names.get(t.id) as string),
      shapes: node.inputs.map((t) => t.shape),
    });
    node.outputs.forEach((t, i) => names.set(t.id, outs[i]));
  }
  // Graph outputs need their own names (an output may be an input or shared), so each gets an Identity.
  const outputs: ValueSpec[] = model.outputs.map((t, i) => {
    const name = g.op('Identity', [names.get(t.id) as string], model.outputNames[i] ?? `output_${i}`);
    return { name, elemType: elemOf(t.dtype), shape: [null, ...t.shape.slice(1)] };
  });
  return encodeModel(g, inputs, outputs, { opset, name: model.name, producerVersion: '0.1.0' });
}
