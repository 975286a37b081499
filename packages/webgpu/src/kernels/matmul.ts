// Batched matmul with transposes, and the regular convolutions as implicit GEMMs, all on the tiled core in shaders/matmul.wgsl.
import type { Conv2DInfo, Epilogue, TensorInfo } from '@webdl/core';
import { epilogueSource } from './epilogue.js';
import { SHADERS } from '../shaders.generated.js';
import { QUAD_WG, quadMatmulSource, regsMatmulSource } from './register-gemm.js';
import {
  conv2dBackpropFilterRegsSource,
  conv2dBackpropInputRegsSource,
  conv2dRegsSource,
  convTapsInside,
} from './register-conv.js';
import { fmt, groups1d, prelude, wgslType, type GpuData, type KernelContext } from '../kernel-context.js';
import { convLabel, convParams } from './conv-geometry.js';
import { transpose } from './shape-ops.js';
import { col2im, dcolApplies, quadConv2d, quadConvApplies, quadConvFilter } from './conv-quad.js';

/** Which io fragment feeds the GEMM core. */
export type GemmIo = 'matmulIo' | 'conv2dIo' | 'conv2dBackpropInputIo' | 'conv2dBackpropFilterIo';

/** Final source of a tiled GEMM (GPU adapters): prelude, io fragment, then the core tiled in workgroup memory (and `tail`). */
export function gemmSource(io: GemmIo, T: 'f32' | 'i32', tail = ''): string {
  return prelude({ T }) + SHADERS[io] + '\n' + SHADERS.matmul + tail;
}

function useRegs(ctx: KernelContext): boolean {
  return ctx.isCpu;
}

/** The tiled core's load-order constants. */
function loadOrder(aKFast: boolean, bNFast: boolean): Record<string, number> {
  return { A_K_FAST: +aKFast, B_N_FAST: +bNFast };
}

/** Workgroup grid of the CPU-adapter register-blocked kernels (8 x 8 invocations of 4 x 4 outputs: 32 x 32 per group). */
function gemmGroups(m: number, n: number, batch: number): [number, number, number] {
  return [Math.max(1, Math.ceil(n / 32)), Math.max(1, Math.ceil(m / 32)), Math.max(1, batch)];
}

/** Tile shape of the tiled GEMM core (GPU adapters), passed as its pipeline constants WG_X, WG_Y and BK. */
export interface GpuTile {
  WG_X: number;
  WG_Y: number;
  BK: number;
}

/**
 * The GPU core's tile for an M x N output over `batch` matrices: 16 x 16 invocations (64 x 64 outputs) by default; an
 * output too small to give 64 such groups takes 8 x 8 invocations (32 x 32 outputs), 4x the groups, so more of a
 * GPU's cores get work. Staging 16 steps of K per barrier either way.
 */
export function gpuTile(m: number, n: number, batch: number): GpuTile {
  const groups64 = Math.ceil(m / 64) * Math.ceil(n / 64) * batch;
  return groups64 < 64 ? { WG_X: 8, WG_Y: 8, BK: 16 } : { WG_X: 16, WG_Y: 16, BK: 16 };
}

/** The tiled core's pipeline constants and workgroup grid for an M x N output over `batch` matrices. */
function tiled(
  m: number,
  n: number,
  batch: number,
): { constants: Record<string, number>; groups: [number, number, number] } {
  const tile = gpuTile(m, n, batch);
  return {
    constants: { ...tile },
    groups: [
      Math.max(1, Math.ceil(n / (4 * tile.WG_X))),
      Math.max(1, Math.ceil(m / (4 * tile.WG_Y))),
      Math.max(1, batch),
    ],
  };
}

/**
 * Rows x columns of C per lane in the subgroup (quad) matmul of CPU adapters, or null for the 4 x 4 kernel. Measured on
 * SwiftShader (GPU timestamps, min of rounds): at 1024 16 x 4 beats 8 x 4 by about 20% (larger blocks gain little and
 * compile far longer). At the MLP step's shapes (M, N of 128 to 784, K of 10 to 784) the quad kernel is 1.5-3x faster
 * than the 4 x 4 one whichever the transposes, and 8 x 4 matches 16 x 4 there while compiling faster; with N below 32
 * (a 10-class head) a quad's 16 columns are mostly waste, and the 4 x 4 kernel wins.
 */
function quadTile(batch: number, m: number, n: number, k: number): readonly [number, number] | null {
  const work = batch * m * n * k;
  if (m < 32 || n < 32 || work < QUAD_MIN_WORK) return null;
  return work >= QUAD_LARGE_WORK ? [16, 4] : [8, 4];
}
/** Smallest batch * M * N * K for the subgroup kernel (a 128 x 128 product with K = 8). */
const QUAD_MIN_WORK = 1 << 17;
/** Work (256³) from which the subgroup kernel takes 16-row blocks. */
const QUAD_LARGE_WORK = 1 << 24;
/** The register-blocked matmul of CPU adapters without 4-lane subgroups, and of small products. */
const REGS = { tm: 4, tn: 4, unroll: 4 };

/**
 * a [batchA, M, K] (or [batchA, K, M] when transposeA) times b [batchB, K, N] (or [batchB, N, K]) -> [batch, M, N];
 * `epilogue` (float32 only) is applied to each element as it is stored.
 */
export function matmul(
  ctx: KernelContext,
  a: TensorInfo,
  b: TensorInfo,
  transposeA: boolean,
  transposeB: boolean,
  epilogue?: Epilogue,
): GpuData {
  const [ba, ra, ca] = a.shape;
  const [bb, rb, cb] = b.shape;
  const m = transposeA ? ca : ra;
  const k = transposeA ? ra : ca;
  const n = transposeB ? rb : cb;
  const batch = Math.max(ba, bb);
  const out = ctx.alloc(batch * m * n, a.dtype);
  if (batch * m * n === 0) return out;
  if (k === 0 && !epilogue) return zeroFill(ctx, out);
  const T = wgslType(a.dtype);
  const label =
    `matmul ${fmt(a.shape)}${transposeA ? 'ᵀ' : ''} x ${fmt(b.shape)}${transposeB ? 'ᵀ' : ''}` +
    (epilogue ? ` + ${epilogue.kernel.key}` : '');
  const buffers = [out.buffer, ctx.buffer(a), ctx.buffer(b), ...epilogueBuffers(ctx, epilogue)];
  const tail = epilogueSource(epilogue, 4, ctx.ieeeArithmetic);
  const params = [m, n, k, ba === 1 ? 0 : m * k, bb === 1 ? 0 : k * n];
  const transposes = { TRANS_A: +transposeA, TRANS_B: +transposeB };
  if (!useRegs(ctx)) {
    const grid = tiled(m, n, batch);
    ctx.run({
      label,
      source: gemmSource('matmulIo', T, tail),
      constants: { ...transposes, ...loadOrder(!transposeA, !transposeB), ...grid.constants },
      buffers,
      params,
      groups: grid.groups,
    });
    return out;
  }
  // CPU shader compilers fold little on their own: a pipeline per shape makes the index math constant.
  const constants = { ...transposes, SPEC_M: m, SPEC_N: n, SPEC_K: k };
  const quad = ctx.quadSubgroups ? quadTile(batch, m, n, k) : null;
  if (quad) {
    const [tm, tn] = quad;
    ctx.run({
      label,
      source:
        'enable subgroups;\n' +
        prelude({ T }) +
        quadMatmulSource(tm, tn, k % 4 !== 0, !!epilogue) +
        (epilogue ? tail : ''),
      constants,
      buffers,
      params,
      groups: [
        Math.ceil(n / ((QUAD_WG[0] / 4) * 4 * tn)),
        Math.ceil(m / (QUAD_WG[1] * tm)),
        Math.max(1, batch),
      ],
    });
    return out;
  }
  ctx.run({
    label,
    source: prelude({ T }) + regsMatmulSource(REGS, !!epilogue) + (epilogue ? tail : ''),
    constants,
    buffers,
    params,
    groups: [Math.ceil(n / (8 * REGS.tn)), Math.ceil(m / (8 * REGS.tm)), Math.max(1, batch)],
  });
  return out;
}

/** The buffers of an epilogue's inputs, bound after the kernel's own. */
function epilogueBuffers(ctx: KernelContext, epilogue: Epilogue | undefined): GPUBuffer[] {
  return epilogue?.inputs.map((x) => ctx.buffer(x)) ?? [];
}

/** Writes zeros through the elementwise-free path: a 0 x K product leaves the (fresh) buffer to be cleared. */
function zeroFill(ctx: KernelContext, out: GpuData): GpuData {
  ctx.clear(out);
  return out;
}

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
    const pixels = i.batch * i.outHeight * i.outWidth;
    const out = ctx.alloc(pixels * i.outChannels, 'float32');
    if (pixels * i.outChannels === 0) return out;
    ctx.run({
      label: convLabel('conv2d', i),
      source:
        prelude({ T: 'f32' }) +
        conv2dRegsSource(!!epilogue, convTapsInside(i)) +
        (epilogue ? epilogueSource(epilogue, 4, ctx.ieeeArithmetic) : ''),
      buffers: [out.buffer, ctx.buffer(x), ctx.buffer(filter), ...epilogueBuffers(ctx, epilogue)],
      params: convParams(i),
      groups: gemmGroups(pixels, i.outChannels, 1),
    });
    return out;
  }
  const dims: [number, number, number] = [
    i.batch * i.outHeight * i.outWidth,
    i.outChannels,
    i.filterHeight * i.filterWidth * i.inChannels,
  ];
  return convGemm(ctx, 'conv2dIo', 'conv2d', [x, filter], i, dims, [true, true], epilogue);
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
    const pixels = i.batch * i.inHeight * i.inWidth;
    const out = ctx.alloc(pixels * i.inChannels, 'float32');
    if (pixels * i.inChannels === 0) return out;
    ctx.run({
      label: convLabel('conv2dBackpropInput', i),
      source: prelude({ T: 'f32' }) + conv2dBackpropInputRegsSource(),
      buffers: [out.buffer, ctx.buffer(dy), ctx.buffer(filter)],
      params: convParams(i),
      groups: gemmGroups(pixels, i.inChannels, 1),
    });
    return out;
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
    source: prelude({}) + SHADERS.sumPartials,
    buffers: [out.buffer, partial.buffer],
    params: [size, chunks],
    groups: groups1d(size, 128, ctx.maxGroups),
  });
  ctx.free(partial);
  return out;
}
