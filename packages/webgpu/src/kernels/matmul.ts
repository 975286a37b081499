// Batched matmul with transposes: the tiled core of shaders/matmul.wgsl on GPUs, register-blocked kernels on CPU adapters.
import type { Epilogue, TensorInfo } from '@webdl/core';
import { epilogueSource } from './epilogue.js';
import { SHADERS } from '../shaders.generated.js';
import { quadMatmulSource, quadWorkgroup, regsMatmulSource } from './register-gemm.js';
import { fmt, groups1d, prelude, wgslType, type GpuData, type KernelContext } from '../kernel-context.js';

/** Which io fragment feeds the GEMM core. */
export type GemmIo = 'matmulIo' | 'conv2dIo' | 'conv2dBackpropInputIo' | 'conv2dBackpropFilterIo';

/** Final source of a tiled GEMM (GPU adapters): prelude, io fragment, then the core tiled in workgroup memory (and `tail`). */
export function gemmSource(io: GemmIo, T: 'f32' | 'i32', tail = ''): string {
  return prelude({ T }) + SHADERS[io] + '\n' + SHADERS.matmul + tail;
}

export function useRegs(ctx: KernelContext): boolean {
  return ctx.isCpu;
}

/** The tiled core's load-order constants. */
export function loadOrder(aKFast: boolean, bNFast: boolean): Record<string, number> {
  return { A_K_FAST: +aKFast, B_N_FAST: +bNFast };
}

/** Workgroup grid of the CPU-adapter register-blocked kernels (8 x 8 invocations of 4 x 4 outputs: 32 x 32 per group). */
export function gemmGroups(m: number, n: number, batch: number): [number, number, number] {
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
export function tiled(
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
 * Rows x columns of C per lane in the subgroup (quad) matmul of CPU adapters, or null for the 4 x 4 kernel (`splits`:
 * the k splits that kernel would take). SwiftShader spends most of a matmul on its loads (each a per-lane gather), so a
 * quad's 16 x 32 block (16 x 8 per lane: 4 + 8 loads and 16 broadcasts per 128 multiply-adds and step of k) beats
 * 16 x 4 (4 + 4 loads per 64): 10-17% faster at the MLP step's products (128 x 128 x 128 to 128 x 784 x 128) and at
 * 256-1024, measured in Chromium interleaved in one page (32 x 8 gained a little more at K = 784 but took 2-3x longer
 * to compile). A product with M or N below 32 (a 10-class head, a bias gradient's single row) takes a block only as
 * tall and wide as it needs: 0.72-0.89 of the 4 x 4 kernel's time (128 x 128 x 10, 1 x 128 x 128), the jitted MLP
 * step 3% faster; unless the 4 x 4 kernel splits a long k over workgroups, which one quad per block cannot.
 */
function quadTile(
  batch: number,
  m: number,
  n: number,
  k: number,
  splits: number,
): readonly [number, number] | null {
  if (m >= 32 && n >= 32) return batch * m * n * k >= QUAD_MIN_WORK ? QUAD_TILE : null;
  return splits > 1 ? null : [Math.min(QUAD_TILE[0], m), n >= 32 ? QUAD_TILE[1] : Math.ceil(n / 4)];
}
/** Smallest batch * M * N * K for the subgroup kernel with M and N from 32 (a 128 x 128 product with K = 8). */
const QUAD_MIN_WORK = 1 << 17;
/** Rows x columns per lane of the subgroup kernel. */
const QUAD_TILE = [16, 8] as const;
/**
 * Rows x columns per lane, and lanes per workgroup, of the stand-in that runs while the best quad kernel's pipeline
 * compiles in the background (RunSpec.better). SwiftShader compiles a 16 x 8 kernel in 100-500 ms and a 4 x 4 one in
 * a fifth of that. The stand-in takes its sizes from parameters (runtime-sized bindings, no size constants, the
 * epilogue's sizes too), so one pipeline serves every product of the same transposes, K % 4 and epilogue chain: the
 * jitted MLP step's first call, cold, compiles 7 matmul pipelines instead of 10 (4 x 4 blocks specialized per shape,
 * narrow ones for the 10-class head) and took 540-730 ms instead of 760-970 ms in a Chromium test page, 540-600 ms
 * against jax-js's 950-1040 ms in `npm run bench` (2x2 or 4x2 blocks compile faster still, but made the ~50 steps
 * before the best kernels are ready 1.6-2x slower). Its later steps take the best kernels once ready.
 */
const FIRST_TILE = [4, 4] as const;
const FIRST_LANES = 16;
/** The matmul parameters M and N ([M, N, K, ...]), for the stand-in's epilogue. */
const PARAM_DIMS = { m: 'p(0u)', n: 'p(1u)' };
/** Largest batch * M * N * K that runs the stand-in meanwhile (256³); larger products take longer to run than to compile. */
const FIRST_MAX_WORK = 1 << 24;
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
  const lengths = [batch * m * n, ba * ra * ca, bb * rb * cb];
  const groups: [number, number, number] = [
    Math.ceil(n / (8 * REGS.tn)),
    Math.ceil(m / (8 * REGS.tm)),
    batch,
  ];
  const splits = batch === 1 && T === 'f32' ? kSplits(groups[0] * groups[1], k) : 1;
  const quad = ctx.quadSubgroups ? quadTile(batch, m, n, k, splits) : null;
  if (quad) {
    const [wgX] = quadWorkgroup(n, quad[1]);
    // `shared`: sizes as parameters only (no sized bindings, no literal sizes in the epilogue).
    const source = (tile: readonly [number, number], lanes: number, shared: boolean): string =>
      'enable subgroups;\n' +
      prelude({ T }) +
      quadMatmulSource(tile[0], tile[1], k % 4 !== 0, !!epilogue, shared ? undefined : lengths, lanes) +
      (!epilogue ? '' : shared ? epilogueSource(epilogue, 4, ctx.ieeeArithmetic, PARAM_DIMS) : tail);
    const grid = (tile: readonly [number, number], lanes: number) =>
      [Math.ceil(n / ((lanes / 4) * 4 * tile[1])), Math.ceil(m / tile[0]), Math.max(1, batch)] as const;
    const best = { source: source(quad, wgX, false), groups: grid(quad, wgX), constants };
    if (batch * m * n * k > FIRST_MAX_WORK) {
      ctx.run({ label, buffers, params, ...best });
      return out;
    }
    // Until the best pipeline is compiled, a stand-in shared by every shape runs (see FIRST_TILE).
    ctx.run({
      label,
      buffers,
      params,
      source: source(FIRST_TILE, FIRST_LANES, true),
      groups: grid(FIRST_TILE, FIRST_LANES),
      constants: transposes,
      better: best,
    });
    return out;
  }
  if (splits > 1) {
    const sumTail = epilogueSource(epilogue, 3, ctx.ieeeArithmetic);
    return splitK(ctx, { label, constants, buffers, params, groups, k, splits, out, sumTail, lengths });
  }
  ctx.run({
    label,
    source: prelude({ T }) + regsMatmulSource(REGS, !!epilogue, lengths) + (epilogue ? tail : ''),
    constants,
    buffers,
    params,
    groups,
  });
  return out;
}

/** Workgroups a CPU adapter's matmul should spread over, at least: more than its threads. */
const MIN_GROUPS = 16;
/** Fewest k steps per split of a split-K matmul. */
const MIN_SPLIT = 512;

/** Splits of the k loop for a product of `groups` workgroups: a few outputs over a long k (a bias gradient). */
function kSplits(groups: number, k: number): number {
  if (groups >= MIN_GROUPS) return 1;
  return Math.max(1, Math.min(Math.ceil(MIN_GROUPS / groups) * 4, Math.floor(k / MIN_SPLIT)));
}

/**
 * The float32 register-blocked matmul with its k loop split over workgroup rows z, then the partial products summed
 * (through the epilogue, if any).
 */
function splitK(
  ctx: KernelContext,
  s: {
    label: string;
    constants: Record<string, number>;
    buffers: GPUBuffer[];
    params: number[];
    groups: [number, number, number];
    k: number;
    splits: number;
    out: GpuData;
    /** The sum pass's `mmEpilogue` (the fused epilogue, its inputs bound from 3). */
    sumTail: string;
    /** Elements of out, a and b. */
    lengths: number[];
  },
): GpuData {
  const [m, n] = s.params;
  const per = Math.ceil(s.k / s.splits);
  const splits = Math.ceil(s.k / per);
  const partial = ctx.alloc(m * n * splits, s.out.dtype);
  ctx.run({
    label: `${s.label} (split k)`,
    source: prelude({ T: 'f32' }) + regsMatmulSource(REGS, false, [m * n * splits, ...s.lengths.slice(1)]),
    constants: { ...s.constants, SPLIT_K: per },
    buffers: [partial.buffer, ...s.buffers.slice(1, 3)],
    params: [m, n, s.k, 0, 0],
    groups: [s.groups[0], s.groups[1], splits],
  });
  ctx.run({
    label: `${s.label} (sum)`,
    source: prelude({ T: 'f32' }) + SHADERS.sumPartials + '\n' + SHADERS.sumPartialsGemm + s.sumTail,
    buffers: [s.out.buffer, partial.buffer, ...s.buffers.slice(3)],
    params: [m * n, splits, n],
    groups: groups1d(m * n, 128, ctx.maxGroups),
  });
  ctx.free(partial);
  return s.out;
}

/** The buffers of an epilogue's inputs, bound after the kernel's own. */
export function epilogueBuffers(ctx: KernelContext, epilogue: Epilogue | undefined): GPUBuffer[] {
  return epilogue?.inputs.map((x) => ctx.buffer(x)) ?? [];
}

/** Writes zeros through the elementwise-free path: a 0 x K product leaves the (fresh) buffer to be cleared. */
export function zeroFill(ctx: KernelContext, out: GpuData): GpuData {
  ctx.clear(out);
  return out;
}
