// SimpleRNN, LSTM and GRU as ONNX RNN/LSTM/GRU: Keras gate blocks reordered to ONNX's, time-major inputs via Transpose.
import type { ConvertArgs } from './layers.js';
import { transposeHost, weight } from './layers.js';

const ONNX_ACTIVATION: Record<string, string> = { sigmoid: 'Sigmoid', tanh: 'Tanh', relu: 'Relu' };

/** Keras gate blocks (along the last axis) in ONNX order: LSTM i,f,c,o -> i,o,f,c; GRU z,r,h is ONNX's already. */
const GATE_ORDER: Record<string, number[]> = { RNN: [0], LSTM: [0, 3, 1, 2], GRU: [0, 1, 2] };

/** [rows, gates·u] Keras matrix -> ONNX [gates·u, rows] with the gate blocks reordered. */
function gatesFirst(data: Float32Array, shape: number[], order: number[]): Float32Array {
  const [rows, cols] = shape;
  const u = cols / order.length;
  const t = transposeHost(data, shape, [1, 0]); // [gates·u, rows]
  const out = new Float32Array(t.length);
  order.forEach((src, dst) => out.set(t.subarray(src * u * rows, (src + 1) * u * rows), dst * u * rows));
  return out;
}

function reorderVector(v: Float32Array, order: number[]): Float32Array {
  const u = v.length / order.length;
  const out = new Float32Array(v.length);
  order.forEach((src, dst) => out.set(v.subarray(src * u, (src + 1) * u), dst * u));
  return out;
}

function onnxActivation(name: unknown, layer: string): string {
  const a = typeof name === 'string' ? ONNX_ACTIVATION[name] : undefined;
  if (!a)
    throw new Error(
      `io.toOnnx: recurrent layer '${layer}' uses activation '${String(name)}'; exported: sigmoid, tanh, relu`,
    );
  return a;
}

/**
 * Appends an ONNX recurrent node for a webdl SimpleRNN/LSTM/GRU and returns the layer's outputs
 * (the sequence or last output, then the states when returnState).
 */
export function recurrent(a: ConvertArgs, opType: 'RNN' | 'LSTM' | 'GRU'): string[] {
  const { g, layer, cfg } = a;
  const n = layer.name;
  const order = GATE_ORDER[opType];
  const units = cfg.units as number;
  const k = weight(a, 'kernel');
  const r = weight(a, 'recurrent_kernel');
  const W = g.floats(`${n}/W`, gatesFirst(k.data, k.shape, order), [1, order.length * units, k.shape[0]]);
  const R = g.floats(`${n}/R`, gatesFirst(r.data, r.shape, order), [1, order.length * units, units]);
  const gu = order.length * units;
  const B = new Float32Array(2 * gu);
  const b = a.w.get('bias');
  const resetAfter = opType === 'GRU' && cfg.resetAfter !== false;
  if (b) {
    if (resetAfter) {
      B.set(reorderVector(b.data.subarray(0, gu), order), 0);
      B.set(reorderVector(b.data.subarray(gu), order), gu);
    } else B.set(reorderVector(b.data, order), 0);
  }
  const activations =
    opType === 'RNN'
      ? [onnxActivation(cfg.activation, n)]
      : opType === 'LSTM'
        ? [
            onnxActivation(cfg.recurrentActivation, n),
            onnxActivation(cfg.activation, n),
            onnxActivation(cfg.activation, n),
          ]
        : [onnxActivation(cfg.recurrentActivation, n), onnxActivation(cfg.activation, n)];
  const x = g.op('Transpose', [a.inputs[0]], `${n}/time_major`, { perm: { ints: [1, 0, 2] } });
  const y = g.fresh(`${n}/Y`);
  const yh = g.fresh(`${n}/Y_h`);
  const yc = opType === 'LSTM' ? g.fresh(`${n}/Y_c`) : '';
  g.opN(opType, [x, W, R, g.floats(`${n}/B`, B, [1, 2 * gu])], opType === 'LSTM' ? [y, yh, yc] : [y, yh], {
    hidden_size: { i: units },
    direction: { s: cfg.goBackwards ? 'reverse' : 'forward' },
    activations: { strings: activations },
    ...(opType === 'GRU' ? { linear_before_reset: { i: resetAfter ? 1 : 0 } } : {}),
  });
  const squeeze = (t: string, axis: number, base: string) =>
    g.op('Squeeze', [t, g.ints(`${n}/axis`, [axis])], base);
  let out: string;
  if (cfg.returnSequences) {
    let seq = squeeze(y, 1, `${n}/seq`); // [steps, batch, units]
    // Keras returns a backwards layer's outputs in processing order; ONNX aligns them with the inputs.
    if (cfg.goBackwards)
      seq = g.op(
        'Slice',
        [
          seq,
          g.ints(`${n}/start`, [-1]),
          g.ints(`${n}/end`, [-(2 ** 62)]),
          g.ints(`${n}/axes`, [0]),
          g.ints(`${n}/step`, [-1]),
        ],
        `${n}/reversed`,
      );
    out = g.op('Transpose', [seq], `${n}/out`, { perm: { ints: [1, 0, 2] } });
  } else out = squeeze(yh, 0, `${n}/out`);
  if (!cfg.returnState) return [out];
  const states = [squeeze(yh, 0, `${n}/h`)];
  if (opType === 'LSTM') states.push(squeeze(yc, 0, `${n}/c`));
  return [out, ...states];
}
