// Each layer class as ONNX nodes: channels-last convolutions and pooling wrapped in Transposes, Dense as Gemm, merges, shaping.
import type { Layer, Shape } from '../../engine/layer.js';
import { activation } from './activations.js';
import { TO_NCHW, TO_NHWC, type GraphBuilder } from './graph.js';
import { recurrent } from './recurrent.js';

/** What a converter gets: the builder, the layer, its config, its weights' values by short name, its inputs. */
export interface ConvertArgs {
  g: GraphBuilder;
  layer: Layer;
  cfg: Record<string, unknown>;
  w: Map<string, { data: Float32Array; shape: number[] }>;
  inputs: string[];
  shapes: Shape[];
}

type Converter = (a: ConvertArgs) => string[];

const num = (v: unknown, d: number): number => (typeof v === 'number' ? v : d);
const pair = (v: unknown): number[] => (Array.isArray(v) ? (v as number[]) : [v as number, v as number]);
const act = (a: ConvertArgs, x: string): string =>
  activation(a.g, typeof a.cfg.activation === 'string' ? a.cfg.activation : 'linear', x, a.layer.name);

/** A weight by its short name ('kernel'), or an error naming the layer. */
export function weight(a: ConvertArgs, name: string): { data: Float32Array; shape: number[] } {
  const found = a.w.get(name);
  if (!found) throw new Error(`io.toOnnx: layer '${a.layer.name}' has no weight '${name}'`);
  return found;
}

/** Reorders a [kh, kw, a, b] kernel into [b or a..., ...] following `perm` (a transpose on the host). */
export function transposeHost(data: Float32Array, shape: number[], perm: number[]): Float32Array {
  const out = new Float32Array(data.length);
  const outShape = perm.map((p) => shape[p]);
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((x, y) => x * y, 1));
  const idx = new Array<number>(shape.length).fill(0);
  for (let o = 0; o < data.length; o++) {
    let rem = o;
    let src = 0;
    for (let d = outShape.length - 1; d >= 0; d--) {
      idx[d] = rem % outShape[d];
      rem = Math.floor(rem / outShape[d]);
    }
    for (let d = 0; d < perm.length; d++) src += idx[d] * strides[perm[d]];
    out[o] = data[src];
  }
  return out;
}

function spatial(
  a: ConvertArgs,
  opType: string,
  extraInputs: string[],
  attrs: Record<string, unknown>,
): string {
  const { g, layer } = a;
  const x = g.op('Transpose', [a.inputs[0]], `${layer.name}/nchw`, { perm: { ints: TO_NCHW } });
  const pad = a.cfg.padding === 'same' ? 'SAME_UPPER' : 'VALID';
  const y = g.op(opType, [x, ...extraInputs], `${layer.name}/${opType.toLowerCase()}`, {
    auto_pad: { s: pad },
    ...(attrs as Record<string, never>),
  });
  return g.op('Transpose', [y], `${layer.name}/nhwc`, { perm: { ints: TO_NHWC } });
}

function bias(a: ConvertArgs): string[] {
  const b = a.w.get('bias');
  return b ? [a.g.floats(`${a.layer.name}/bias`, b.data, b.shape)] : [];
}

const conv2d: Converter = (a) => {
  const k = weight(a, 'kernel');
  const [kh, kw, cin, cout] = k.shape;
  const groups = num(a.cfg.groups, 1);
  const W = a.g.floats(`${a.layer.name}/kernel`, transposeHost(k.data, k.shape, [3, 2, 0, 1]), [
    cout,
    cin,
    kh,
    kw,
  ]);
  const y = spatial(a, 'Conv', [W, ...bias(a)], {
    kernel_shape: { ints: [kh, kw] },
    strides: { ints: pair(a.cfg.strides) },
    dilations: { ints: pair(a.cfg.dilationRate ?? 1) },
    group: { i: groups },
  });
  return [act(a, y)];
};

const depthwise: Converter = (a) => {
  const k = weight(a, 'depthwise_kernel');
  const [kh, kw, cin, mult] = k.shape;
  // TF's output channel c·mult + m is ONNX's group c, filter m: W [cin·mult, 1, kh, kw].
  const W = a.g.floats(`${a.layer.name}/kernel`, transposeHost(k.data, k.shape, [2, 3, 0, 1]), [
    cin * mult,
    1,
    kh,
    kw,
  ]);
  const y = spatial(a, 'Conv', [W, ...bias(a)], {
    kernel_shape: { ints: [kh, kw] },
    strides: { ints: pair(a.cfg.strides) },
    dilations: { ints: pair(a.cfg.dilationRate ?? 1) },
    group: { i: cin },
  });
  return [act(a, y)];
};

const convTranspose: Converter = (a) => {
  const k = weight(a, 'kernel');
  const [kh, kw, cout, cin] = k.shape;
  const W = a.g.floats(`${a.layer.name}/kernel`, transposeHost(k.data, k.shape, [3, 2, 0, 1]), [
    cin,
    cout,
    kh,
    kw,
  ]);
  const y = spatial(a, 'ConvTranspose', [W, ...bias(a)], {
    kernel_shape: { ints: [kh, kw] },
    strides: { ints: pair(a.cfg.strides) },
  });
  return [act(a, y)];
};

const pool =
  (opType: string): Converter =>
  (a) => [
    spatial(a, opType, [], {
      kernel_shape: { ints: pair(a.cfg.poolSize) },
      strides: { ints: pair(a.cfg.strides ?? a.cfg.poolSize) },
    }),
  ];

const dense: Converter = (a) => {
  const { g, layer } = a;
  const k = weight(a, 'kernel');
  const W = g.floats(`${layer.name}/kernel`, k.data, k.shape);
  const b = bias(a);
  const rank = a.shapes[0].length;
  let y: string;
  if (rank === 2) y = g.op('Gemm', [a.inputs[0], W, ...b], `${layer.name}/gemm`);
  else {
    y = g.op('MatMul', [a.inputs[0], W], `${layer.name}/matmul`);
    if (b.length > 0) y = g.op('Add', [y, b[0]], `${layer.name}/add`);
  }
  return [act(a, y)];
};

const batchNorm: Converter = (a) => {
  const { g, layer } = a;
  const axis = num(a.cfg.axis, -1);
  if (axis !== -1 && axis !== a.shapes[0].length - 1)
    throw new Error(
      `io.toOnnx: BatchNormalization '${layer.name}' on axis ${axis}: only the last axis is exported`,
    );
  const eps = num(a.cfg.epsilon, 1e-3);
  const mean = weight(a, 'moving_mean').data;
  const variance = weight(a, 'moving_variance').data;
  const gamma = a.w.get('gamma')?.data;
  const beta = a.w.get('beta')?.data;
  // Inference form, folded on the host in float64: y = x · scale + shift.
  const scale = Float32Array.from(mean, (_, i) => (gamma ? gamma[i] : 1) / Math.sqrt(variance[i] + eps));
  const shift = Float32Array.from(mean, (m, i) => (beta ? beta[i] : 0) - m * scale[i]);
  const y = g.op(
    'Mul',
    [a.inputs[0], g.floats(`${layer.name}/scale`, scale, [scale.length])],
    `${layer.name}/mul`,
  );
  return [g.op('Add', [y, g.floats(`${layer.name}/shift`, shift, [shift.length])], `${layer.name}/add`)];
};

const layerNorm: Converter = (a) => {
  const { g, layer } = a;
  const axis = a.cfg.axis;
  const last = Array.isArray(axis)
    ? axis.length === 1 && (axis[0] === -1 || axis[0] === a.shapes[0].length - 1)
    : axis === -1 || axis === a.shapes[0].length - 1;
  if (!last)
    throw new Error(
      `io.toOnnx: LayerNormalization '${layer.name}' over axis ${JSON.stringify(axis)}: only the last axis is exported`,
    );
  const dim = a.shapes[0].at(-1) as number;
  const gamma = a.w.get('gamma')?.data ?? new Float32Array(dim).fill(1);
  const beta = a.w.get('beta')?.data ?? new Float32Array(dim);
  const s = g.floats(`${layer.name}/gamma`, gamma, [dim]);
  const b = g.floats(`${layer.name}/beta`, beta, [dim]);
  return [
    g.op('LayerNormalization', [a.inputs[0], s, b], `${layer.name}/out`, {
      axis: { i: -1 },
      epsilon: { f: num(a.cfg.epsilon, 1e-3) },
    }),
  ];
};

const merge =
  (opType: string): Converter =>
  (a) => [
    a.inputs
      .slice(1)
      .reduce((acc, x) => a.g.op(opType, [acc, x], `${a.layer.name}/${opType.toLowerCase()}`), a.inputs[0]),
  ];

const CONVERTERS: Record<string, Converter> = {
  Dense: dense,
  Conv2D: conv2d,
  DepthwiseConv2D: depthwise,
  Conv2DTranspose: convTranspose,
  MaxPooling2D: pool('MaxPool'),
  AveragePooling2D: pool('AveragePool'),
  GlobalAveragePooling2D: (a) => [
    a.g.op('ReduceMean', [a.inputs[0]], `${a.layer.name}/mean`, {
      axes: { ints: [1, 2] },
      keepdims: { i: a.cfg.keepdims ? 1 : 0 },
    }),
  ],
  GlobalMaxPooling2D: (a) => [
    a.g.op('ReduceMax', [a.inputs[0]], `${a.layer.name}/max`, {
      axes: { ints: [1, 2] },
      keepdims: { i: a.cfg.keepdims ? 1 : 0 },
    }),
  ],
  BatchNormalization: batchNorm,
  LayerNormalization: layerNorm,
  Activation: (a) => [act(a, a.inputs[0])],
  ReLU: (a) => {
    const { maxValue, negativeSlope, threshold } = a.cfg as {
      maxValue: number | null;
      negativeSlope: number;
      threshold: number;
    };
    if (negativeSlope !== 0 || threshold !== 0)
      throw new Error(`io.toOnnx: ReLU '${a.layer.name}' with negativeSlope/threshold has no ONNX form here`);
    const y = a.g.op('Relu', [a.inputs[0]], `${a.layer.name}/relu`);
    return [
      maxValue === null
        ? y
        : a.g.op('Min', [y, a.g.floats(`${a.layer.name}/max`, [maxValue], [])], `${a.layer.name}/min`),
    ];
  },
  LeakyReLU: (a) => [
    a.g.op('LeakyRelu', [a.inputs[0]], `${a.layer.name}/out`, {
      alpha: { f: num(a.cfg.negativeSlope, 0.3) },
    }),
  ],
  ELU: (a) => [a.g.op('Elu', [a.inputs[0]], `${a.layer.name}/out`, { alpha: { f: num(a.cfg.alpha, 1) } })],
  Softmax: (a) => [
    a.g.op('Softmax', [a.inputs[0]], `${a.layer.name}/out`, { axis: { i: num(a.cfg.axis, -1) } }),
  ],
  Dropout: (a) => [a.inputs[0]],
  SpatialDropout2D: (a) => [a.inputs[0]],
  GaussianDropout: (a) => [a.inputs[0]],
  GaussianNoise: (a) => [a.inputs[0]],
  Identity: (a) => [a.inputs[0]],
  Flatten: (a) => [a.g.op('Flatten', [a.inputs[0]], `${a.layer.name}/out`, { axis: { i: 1 } })],
  Reshape: (a) => [
    a.g.op(
      'Reshape',
      [a.inputs[0], a.g.ints(`${a.layer.name}/shape`, [0, ...(a.cfg.targetShape as number[])])],
      `${a.layer.name}/out`,
    ),
  ],
  Rescaling: (a) => {
    const y = a.g.op(
      'Mul',
      [a.inputs[0], a.g.floats(`${a.layer.name}/scale`, [num(a.cfg.scale, 1)], [])],
      `${a.layer.name}/mul`,
    );
    return [
      a.g.op(
        'Add',
        [y, a.g.floats(`${a.layer.name}/offset`, [num(a.cfg.offset, 0)], [])],
        `${a.layer.name}/add`,
      ),
    ];
  },
  Add: merge('Add'),
  Subtract: merge('Sub'),
  Multiply: merge('Mul'),
  Maximum: merge('Max'),
  Minimum: merge('Min'),
  Average: (a) => [
    a.g.op(
      'Mul',
      [merge('Add')(a)[0], a.g.floats(`${a.layer.name}/inv_n`, [1 / a.inputs.length], [])],
      `${a.layer.name}/mean`,
    ),
  ],
  Concatenate: (a) => [
    a.g.op('Concat', a.inputs, `${a.layer.name}/out`, { axis: { i: num(a.cfg.axis, -1) } }),
  ],
  Embedding: (a) => {
    const table = weight(a, 'embeddings');
    // Gather needs integer indices; float inputs are truncated, as webdl and Keras cast them.
    const idx = a.g.op('Cast', [a.inputs[0]], `${a.layer.name}/indices`, { to: { i: 7 } });
    const t = a.g.floats(`${a.layer.name}/embeddings`, table.data, table.shape);
    return [a.g.op('Gather', [t, idx], `${a.layer.name}/out`, { axis: { i: 0 } })];
  },
  SimpleRNN: (a) => recurrent(a, 'RNN'),
  LSTM: (a) => recurrent(a, 'LSTM'),
  GRU: (a) => recurrent(a, 'GRU'),
};

/** The ONNX converter of a layer class, or an error listing what is exported. */
export function converterFor(className: string, name: string): Converter {
  const c = CONVERTERS[className];
  if (!c)
    throw new Error(
      `io.toOnnx: layer '${name}' (${className}) has no ONNX export; exported: ${Object.keys(CONVERTERS).sort().join(', ')}`,
    );
  return c;
}
