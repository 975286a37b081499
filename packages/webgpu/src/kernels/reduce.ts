// Reductions over the inner dimension of [outer, inner]: a row per invocation for short rows, else workgroup tree reduction (two passes for long rows).
// The shaders read x through `rdLoad(i)`, appended here: a plain read, or a jit-fused elementwise prologue.
import type { DType, Prologue, ReduceOp, TensorInfo } from '@webdl/core';
import { groups1d, shaderSource, wgslType, type GpuData, type KernelContext } from '../kernel-context.js';
import { prologueSource } from './prologue.js';

const OPS: Record<ReduceOp, number> = { sum: 0, prod: 1, max: 2, min: 3, argMax: 4, argMin: 5 };
const WG = 256;
/** Rows up to this length are reduced by one invocation each. */
const SHORT_ROW = 32;
/** Elements one workgroup reduces in the first pass of a long-row reduction. */
const CHUNK = 8192;

/** How a reduction reads its input: the `rdLoad` WGSL, the buffers bound from 2 on, the element dtype. */
interface Load {
  wgsl: string;
  buffers: GPUBuffer[];
  dtype: DType;
}

const plainLoad = (buffer: GPUBuffer, dtype: DType): Load => ({
  wgsl: '\n@group(0) @binding(2) var<storage, read> x: array<T>;\nfn rdLoad(i: u32) -> T { return x[i]; }\n',
  buffers: [buffer],
  dtype,
});

/** Reduces x viewed as [outer, inner] over inner into `outer` values of `outDtype`. */
export function reduce(
  ctx: KernelContext,
  op: ReduceOp,
  x: TensorInfo,
  outer: number,
  inner: number,
  outDtype: DType,
): GpuData {
  return reduceLoad(
    ctx,
    op,
    plainLoad(ctx.buffer(x), x.dtype),
    outer,
    inner,
    outDtype,
    `${op} [${outer},${inner}] of ${x.dtype}`,
  );
}

/** A float32 sum/prod/max/min over the values of `prologue` (viewed as [outer, inner]), computed as they are read. */
export function reducePrologue(
  ctx: KernelContext,
  op: ReduceOp,
  prologue: Prologue,
  outer: number,
  inner: number,
): GpuData {
  const load: Load = {
    wgsl: prologueSource(prologue, 2, ctx.ieeeArithmetic),
    buffers: prologue.inputs.map((t) => ctx.buffer(t)),
    dtype: 'float32',
  };
  return reduceLoad(
    ctx,
    op,
    load,
    outer,
    inner,
    'float32',
    `${op} [${outer},${inner}] of ${prologue.kernel.key}`,
  );
}

function reduceLoad(
  ctx: KernelContext,
  op: ReduceOp,
  load: Load,
  outer: number,
  inner: number,
  outDtype: DType,
  label: string,
): GpuData {
  const out = ctx.alloc(outer, outDtype);
  if (outer === 0) return out;
  const T = wgslType(load.dtype);
  const O = wgslType(outDtype);
  const FLOAT = Number(load.dtype === 'float32');
  // On CPU adapters workgroup barriers are costly: a row per invocation unless a few long rows need splitting.
  if (inner <= SHORT_ROW || (ctx.isCpu && (outer >= 16 || inner <= 4096))) {
    ctx.run({
      label,
      source: shaderSource('reduceRows', { T, O }) + load.wgsl,
      constants: { OP: OPS[op], FLOAT },
      buffers: [out.buffer, ...load.buffers],
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
      source: shaderSource('reduce', { T, O }) + load.wgsl,
      constants: { OP: OPS[op], WG, FLOAT },
      buffers: [out.buffer, ...load.buffers],
      params: [outer, inner, inner, 1],
      groups: groups1d(outer, 1, ctx.maxGroups),
    });
    return out;
  }
  const partial = ctx.alloc(outer * chunks, load.dtype);
  ctx.run({
    label: `${label} (pass 1)`,
    source: shaderSource('reduce', { T, O: T }) + load.wgsl,
    constants: { OP: OPS[op], WG, FLOAT },
    buffers: [partial.buffer, ...load.buffers],
    params: [outer * chunks, inner, CHUNK, chunks],
    groups: groups1d(outer * chunks, 1, ctx.maxGroups),
  });
  const second = plainLoad(partial.buffer, load.dtype);
  ctx.run({
    label: `${label} (pass 2)`,
    source: shaderSource('reduce', { T, O }) + second.wgsl,
    constants: { OP: OPS[op], WG, FLOAT },
    buffers: [out.buffer, ...second.buffers],
    params: [outer, chunks, chunks, 1],
    groups: groups1d(outer, 1, ctx.maxGroups),
  });
  ctx.free(partial);
  return out;
}
