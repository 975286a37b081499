// Fused epilogues: the WGSL of `mmEpilogue`, the function a matmul kernel's store calls (see
// register-gemm.ts and shaders/matmul-io.wgsl), computing a jit-fused elementwise chain on each
// stored element; its extra tensors are bound after the kernel's own buffers.
import type { Epilogue } from '@webdl/core';
import { broadcastStrides, kernelBody, mathLibFor, runtimeBitcasts } from './elementwise.js';
import { wgslType } from '../kernel-context.js';

/** Offset of element (batch, row, col) of the output in an input broadcast to `out` ([..., M, N]). */
function offsetExpr(shape: readonly number[], out: readonly number[]): string {
  const st = broadcastStrides(shape, out);
  const r = out.length;
  const terms: string[] = [];
  let inner = 1;
  for (let d = r - 3; d >= 0; d--) {
    if (st[d] !== 0) terms.push(`((batch / ${inner}u) % ${out[d]}u) * ${st[d]}u`);
    inner *= out[d];
  }
  if (st[r - 2] !== 0) terms.push(`row * ${st[r - 2]}u`);
  if (st[r - 1] !== 0) terms.push(`col * ${st[r - 1]}u`);
  return terms.length ? terms.join(' + ') : '0u';
}

/**
 * Module-scope WGSL defining `fn mmEpilogue(batch: u32, row: u32, col: u32, v: T) -> T` (T = f32):
 * the identity without an epilogue, else the fused chain, its inputs bound from `firstBinding` on
 * (`ieee`: see `nanPropagating`).
 *
 * ```ts
 * const source = prelude({ T: 'f32' }) + regsMatmulSource(REGS, true) + epilogueSource(epilogue, 4);
 * ```
 */
export function epilogueSource(epilogue: Epilogue | undefined, firstBinding: number, ieee = false): string {
  const head = 'fn mmEpilogue(batch: u32, row: u32, col: u32, v: T) -> T {';
  if (!epilogue) return `\n${head} return v; }\n`;
  const { kernel, inputs, outShape } = epilogue;
  const lines = inputs.map(
    (x, k) =>
      `@group(0) @binding(${firstBinding + k}) var<storage, read> ep${k}: array<${wgslType(x.dtype)}>;`,
  );
  const args = ['v', ...inputs.map((_, k) => `e${k}`)];
  const body = kernelBody(kernel, args, 'f32', ['float32', ...inputs.map((x) => x.dtype)], 'float32', ieee);
  const { expr: code, decls } = runtimeBitcasts(`${body.lets}\u0000${body.value}`);
  const [lets, value] = code.split('\u0000');
  lines.push(...decls, ...mathLibFor(code), head);
  inputs.forEach((x, k) => {
    const load = `ep${k}[${offsetExpr(x.shape, outShape)}]`;
    lines.push(`  let e${k} = ${x.dtype === 'float32' ? load : `f32(${load})`};`);
  });
  lines.push(`  ${lets}`, `  return ${value};`, '}');
  return `\n${lines.join('\n')}\n`;
}
