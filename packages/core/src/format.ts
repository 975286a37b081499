// NumPy-like text for tensor values, used by print() and str().
import type { DType, TypedArray } from './types.js';
import { sizeOf } from './shape.js';

const MAX_PER_DIM = 6;

function formatValue(v: number, dtype: DType): string {
  if (dtype === 'bool') return v ? 'true' : 'false';
  if (dtype === 'int32') return String(v);
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  if (Number.isInteger(v) && Math.abs(v) < 1e16) return `${v}.`;
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-4 || a >= 1e8) ? v.toExponential(4) : String(Number(v.toPrecision(7)));
}

/**
 * Formats values of a shape: `[[1., 2.],\n [3., 4.]]` followed by shape and dtype.
 *
 * ```ts
 * formatTensor(new Float32Array([1, 2]), [2], 'float32'); // 'tensor([1., 2.], shape=[2], dtype=float32)'
 * ```
 */
export function formatTensor(values: TypedArray, shape: readonly number[], dtype: DType): string {
  const strs = Array.from(values, (v) => formatValue(v, dtype));
  const width = strs.reduce((w, s) => Math.max(w, s.length), 0);
  const pad = (s: string) => s.padStart(width);
  const rec = (dim: number, offset: number, indent: string): string => {
    if (dim === shape.length) return pad(strs[offset]);
    const n = shape[dim];
    const stride = sizeOf(shape.slice(dim + 1));
    const idx = n > MAX_PER_DIM ? [0, 1, 2, -1, n - 3, n - 2, n - 1] : Array.from({ length: n }, (_, i) => i);
    const parts = idx.map((i) => (i < 0 ? '...' : rec(dim + 1, offset + i * stride, indent + ' ')));
    const sep = dim === shape.length - 1 ? ', ' : ',\n' + indent + ' ';
    return `[${parts.join(sep)}]`;
  };
  return `tensor(${rec(0, 0, '       ')}, shape=[${shape.join(',')}], dtype=${dtype})`;
}
