// Reductions over the inner dimension of [outer, inner]: a row per invocation for short rows, else workgroup tree reduction (two passes for long rows).
import type { DType, ReduceOp, TensorInfo } from '@webdl/core';
import { groups1d, shaderSource, wgslType, type GpuData, type KernelContext } from '../kernel-context.js';

const OPS: Record<ReduceOp, number> = { sum: 0, prod: 1, max: 2, min: 3, argMax: 4, argMin: 5 };
const WG = 256;
/** Rows up to this length are reduced by one invocation each. */
const SHORT_ROW = 32;
/** Elements one workgroup reduces in the first pass of a long-row reduction. */
const CHUNK = 8192;

/** Reduces x viewed as [outer, inner] over inner into `outer` values of `outDtype`. */
export function reduce(
  ctx: KernelContext,
  op: ReduceOp,
  x: TensorInfo,
  outer: number,
  inner: number,
  outDtype: DType,
): GpuData {
  const out = ctx.alloc(outer, outDtype);
  if (outer === 0) return out;
  const T = wgslType(x.dtype);
  const O = wgslType(outDtype);
  const label = `${op} [${outer},${inner}] of ${x.dtype}`;
  // On CPU adapters workgroup barriers are costly: a row per invocation unless a few long rows need splitting.
  if (inner <= SHORT_ROW || (ctx.isCpu && (outer >= 16 || inner <= 4096))) {
    ctx.run({
      label,
      source: shaderSource('reduceRows', { T, O }),
      constants: { OP: OPS[op], FLOAT: Number(x.dtype === 'float32') },
      buffers: [out.buffer, ctx.buffer(x)],
      params: [outer, inner],
      groups: groups1d(outer, 128, ctx.maxGroups),
    });
    return out;
  }
  // Long rows with few of them: split each row into chunks so more workgroups share the work,
  // then reduce the partial results (arg reductions need the index and stay single-pass).
  const chunks = op === 'argMax' || op === 'argMin' || outer >= 64 ? 1 : Math.ceil(inner / CHUNK);
  if (chunks === 1) {
    ctx.run({
      label,
      source: shaderSource('reduce', { T, O }),
      constants: { OP: OPS[op], WG, FLOAT: Number(x.dtype === 'float32') },
      buffers: [out.buffer, ctx.buffer(x)],
      params: [outer, inner, inner, 1],
      groups: groups1d(outer, 1, ctx.maxGroups),
    });
    return out;
  }
  const partial = ctx.alloc(outer * chunks, x.dtype);
  ctx.run({
    label: `${label} (pass 1)`,
    source: shaderSource('reduce', { T, O: T }),
    constants: { OP: OPS[op], WG, FLOAT: Number(x.dtype === 'float32') },
    buffers: [partial.buffer, ctx.buffer(x)],
    params: [outer * chunks, inner, CHUNK, chunks],
    groups: groups1d(outer * chunks, 1, ctx.maxGroups),
  });
  ctx.run({
    label: `${label} (pass 2)`,
    source: shaderSource('reduce', { T, O }),
    constants: { OP: OPS[op], WG, FLOAT: Number(x.dtype === 'float32') },
    buffers: [out.buffer, partial.buffer],
    params: [outer, chunks, chunks, 1],
    groups: groups1d(outer, 1, ctx.maxGroups),
  });
  ctx.free(partial);
  return out;
}
