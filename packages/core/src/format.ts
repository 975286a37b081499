// NumPy-like text for tensor values, used by print() and str().
import type { DType, TypedArray } from './types.js';
import { sizeOf } from './shape.js';

// NumPy's defaults: only tensors of more than 1000 values are summarized, showing 3 items at each edge.
const THRESHOLD = 1000;
const MAX_PER_DIM = 6;

/** Fewest digits (at most 8, NumPy's precision) that give back the same float32. */
function fewestDigits(v: number, fmt: (d: number) => string): number {
  for (let d = 0; d < 8; d++) if (Math.fround(Number(fmt(d))) === v) return d;
  return 8;
}

/**
 * Floats as NumPy prints them: positional, aligned on the decimal point (`[ 1.5 , -20.  ]`), unless
 * the magnitudes call for scientific notation (>= 1e8, < 1e-4, or spanning more than 1e3).
 */
function formatFloats(values: TypedArray): string[] {
  const finite = Array.from(values).filter(Number.isFinite);
  const mags = finite.map(Math.abs).filter((a) => a > 0);
  // Loops, not Math.max(...spread): tensors can exceed the engine's argument-count limit.
  const max = mags.reduce((a, b) => Math.max(a, b), 0);
  const min = mags.reduce((a, b) => Math.min(a, b), Infinity);
  const sci = mags.length > 0 && (max >= 1e8 || min < 1e-4 || max / min > 1e3);
  let strs: string[];
  if (sci) {
    const d = finite.reduce(
      (a, v) =>
        Math.max(
          a,
          fewestDigits(v, (k) => v.toExponential(k)),
        ),
      0,
    );
    strs = finite.map((v) => {
      const [m, e] = v.toExponential(d).split('e');
      return `${m.includes('.') ? m : `${m}.`}e${e[0]}${e.slice(1).padStart(2, '0')}`;
    });
  } else {
    const parts = finite.map((v) => v.toFixed(fewestDigits(v, (k) => v.toFixed(k))).split('.'));
    const left = parts.reduce((a, p) => Math.max(a, p[0].length), 0);
    const right = parts.reduce((a, p) => Math.max(a, (p[1] ?? '').length), 0);
    strs = parts.map(([i, f = '']) => `${i.padStart(left)}.${f.padEnd(right)}`);
  }
  let k = 0;
  return Array.from(values, (v) =>
    Number.isNaN(v) ? 'nan' : !Number.isFinite(v) ? (v > 0 ? 'inf' : '-inf') : strs[k++],
  );
}

function formatValues(values: TypedArray, dtype: DType): string[] {
  if (dtype === 'bool') return Array.from(values, (v) => (v ? 'true' : 'false'));
  if (dtype === 'int32') return Array.from(values, String);
  return formatFloats(values);
}

/**
 * Formats values of a shape: `[[1., 2.],\n [3., 4.]]` followed by shape and dtype.
 *
 * ```ts
 * formatTensor(new Float32Array([1, 2]), [2], 'float32'); // 'tensor([1., 2.], shape=[2], dtype=float32)'
 * ```
 */
export function formatTensor(values: TypedArray, shape: readonly number[], dtype: DType): string {
  const summarize = values.length > THRESHOLD;
  const strs = formatValues(values, dtype);
  const width = strs.reduce((w, s) => Math.max(w, s.length), 0);
  const pad = (s: string) => s.padStart(width);
  const rec = (dim: number, offset: number, indent: string): string => {
    if (dim === shape.length) return pad(strs[offset]);
    const n = shape[dim];
    const stride = sizeOf(shape.slice(dim + 1));
    const idx =
      summarize && n > MAX_PER_DIM
        ? [0, 1, 2, -1, n - 3, n - 2, n - 1]
        : Array.from({ length: n }, (_, i) => i);
    const parts = idx.map((i) => (i < 0 ? '...' : rec(dim + 1, offset + i * stride, indent + ' ')));
    const sep = dim === shape.length - 1 ? ', ' : ',\n' + indent + ' ';
    return `[${parts.join(sep)}]`;
  };
  return `tensor(${rec(0, 0, '       ')}, shape=[${shape.join(',')}], dtype=${dtype})`;
}
