// Keras activation names as ONNX nodes (opset 17: no Gelu op, so gelu is composed from Erf).
import type { GraphBuilder } from './graph.js';

/**
 * Appends the activation `name` after `x` and returns the result's name ('linear' adds nothing).
 *
 * ```ts
 * const y = activation(g, 'relu', x, 'dense');
 * ```
 */
export function activation(g: GraphBuilder, name: string, x: string, base: string): string {
  const out = `${base}/${name}`;
  switch (name) {
    case 'linear':
      return x;
    case 'relu':
      return g.op('Relu', [x], out);
    case 'relu6':
      return g.op('Clip', [x, g.floats(`${base}/zero`, [0], []), g.floats(`${base}/six`, [6], [])], out);
    case 'sigmoid':
      return g.op('Sigmoid', [x], out);
    case 'tanh':
      return g.op('Tanh', [x], out);
    case 'softmax':
      return g.op('Softmax', [x], out, { axis: { i: -1 } });
    case 'log_softmax':
      return g.op('LogSoftmax', [x], out, { axis: { i: -1 } });
    case 'elu':
      return g.op('Elu', [x], out, { alpha: { f: 1 } });
    case 'selu':
      return g.op('Selu', [x], out);
    case 'softplus':
      return g.op('Softplus', [x], out);
    case 'softsign':
      return g.op('Softsign', [x], out);
    case 'exponential':
      return g.op('Exp', [x], out);
    case 'hard_sigmoid':
      return g.op('HardSigmoid', [x], out, { alpha: { f: 1 / 6 }, beta: { f: 0.5 } });
    case 'leaky_relu':
      return g.op('LeakyRelu', [x], out, { alpha: { f: 0.2 } });
    case 'swish':
    case 'silu':
      return g.op('Mul', [x, g.op('Sigmoid', [x], `${out}/sigmoid`)], out);
    case 'hard_swish':
    case 'hard_silu':
      return g.op('HardSwish', [x], out);
    case 'mish':
      return g.op('Mul', [x, g.op('Tanh', [g.op('Softplus', [x], `${out}/softplus`)], `${out}/tanh`)], out);
    case 'gelu': {
      // 0.5 · x · (1 + erf(x / √2)), Keras's exact gelu.
      const erf = g.op(
        'Erf',
        [g.op('Mul', [x, g.floats(`${base}/inv_sqrt2`, [Math.SQRT1_2], [])], `${out}/scaled`)],
        `${out}/erf`,
      );
      const one = g.op('Add', [erf, g.floats(`${base}/one`, [1], [])], `${out}/plus1`);
      return g.op('Mul', [g.op('Mul', [x, g.floats(`${base}/half`, [0.5], [])], `${out}/half`), one], out);
    }
    default:
      throw new Error(`io.toOnnx: activation '${name}' of layer '${base}' has no ONNX form`);
  }
}
