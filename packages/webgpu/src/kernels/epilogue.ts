// Fused epilogues: the WGSL of `mmEpilogue`, the function a matmul kernel's store calls (see
// register-gemm.ts and shaders/matmul-io.wgsl), computing a jit-fused elementwise chain on each
// stored element; its extra tensors are bound after the kernel's own buffers.
import type { Epilogue } from '@webdl/core';
import { kernelBody, mathLibFor, runtimeBitcasts } from './elementwise.js';
import { wgslType } from '../kernel-context.js';
import { offsetExpr, storingEpilogueSource, type ParamDims } from './epilogue-stores.js';

/**
 * Module-scope WGSL defining `fn mmEpilogue(batch: u32, row: u32, col: u32, v: T) -> T` (T = f32):
 * the identity without an epilogue, else the fused chain, its inputs bound from `firstBinding` on
 * (`ieee`: see `nanPropagating`; `dims`: the output's sizes as parameters, see `ParamDims`).
 *
 * ```ts
 * const source = prelude({ T: 'f32' }) + regsMatmulSource(REGS, true) + epilogueSource(epilogue, 4);
 * ```
 */
export function epilogueSource(
  epilogue: Epilogue | undefined,
  firstBinding: number,
  ieee = false,
  dims?: ParamDims,
): string {
  const head = 'fn mmEpilogue(batch: u32, row: u32, col: u32, v: T) -> T {';
  if (!epilogue) return `\n${head} return v; }\n`;
  if (epilogue.stores?.length) return storingEpilogueSource(epilogue, firstBinding, ieee, dims);
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
    const load = `ep${k}[${offsetExpr(x.shape, outShape, dims)}]`;
    lines.push(`  let e${k} = ${x.dtype === 'float32' ? load : `f32(${load})`};`);
  });
  lines.push(`  ${lets}`, `  return ${value};`, '}');
  return `\n${lines.join('\n')}\n`;
}
