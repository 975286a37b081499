// Matmul epilogues that store several values of their chain (jit's multi-output fusion): the WGSL
// of `mmEpilogue` writing chain values besides returning the stored result, and the offsets of
// broadcast epilogue inputs shared with epilogue.ts.
import type { Epilogue } from '@webdl/core';
import { wgslType } from '../kernel-context.js';
import { broadcastStrides, mathLibFor, runtimeBitcasts } from './elementwise.js';
import { chainLets } from './multi-output.js';

/**
 * WGSL expressions of the output's rows M and columns N, for a kernel that takes them as parameters: an epilogue
 * written with them (instead of the sizes as literals) serves every shape, so one pipeline does (see matmul.ts).
 */
export interface ParamDims {
  m: string;
  n: string;
}

/**
 * Offset of element (batch, row, col) of the output in an input broadcast to `out` ([..., M, N]); with `dims`, a row
 * stride of N is written as `dims.n`.
 */
export function offsetExpr(shape: readonly number[], out: readonly number[], dims?: ParamDims): string {
  const st = broadcastStrides(shape, out);
  const r = out.length;
  const terms: string[] = [];
  let inner = 1;
  for (let d = r - 3; d >= 0; d--) {
    if (st[d] !== 0) terms.push(`((batch / ${inner}u) % ${out[d]}u) * ${st[d]}u`);
    inner *= out[d];
  }
  if (st[r - 2] !== 0) terms.push(`row * ${dims && st[r - 2] === out[r - 1] ? dims.n : `${st[r - 2]}u`}`);
  if (st[r - 1] !== 0) terms.push(`col * ${st[r - 1]}u`);
  return terms.length ? terms.join(' + ') : '0u';
}

/**
 * Module-scope WGSL defining `mmEpilogue` (see epilogue.ts) for an epilogue with `stores`: the last
 * `stores.length` entries of `epilogue.inputs` are the storage of the stored values (bound
 * read-write after the real inputs), written at the element's flat index of `outShape` (its rows
 * and columns `dims`, if given).
 *
 * ```ts
 * const source = prelude({ T: 'f32' }) + regsMatmulSource(REGS, true) + storingEpilogueSource(epilogue, 4);
 * ```
 */
export function storingEpilogueSource(
  epilogue: Epilogue,
  firstBinding: number,
  ieee = false,
  dims?: ParamDims,
): string {
  const stores = epilogue.stores ?? [];
  const inputs = epilogue.inputs.slice(0, epilogue.inputs.length - stores.length);
  const { outShape } = epilogue;
  const lines = inputs.map(
    (x, k) =>
      `@group(0) @binding(${firstBinding + k}) var<storage, read> ep${k}: array<${wgslType(x.dtype)}>;`,
  );
  stores.forEach((_, j) =>
    lines.push(
      `@group(0) @binding(${firstBinding + inputs.length + j}) var<storage, read_write> es${j}: array<f32>;`,
    ),
  );
  const body = chainLets(epilogue.kernel, ['v', ...inputs.map((_, k) => `e${k}`)], ieee);
  const { expr: lets, decls } = runtimeBitcasts(body.lets);
  lines.push(...decls, ...mathLibFor(lets), 'fn mmEpilogue(batch: u32, row: u32, col: u32, v: T) -> T {');
  inputs.forEach((x, k) => {
    const load = `ep${k}[${offsetExpr(x.shape, outShape, dims)}]`;
    lines.push(`  let e${k} = ${x.dtype === 'float32' ? load : `f32(${load})`};`);
  });
  const r = outShape.length;
  const [m, n] = dims ? [dims.m, dims.n] : [`${outShape[r - 2]}u`, `${outShape[r - 1]}u`];
  lines.push(`  ${lets}`, `  let at = (batch * ${m} + row) * ${n} + col;`);
  stores.forEach((i, j) => lines.push(`  es${j}[at] = ${body.names[i]};`));
  lines.push(`  return ${body.names[body.names.length - 1]};`, '}');
  return `\n${lines.join('\n')}\n`;
}
