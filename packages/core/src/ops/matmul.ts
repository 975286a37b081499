// Matrix products: batched matmul with transposes and batch broadcasting, and dot.
import { ENGINE } from '../engine.js';
import { runPrimitive } from '../primitives/registry.js';
import { broadcastShapes, fmtShape, sizeOf } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { broadcastTo, reshape } from './shape-ops.js';

/**
 * Options of matmul.
 *
 * ```ts
 * const options: MatmulOptions = { transposeB: true };
 * matmul(ones([2, 3]), ones([4, 3]), options); // shape [2, 4]
 * ```
 */
export interface MatmulOptions {
  transposeA?: boolean;
  transposeB?: boolean;
}

/**
 * Matrix product of the last two axes, batched over leading axes (broadcast as NumPy).
 *
 * ```ts
 * matmul(a, b);                        // [M,K] x [K,N] -> [M,N]
 * matmul(a, b, { transposeB: true });  // [M,K] x [N,K] -> [M,N]
 * ```
 */
export function matmul(a: Tensor, b: Tensor, options: MatmulOptions = {}): Tensor {
  const { transposeA = false, transposeB = false } = options;
  if (a.rank < 2 || b.rank < 2) {
    throw new Error(
      `matmul: both operands need rank >= 2, got ${fmtShape(a.shape)} x ${fmtShape(b.shape)} (use dot for vectors)`,
    );
  }
  if (a.dtype !== b.dtype) throw new Error(`matmul: dtypes differ: ${a.dtype} x ${b.dtype}`);
  if (a.dtype === 'bool') throw new Error('matmul: bool operands are not supported');
  const ka = transposeA ? a.shape[a.rank - 2] : a.shape[a.rank - 1];
  const kb = transposeB ? b.shape[b.rank - 1] : b.shape[b.rank - 2];
  if (ka !== kb) {
    throw new Error(
      `matmul: inner dimensions differ: ${fmtShape(a.shape)} x ${fmtShape(b.shape)}` +
        (transposeA || transposeB ? ` (transposeA=${transposeA}, transposeB=${transposeB})` : ''),
    );
  }
  const batchA = a.shape.slice(0, -2);
  const batchB = b.shape.slice(0, -2);
  const batch = broadcastShapes('matmul', batchA, batchB);
  const nA = sizeOf(batchA);
  const nB = sizeOf(batchB);
  const nOut = sizeOf(batch);
  // Kernels take a batch of 1 as broadcast; other mismatches are materialized first.
  const fitA = nA === nOut || nA === 1 ? a : broadcastTo(a, [...batch, ...a.shape.slice(-2)]);
  const fitB = nB === nOut || nB === 1 ? b : broadcastTo(b, [...batch, ...b.shape.slice(-2)]);
  const y = runPrimitive('matmul', [fitA, fitB], { transposeA, transposeB })[0];
  if (fitA !== a) fitA.dispose();
  if (fitB !== b) fitB.dispose();
  return y;
}

/**
 * Dot product of vectors, or matrix-vector / vector-matrix / matrix-matrix products.
 *
 * ```ts
 * dot(tensor([1, 2]), tensor([3, 4])); // 11
 * ```
 */
export function dot(a: Tensor, b: Tensor): Tensor {
  if (a.rank > 2 || b.rank > 2 || a.rank === 0 || b.rank === 0) {
    throw new Error(`dot: operands must be rank 1 or 2, got ${fmtShape(a.shape)} . ${fmtShape(b.shape)}`);
  }
  if (a.shape[a.rank - 1] !== b.shape[0]) {
    throw new Error(`dot: inner dimensions differ: ${fmtShape(a.shape)} . ${fmtShape(b.shape)}`);
  }
  return ENGINE.tidy(() => {
    const a2 = a.rank === 1 ? reshape(a, [1, a.size]) : a;
    const b2 = b.rank === 1 ? reshape(b, [b.size, 1]) : b;
    const y = matmul(a2, b2);
    const outShape = [...(a.rank === 2 ? [a.shape[0]] : []), ...(b.rank === 2 ? [b.shape[1]] : [])];
    return reshape(y, outShape);
  });
}
