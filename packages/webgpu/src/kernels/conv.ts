// The regular convolutions: implicit GEMMs on the tiled core (GPUs); on CPU adapters the quad-subgroup GEMM lowerings
// (conv-quad.ts) where they apply, else the register-blocked direct kernels.
import type { Conv2DInfo, Epilogue, TensorInfo } from '@webdl/core';
import { epilogueSource } from './epilogue.js';
import { SHADERS } from '../shaders.generated.js';
import {
  conv2dBackpropFilterRegsSource,
  conv2dBackpropInputRegsSource,
  conv2dRegsSource,
  convTapsInside,
} from './register-conv.js';
import { groups1d, prelude, type GpuData, type KernelContext } from '../kernel-context.js';
import { convLabel, convParams } from './conv-geometry.js';
import { transpose } from './shape-ops.js';
import { col2im, dcolApplies, quadConv2d, quadConvApplies, quadConvFilter } from './conv-quad.js';
import {
  epilogueBuffers,
  gemmGroups,
  gemmSource,
  loadOrder,
  matmul,
  tiled,
  useRegs,
  zeroFill,
  type GemmIo,
} from './matmul.js';

function convGemm(
  ctx: KernelContext,
  io: GemmIo,
  op: string,
  inputs: [TensorInfo, TensorInfo],
  info: Conv2DInfo,
  dims: [number, number, number],
  fast: [boolean, boolean],
  epilogue?: Epilogue,
): GpuData {
  const [m, n, k] = dims;
  const out = ctx.alloc(m * n, 'float32');
  if (m * n === 0) return out;
  if (k === 0 && !epilogue) return zeroFill(ctx, out);
  const grid = tiled(m, n, 1);
  ctx.run({
    label: convLabel(op, info),
    // conv2d-io.wgsl stores through mmEpilogue (identity without an epilogue).
    source: gemmSource(io, 'f32', io === 'conv2dIo' ? epilogueSource(epilogue, 4, ctx.ieeeArithmetic) : ''),
    constants: { ...loadOrder(fast[0], fast[1]), MASK_A: 1, ...grid.constants },
    buffers: [out.buffer, ctx.buffer(inputs[0]), ctx.buffer(inputs[1]), ...epilogueBuffers(ctx, epilogue)],
    params: convParams(info),
    groups: grid.groups,
  });
  return out;
}

/**
 * conv2d NHWC with filter [FH, FW, IC, OC]: an implicit GEMM on GPUs, a register-blocked direct kernel on CPU adapters.
 * `epilogue` is applied as outputs are stored, its shape the [pixels, OC] view of the output.
 */
export function conv2d(
  ctx: KernelContext,
  x: TensorInfo,
  filter: TensorInfo,
  i: Conv2DInfo,
  epilogue?: Epilogue,
): GpuData {
  if (useRegs(ctx) && quadConvApplies(ctx, i)) {
    const tail = epilogueSource(epilogue, 4, ctx.ieeeArithmetic);
    return quadConv2d(ctx, x, filter, i, epilogue ? { tail, buffers: epilogueBuffers(ctx, epilogue) } : null);
  }
  if (useRegs(ctx)) {
    const source =
      prelude({ T: 'f32' }) +
      conv2dRegsSource(!!epilogue, convTapsInside(i)) +
      (epilogue ? epilogueSource(epilogue, 4, ctx.ieeeArithmetic) : '');
    const inputs = [ctx.buffer(x), ctx.buffer(filter), ...epilogueBuffers(ctx, epilogue)];
    return regsConv(
      ctx,
      convLabel('conv2d', i),
      source,
      inputs,
      i,
      i.batch * i.outHeight * i.outWidth,
      i.outChannels,
    );
  }
  const dims: [number, number, number] = [
    i.batch * i.outHeight * i.outWidth,
    i.outChannels,
    i.filterHeight * i.filterWidth * i.inChannels,
  ];
  return convGemm(ctx, 'conv2dIo', 'conv2d', [x, filter], i, dims, [true, true], epilogue);
}

/** Runs a register-tiled conv kernel (out bound first, then `inputs`) over `pixels` x `channels` outputs. */
function regsConv(
  ctx: KernelContext,
  label: string,
  source: string,
  inputs: GPUBuffer[],
  i: Conv2DInfo,
  pixels: number,
  channels: number,
): GpuData {
  const out = ctx.alloc(pixels * channels, 'float32');
  if (pixels * channels === 0) return out;
  ctx.run({
    label,
    source,
    buffers: [out.buffer, ...inputs],
    params: convParams(i),
    groups: gemmGroups(pixels, channels, 1),
  });
  return out;
}

/** Gradient of conv2d with respect to its input (also the transposed convolution). */
export function conv2dBackpropInput(
  ctx: KernelContext,
  dy: TensorInfo,
  filter: TensorInfo,
  i: Conv2DInfo,
): GpuData {
  if (useRegs(ctx) && dcolApplies(ctx, i)) {
    // dcol = dy [pixels, OC] x filter [FH FW IC, OC]ᵀ on the fast matmul (the filter transposed first, so both
    // operands load along their rows); col2im sums each input's taps.
    const rows = i.batch * i.outHeight * i.outWidth;
    const k = i.filterHeight * i.filterWidth * i.inChannels;
    const ft = transpose(ctx, { dataId: filter.dataId, shape: [k, i.outChannels], dtype: 'float32' }, [1, 0]);
    const as3 = (id: object, r: number, c: number): TensorInfo => ({
      dataId: id,
      shape: [1, r, c],
      dtype: 'float32',
    });
    const dcol = matmul(ctx, as3(dy.dataId, rows, i.outChannels), as3(ft, i.outChannels, k), false, false);
    ctx.free(ft);
    const out = col2im(ctx, dcol, i);
    ctx.free(dcol);
    return out;
  }
  if (useRegs(ctx)) {
    const source = prelude({ T: 'f32' }) + conv2dBackpropInputRegsSource();
    const label = convLabel('conv2dBackpropInput', i);
    const pixels = i.batch * i.inHeight * i.inWidth;
    return regsConv(ctx, label, source, [ctx.buffer(dy), ctx.buffer(filter)], i, pixels, i.inChannels);
  }
  const dims: [number, number, number] = [
    i.batch * i.inHeight * i.inWidth,
    i.inChannels,
    i.filterHeight * i.filterWidth * i.outChannels,
  ];
  return convGemm(ctx, 'conv2dBackpropInputIo', 'conv2dBackpropInput', [dy, filter], i, dims, [true, false]);
}

/** Gradient of conv2d with respect to its filter. */
export function conv2dBackpropFilter(
  ctx: KernelContext,
  x: TensorInfo,
  dy: TensorInfo,
  i: Conv2DInfo,
): GpuData {
  if (useRegs(ctx) && quadConvApplies(ctx, i) && i.outWidth >= 4) return quadConvFilter(ctx, x, dy, i);
  if (useRegs(ctx)) return conv2dBackpropFilterRegs(ctx, x, dy, i);
  const dims: [number, number, number] = [
    i.filterHeight * i.filterWidth * i.inChannels,
    i.outChannels,
    i.batch * i.outHeight * i.outWidth,
  ];
  return convGemm(ctx, 'conv2dBackpropFilterIo', 'conv2dBackpropFilter', [x, dy], i, dims, [false, true]);
}

/** Output pixels one invocation of the CPU filter-gradient kernel sums before its partial result is stored. */
const FILTER_CHUNK = 512;
/** Most chunks the pixels of a CPU filter gradient are split into. */
const MAX_FILTER_CHUNKS = 64;

/**
 * conv2d filter gradient on CPU adapters: the long sum over output pixels is split into chunks (so a small filter still
 * spreads over many workgroups), each chunk's register-blocked partial is stored, and the chunks are summed.
 */
function conv2dBackpropFilterRegs(ctx: KernelContext, x: TensorInfo, dy: TensorInfo, i: Conv2DInfo): GpuData {
  const rows = i.filterHeight * i.filterWidth * i.inChannels;
  const size = rows * i.outChannels;
  const pixels = i.batch * i.outHeight * i.outWidth;
  const out = ctx.alloc(size, 'float32');
  if (size === 0) return out;
  if (pixels === 0) return zeroFill(ctx, out);
  const chunks = Math.min(MAX_FILTER_CHUNKS, Math.ceil(pixels / FILTER_CHUNK));
  const chunk = Math.ceil(pixels / chunks);
  const [gx, gy] = gemmGroups(rows, i.outChannels, 1);
  const label = convLabel('conv2dBackpropFilter', i);
  if (chunks === 1) {
    ctx.run({
      label,
      source: prelude({ T: 'f32' }) + conv2dBackpropFilterRegsSource(),
      constants: { SAME_TAP: Number(i.inChannels % 4 === 0) },
      buffers: [out.buffer, ctx.buffer(x), ctx.buffer(dy)],
      params: [...convParams(i), chunk],
      groups: [gx, gy, 1],
    });
    return out;
  }
  const partial = ctx.alloc(size * chunks, 'float32');
  ctx.run({
    label: `${label} (partials)`,
    source: prelude({ T: 'f32' }) + conv2dBackpropFilterRegsSource(),
    constants: { SAME_TAP: Number(i.inChannels % 4 === 0) },
    buffers: [partial.buffer, ctx.buffer(x), ctx.buffer(dy)],
    params: [...convParams(i), chunk],
    groups: [gx, gy, chunks],
  });
  ctx.run({
    label: `${label} (sum)`,
    source: prelude({}) + SHADERS.sumPartials + '\n' + SHADERS.sumPartialsPlain,
    buffers: [out.buffer, partial.buffer],
    params: [size, chunks],
    groups: groups1d(size, 128, ctx.maxGroups),
  });
  ctx.free(partial);
  return out;
}
