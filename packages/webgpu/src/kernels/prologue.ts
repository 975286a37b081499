// Fused prologues: the WGSL of `rdLoad(i)`, the function the reduction shaders read element i of
// their input with, computing a jit-fused elementwise kernel over its own inputs (broadcast by
// baked strides) instead of reading a stored intermediate; with stores, it also writes chain values.
import type { Prologue } from '@webdl/core';
import { broadcastStrides, collapseDims, kernelBody, mathLibFor, runtimeBitcasts } from './elementwise.js';
import { wgslType } from '../kernel-context.js';
import { storedValues } from './multi-output.js';

/**
 * Module-scope WGSL defining `fn rdLoad(i: u32) -> T` (T = f32) as `prologue`'s value at flat
 * index i of its shape, its inputs bound from `firstBinding` on (`ieee`: see `nanPropagating`).
 *
 * ```ts
 * const source = shaderSource('reduceRows', { T: 'f32', O: 'f32' }) + prologueSource(prologue, 2);
 * ```
 */
export function prologueSource(prologue: Prologue, firstBinding: number, ieee = false): string {
  const { kernel, shape } = prologue;
  // With stores, the last entries of `inputs` are the stored values' storage (see storedValues).
  const stores = prologue.stores ?? [];
  const inputs = prologue.inputs.slice(0, prologue.inputs.length - stores.length);
  const { shape: dims, strides: st } = collapseDims(
    shape,
    inputs.map((x) => broadcastStrides(x.shape, shape)),
  );
  const lines = inputs.map(
    (x, k) =>
      `@group(0) @binding(${firstBinding + k}) var<storage, read> pr${k}: array<${wgslType(x.dtype)}>;`,
  );
  const args = inputs.map((_, k) => `a${k}`);
  const body = stores.length
    ? storedValues(kernel, args, stores, ieee)
    : kernelBody(
        kernel,
        args,
        'f32',
        inputs.map((x) => x.dtype),
        'float32',
        ieee,
      );
  stores.forEach((_, j) =>
    lines.push(
      `@group(0) @binding(${firstBinding + inputs.length + j}) var<storage, read_write> ps${j}: array<f32>;`,
    ),
  );
  const { expr: code, decls } = runtimeBitcasts(`${body.lets}\u0000${body.value}`);
  const [lets, value] = code.split('\u0000');
  lines.push(...decls, ...mathLibFor(code), 'fn rdLoad(i: u32) -> T {');
  // Coordinate d of element i (innermost last), for inputs that are neither contiguous nor scalar.
  const contiguous = broadcastStrides(dims, dims);
  const inner = dims.map((_, d) => dims.slice(d + 1).reduce((a, b) => a * b, 1));
  const coords = new Set<number>();
  const offsets = st.map((s) => {
    if (s.every((v) => v === 0)) return '0u';
    if (s.every((v, d) => v === contiguous[d])) return 'i';
    const terms = s.flatMap((v, d) => (v === 0 ? [] : (coords.add(d), [`c${d} * ${v}u`])));
    return terms.join(' + ');
  });
  for (const d of [...coords].sort((a, b) => a - b))
    lines.push(`  let c${d} = (i / ${inner[d]}u) % ${dims[d]}u;`);
  inputs.forEach((x, k) => {
    const load = `pr${k}[${offsets[k]}]`;
    lines.push(`  let a${k} = ${x.dtype === 'float32' ? load : `f32(${load})`};`);
  });
  lines.push(`  ${lets}`, `  return ${value};`, '}');
  return `\n${lines.join('\n')}\n`;
}
