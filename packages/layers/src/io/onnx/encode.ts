// Encodes a built graph as an ONNX ModelProto with onnx-proto (the ONNX schema compiled for protobufjs).
import type { GraphBuilder } from './graph.js';

import * as onnxProto from 'onnx-proto';

type OnnxNs = (typeof onnxProto)['onnx'];

/** The onnx namespace (a named export, or inside the CommonJS default where a bundler or Node wraps it). */
const onnxNs = (): OnnxNs => {
  const mod = onnxProto as unknown as { onnx?: OnnxNs; default?: { onnx: OnnxNs } };
  return (mod.onnx ?? mod.default?.onnx) as OnnxNs;
};

/** A graph input or output: name, element type and shape (null dims become the symbolic 'batch'). */
export interface ValueSpec {
  name: string;
  elemType: 'float' | 'int32' | 'int64';
  shape: (number | null)[];
}

/** The finished model's bytes. */
export async function encodeModel(
  g: GraphBuilder,
  inputs: ValueSpec[],
  outputs: ValueSpec[],
  opts: { opset: number; name: string; producerVersion: string },
): Promise<Uint8Array> {
  const onnx = onnxNs();
  const T = onnx.TensorProto.DataType;
  const elem = { float: T.FLOAT, int32: T.INT32, int64: T.INT64 };
  const A = onnx.AttributeProto.AttributeType;
  const value = (v: ValueSpec) => ({
    name: v.name,
    type: {
      tensorType: {
        elemType: elem[v.elemType],
        shape: {
          dim: v.shape.map((d, i) =>
            d === null ? { dimParam: i === 0 ? 'batch' : `d${i}` } : { dimValue: d },
          ),
        },
      },
    },
  });
  const nodes = g.nodes.map((n, k) => ({
    name: `${n.opType}_${k}`,
    opType: n.opType,
    input: n.inputs,
    output: n.outputs,
    attribute: Object.entries(n.attrs).map(([name, a]) => {
      if ('i' in a) return { name, type: A.INT, i: a.i };
      if ('f' in a) return { name, type: A.FLOAT, f: a.f };
      if ('s' in a) return { name, type: A.STRING, s: new TextEncoder().encode(a.s) };
      if ('ints' in a) return { name, type: A.INTS, ints: a.ints };
      if ('strings' in a)
        return { name, type: A.STRINGS, strings: a.strings.map((x) => new TextEncoder().encode(x)) };
      return { name, type: A.FLOATS, floats: a.floats };
    }),
  }));
  const initializer = g.initializers.map((t) => {
    const base = { name: t.name, dims: t.dims, dataType: elem[t.dataType] };
    if (t.dataType === 'float') {
      const f = t.data as Float32Array;
      return { ...base, rawData: new Uint8Array(f.buffer, f.byteOffset, f.byteLength) };
    }
    return t.dataType === 'int64'
      ? { ...base, int64Data: t.data as number[] }
      : { ...base, int32Data: t.data as number[] };
  });
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: 'webdl',
    producerVersion: opts.producerVersion,
    opsetImport: [{ domain: '', version: opts.opset }],
    graph: {
      name: opts.name,
      node: nodes,
      initializer,
      input: inputs.map(value),
      output: outputs.map(value),
    },
  });
  return onnx.ModelProto.encode(model).finish();
}
