// Dispatch of the CPU-adapter convolutions lowered to the quad-subgroup GEMM core (conv-gemm.ts): forward, filter
// gradient (split over chunks of output pixels), and the col2im pass that turns a column gradient into dx.
import type { Conv2DInfo, TensorInfo } from '@webdl/core';
import { SHADERS } from '../shaders.generated.js';
import { groups1d, prelude, type GpuData, type KernelContext } from '../kernel-context.js';
import { convLabel, convParams } from './conv-geometry.js';
import { quadConvFilterSource, quadConvGroups, quadConvSource, type QuadConvTile } from './conv-gemm.js';
import { convTapsInside } from './register-conv.js';
import { channelVectors } from './direct-conv.js';

/** Whether the implicit-GEMM quad kernels serve conv `i` here: 4-lane subgroups, and no tap reaches the padding. */
export function quadConvApplies(ctx: KernelContext, i: Conv2DInfo): boolean {
  return ctx.quadSubgroups && convTapsInside(i);
}

/** Most elements of the column gradient of `conv2dBackpropInput` (64 MiB). */
const MAX_DCOL = 1 << 24;

/** Whether dx may go through a column gradient [pixels, FH FW IC] (a quad matmul, then col2im). */
export function dcolApplies(ctx: KernelContext, i: Conv2DInfo): boolean {
  const size = i.batch * i.outHeight * i.outWidth * i.filterHeight * i.filterWidth * i.inChannels;
  return ctx.quadSubgroups && size <= MAX_DCOL;
}

/**
 * A tile of `tm` rows per quad whose quads span the N columns (up to 4 quads of 16 columns across a workgroup of 16
 * quads), with no more quads down a workgroup than `m` rows need.
 */
function tile(tm: number, m: number, n: number): QuadConvTile {
  const quadsX = Math.min(4, Math.max(1, Math.ceil(n / 16)));
  return { tm, tn: 4, quadsX, quadsY: Math.max(1, Math.min(16 / quadsX, Math.ceil(m / tm))) };
}

const SUBGROUPS = 'enable subgroups;\n';

/**
 * conv2d forward on the quad core; `tail` and `extra` are a fused epilogue's WGSL and buffers (`epilogue` says one is
 * there).
 */
export function quadConv2d(
  ctx: KernelContext,
  x: TensorInfo,
  filter: TensorInfo,
  i: Conv2DInfo,
  epilogue: { tail: string; buffers: GPUBuffer[] } | null,
): GpuData {
  const m = i.batch * i.outHeight * i.outWidth;
  const n = i.outChannels;
  const out = ctx.alloc(m * n, 'float32');
  if (m * n === 0) return out;
  const work = m * n * i.filterHeight * i.filterWidth * i.inChannels;
  const t = tile(work >= 1 << 24 ? 16 : 8, m, n);
  ctx.run({
    label: `${convLabel('conv2d', i)} (quad)`,
    source:
      SUBGROUPS +
      prelude({ T: 'f32' }) +
      quadConvSource(t, i.inChannels % 4 === 0, !!epilogue) +
      (epilogue?.tail ?? ''),
    buffers: [out.buffer, ctx.buffer(x), ctx.buffer(filter), ...(epilogue?.buffers ?? [])],
    params: convParams(i),
    groups: quadConvGroups(t, m, n, 1),
  });
  return out;
}

/** Output pixels per chunk of the filter gradient, at least (chunks spread a small filter over more workgroups). */
const FILTER_CHUNK = 512;
const MAX_FILTER_CHUNKS = 64;

/** conv2d filter gradient on the quad core: chunks of output pixels store partial sums, then the chunks are added. */
export function quadConvFilter(ctx: KernelContext, x: TensorInfo, dy: TensorInfo, i: Conv2DInfo): GpuData {
  const rows = i.filterHeight * i.filterWidth * i.inChannels;
  const n = i.outChannels;
  const size = rows * n;
  const pixels = i.batch * i.outHeight * i.outWidth;
  const out = ctx.alloc(size, 'float32');
  if (size === 0) return out;
  if (pixels === 0) {
    ctx.clear(out);
    return out;
  }
  // Chunks of a multiple of 4 pixels: only the last one can end off a quad's step.
  const wanted = Math.min(MAX_FILTER_CHUNKS, Math.max(1, Math.floor(pixels / FILTER_CHUNK)));
  const chunk = 4 * Math.ceil(pixels / wanted / 4);
  const chunks = Math.ceil(pixels / chunk);
  // A filter of at most 16 rows (few input channels) takes them all in one quad's block.
  const t = tile(rows <= 16 ? rows : rows >= 64 ? 16 : 8, rows, n);
  const label = `${convLabel('conv2dBackpropFilter', i)} (quad)`;
  const target = chunks === 1 ? out : ctx.alloc(size * chunks, 'float32');
  ctx.run({
    label: chunks === 1 ? label : `${label} (partials)`,
    source: SUBGROUPS + prelude({ T: 'f32' }) + quadConvFilterSource(t, pixels % 4 !== 0),
    buffers: [target.buffer, ctx.buffer(x), ctx.buffer(dy)],
    params: [...convParams(i), chunk],
    groups: quadConvGroups(t, rows, n, chunks),
  });
  if (target === out) return out;
  ctx.run({
    label: `${label} (sum)`,
    source: prelude({}) + SHADERS.sumPartials + '\n' + SHADERS.sumPartialsPlain,
    buffers: [out.buffer, target.buffer],
    params: [size, chunks],
    groups: groups1d(size, 128, ctx.maxGroups),
  });
  ctx.free(target);
  return out;
}

/** dx of conv2d from its column gradient dcol [N OH OW, FH FW IC]: each input element sums the taps reaching it. */
export function col2im(ctx: KernelContext, dcol: GpuData, i: Conv2DInfo): GpuData {
  const pixels = i.batch * i.inHeight * i.inWidth;
  const out = ctx.alloc(pixels * i.inChannels, 'float32');
  if (pixels * i.inChannels === 0) return out;
  ctx.run({
    label: `${convLabel('conv2dBackpropInput', i)} (col2im)`,
    source: prelude({}) + channelVectors(i.inChannels) + SHADERS.window + '\n' + SHADERS.col2im,
    constants: { UNIT_STRIDE: Number(i.strideHeight === 1 && i.strideWidth === 1) },
    buffers: [out.buffer, dcol.buffer],
    params: [...convParams(i), i.channelMultiplier, pixels],
    groups: groups1d(pixels, 16, ctx.maxGroups),
  });
  return out;
}
