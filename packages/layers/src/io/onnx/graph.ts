// A small ONNX graph builder: nodes with typed attributes, float/int initializers, unique names. Encoding is onnx-proto's.

/** An attribute value: number (int when integer-typed), float, string, int list, float list. */
export type AttrValue =
  | { i: number }
  | { f: number }
  | { s: string }
  | { ints: number[] }
  | { floats: number[] }
  | { strings: string[] };

/** One graph node. */
export interface OnnxNode {
  opType: string;
  inputs: string[];
  outputs: string[];
  attrs: Record<string, AttrValue>;
}

/** One constant tensor of the graph. */
export interface Initializer {
  name: string;
  dims: number[];
  dataType: 'float' | 'int64' | 'int32';
  data: Float32Array | number[];
}

/** Builds a graph node by node; `op` returns the output name(s). */
export class GraphBuilder {
  readonly nodes: OnnxNode[] = [];
  readonly initializers: Initializer[] = [];
  private used = new Map<string, number>();

  /** A name not used before, from a readable base ('dense/kernel', 'dense/out'). */
  fresh(base: string): string {
    const clean = base.replace(/[^A-Za-z0-9_./:-]/g, '_');
    const n = this.used.get(clean) ?? 0;
    this.used.set(clean, n + 1);
    return n === 0 ? clean : `${clean}_${n}`;
  }

  /** A float32 constant. */
  floats(base: string, data: Float32Array | ArrayLike<number>, dims: number[]): string {
    const name = this.fresh(base);
    this.initializers.push({ name, dims, dataType: 'float', data: Float32Array.from(data) });
    return name;
  }

  /** An int64 constant (shapes, axes, indices). */
  ints(base: string, data: number[], dims: number[] = [data.length]): string {
    const name = this.fresh(base);
    this.initializers.push({ name, dims, dataType: 'int64', data });
    return name;
  }

  /** Adds a node with one output and returns that output's name. */
  op(opType: string, inputs: string[], base: string, attrs: Record<string, AttrValue> = {}): string {
    const out = this.fresh(base);
    this.nodes.push({ opType, inputs, outputs: [out], attrs });
    return out;
  }

  /** Adds a node with several outputs (empty names for unused optional ones). */
  opN(opType: string, inputs: string[], outputs: string[], attrs: Record<string, AttrValue> = {}): void {
    this.nodes.push({ opType, inputs, outputs, attrs });
  }
}

/** NHWC -> NCHW. */
export const TO_NCHW = [0, 3, 1, 2];
/** NCHW -> NHWC. */
export const TO_NHWC = [0, 2, 3, 1];
