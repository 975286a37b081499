// Data movement kernels on 32-bit words (any dtype): transpose, slice, tile, pad, concat, gather.
import type { TensorInfo } from '@webdl/core';
import { f32Bits, fmt, groups1d, shaderSource, type GpuData, type KernelContext } from '../kernel-context.js';

const WG = 128;
const NO_WRAP = 0xffffffff;

const sizeOf = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

function stridesOf(shape: readonly number[]): number[] {
  const st = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    st[i] = s;
    s *= shape[i];
  }
  return st;
}

/** One strided-copy dispatch: out[c] = x[offset + sum (c_d % wrap_d) * stride_d]. */
function stridedCopy(
  ctx: KernelContext,
  label: string,
  x: TensorInfo,
  outShape: readonly number[],
  offset: number,
  strides: readonly number[],
  wraps: readonly number[],
): GpuData {
  const n = sizeOf(outShape);
  const out = ctx.alloc(n, x.dtype);
  if (n === 0) return out;
  // Dimensions of size 1 contribute nothing: drop them to shorten the index loop.
  const keep = outShape.map((d, i) => (d !== 1 ? i : -1)).filter((i) => i >= 0);
  const rank = keep.length;
  if (rank > 20) throw new Error(`${label}: rank ${rank} is too high for the WebGPU kernel`);
  ctx.run({
    label,
    source: shaderSource('stridedCopy'),
    buffers: [out.buffer, ctx.buffer(x)],
    params: [
      n,
      rank,
      offset,
      ...keep.map((i) => outShape[i]),
      ...keep.map((i) => strides[i]),
      ...keep.map((i) => wraps[i]),
    ],
    groups: groups1d(n, WG, ctx.maxGroups),
  });
  return out;
}

/** Permutes dimensions: out.shape[i] = x.shape[perm[i]]. */
export function transpose(ctx: KernelContext, x: TensorInfo, perm: readonly number[]): GpuData {
  const own = stridesOf(x.shape);
  const outShape = perm.map((p) => x.shape[p]);
  return stridedCopy(
    ctx,
    `transpose ${fmt(x.shape)} perm ${fmt(perm)}`,
    x,
    outShape,
    0,
    perm.map((p) => own[p]),
    perm.map(() => NO_WRAP),
  );
}

/** The block of x starting at `begin` with extent `size`. */
export function slice(
  ctx: KernelContext,
  x: TensorInfo,
  begin: readonly number[],
  size: readonly number[],
): GpuData {
  const own = stridesOf(x.shape);
  const offset = begin.reduce((a, b, i) => a + b * own[i], 0);
  return stridedCopy(
    ctx,
    `slice ${fmt(x.shape)} begin ${fmt(begin)} size ${fmt(size)}`,
    x,
    size,
    offset,
    own,
    size.map(() => NO_WRAP),
  );
}

/** Repeats x reps[d] times along each dimension. */
export function tile(ctx: KernelContext, x: TensorInfo, reps: readonly number[]): GpuData {
  const outShape = x.shape.map((d, i) => d * reps[i]);
  return stridedCopy(
    ctx,
    `tile ${fmt(x.shape)} reps ${fmt(reps)}`,
    x,
    outShape,
    0,
    stridesOf(x.shape),
    x.shape,
  );
}

/** Bits of the pad value in x's storage type. */
function valueBits(value: number, dtype: TensorInfo['dtype']): number {
  if (dtype === 'float32') return f32Bits(value);
  if (dtype === 'bool') return value !== 0 ? 1 : 0;
  return value | 0;
}

/** Pads each dimension with `value`. */
export function pad(
  ctx: KernelContext,
  x: TensorInfo,
  paddings: readonly (readonly [number, number])[],
  value: number,
): GpuData {
  const outShape = x.shape.map((d, i) => d + paddings[i][0] + paddings[i][1]);
  const n = sizeOf(outShape);
  const out = ctx.alloc(n, x.dtype);
  if (n === 0) return out;
  const rank = x.shape.length;
  if (rank > 20) throw new Error(`pad: rank ${rank} is too high for the WebGPU kernel`);
  ctx.run({
    label: `pad ${fmt(x.shape)} -> ${fmt(outShape)}`,
    source: shaderSource('pad'),
    buffers: [out.buffer, ctx.buffer(x)],
    params: [n, rank, valueBits(value, x.dtype), ...outShape, ...paddings.map((p) => p[0]), ...x.shape],
    groups: groups1d(n, WG, ctx.maxGroups),
  });
  return out;
}

/** Concatenates inputs viewed as [outer, inner_i] along inner: one column-block copy per input. */
export function concat(ctx: KernelContext, inputs: readonly TensorInfo[], outer: number): GpuData {
  const widths = inputs.map((x) => (outer === 0 ? 0 : sizeOf(x.shape) / outer));
  const total = widths.reduce((a, b) => a + b, 0);
  const out = ctx.alloc(outer * total, inputs[0].dtype);
  let col = 0;
  inputs.forEach((x, k) => {
    const n = outer * widths[k];
    if (n > 0) {
      ctx.run({
        label: `concat ${inputs.map((t) => fmt(t.shape)).join(' ')} (input ${k})`,
        source: shaderSource('copyColumns'),
        buffers: [out.buffer, ctx.buffer(x)],
        params: [n, widths[k], total, col],
        groups: groups1d(n, WG, ctx.maxGroups),
      });
    }
    col += widths[k];
  });
  return out;
}

/** x viewed as [outer, n, inner] gathered at int32 indices [k]: out [outer, k, inner]. Out-of-range indices give 0. */
export function gather(
  ctx: KernelContext,
  x: TensorInfo,
  indices: TensorInfo,
  outer: number,
  n: number,
  inner: number,
): GpuData {
  const k = sizeOf(indices.shape);
  const total = outer * k * inner;
  const out = ctx.alloc(total, x.dtype);
  if (total === 0) return out;
  ctx.run({
    label: `gather ${fmt(x.shape)} indices ${fmt(indices.shape)}`,
    source: shaderSource('gather'),
    buffers: [out.buffer, ctx.buffer(x), ctx.buffer(indices)],
    params: [total, k, inner, n],
    groups: groups1d(total, WG, ctx.maxGroups),
  });
  return out;
}
