// The multi-output elementwise builder (jit's multi-output fusion): one WGSL kernel computing a fused
// chain once per element and storing several of its values, indexed as elementwise.ts does.
import type { DType, ElementwiseKernel, MultiOutput, TensorInfo } from '@webdl/core';
import { fmt, groups1d, prelude, wgslType, type GpuData, type KernelContext } from '../kernel-context.js';
import {
  broadcastStrides,
  pushBroadcastLoads,
  type Access,
  collapseDims,
  ELEMENTWISE_WG as WG,
  gridLoopHead,
  mathLibFor,
  nanPropagating,
  runtimeBitcasts,
} from './elementwise.js';

/**
 * One `let` per step of a fused chain (each with its own NaN rule) over argument names `args`, and
 * the name of every chain value (arguments, then steps), for kernels that store several of them.
 *
 * ```ts
 * const { lets, names } = chainLets(multi.kernel, ['a0', 'a1'], false);
 * ```
 */
export function chainLets(
  kernel: ElementwiseKernel,
  args: readonly string[],
  ieee: boolean,
): { lets: string; names: string[] } {
  const names = [...args];
  const lets = (kernel.steps ?? []).map((step, j) => {
    const a = step.args.map((i) => names[i]);
    const dtypes = step.args.map((): DType => 'float32');
    names.push(`t${j}`);
    const value = nanPropagating(step.kernel, step.kernel.wgsl(a, 'f32'), a, dtypes, step.outDtype, ieee);
    return `let t${j}: f32 = ${value};`;
  });
  return { lets: lets.join(' '), names };
}

/**
 * The WGSL of a multi-output kernel: outputs bound from 1, inputs after them; params [n, shape[rank],
 * strides of each strided input[rank]]. Without strided inputs each loop step handles a vec4 of every
 * output (the tail lands in size-class slack, as in elementwise.ts).
 */
export function multiOutputSource(
  multi: MultiOutput,
  inDtypes: readonly DType[],
  access: readonly Access[],
  rank: number,
  ieee = false,
): string {
  const vec = !access.includes('strided');
  const conv = (d: DType, v: string) => (d === 'float32' ? v : `f32(${v})`);
  const outs = multi.stores.length;
  const lines: string[] = [prelude({})];
  for (let j = 0; j < outs; j++)
    lines.push(
      `@group(0) @binding(${j + 1}) var<storage, read_write> out${j}: array<${vec ? 'vec4<f32>' : 'f32'}>;`,
    );
  inDtypes.forEach((d, k) => {
    const t = vec && access[k] === 'same' ? `vec4<${wgslType(d)}>` : wgslType(d);
    lines.push(`@group(0) @binding(${outs + k + 1}) var<storage, read> in${k}: array<${t}>;`);
  });
  const body = chainLets(
    multi.kernel,
    inDtypes.map((_, k) => `a${k}`),
    ieee,
  );
  const { expr: lets, decls } = runtimeBitcasts(body.lets);
  const stored = multi.stores.map((i) => body.names[i]);
  lines.push(...decls, ...mathLibFor(lets));
  lines.push(...gridLoopHead(vec));
  inDtypes.forEach((d, k) => {
    if (access[k] === 'scalar') lines.push(`  let a${k} = ${conv(d, `in${k}[0u]`)};`);
  });
  lines.push('  for (var i = (wid.y * nwg.x + wid.x) * WG + lid; i < count; i += stride) {');
  if (vec) {
    inDtypes.forEach((_, k) => access[k] === 'same' && lines.push(`    let v${k} = in${k}[i];`));
    for (let j = 0; j < outs; j++) lines.push(`    var r${j}: vec4<f32>;`);
    for (let c = 0; c < 4; c++) {
      const loads = inDtypes
        .map((d, k) => (access[k] === 'same' ? `let a${k} = ${conv(d, `v${k}[${c}]`)}; ` : ''))
        .join('');
      const sets = stored.map((name, j) => `r${j}[${c}] = ${name};`).join(' ');
      lines.push(`    { ${loads}${lets} ${sets} }`);
    }
    for (let j = 0; j < outs; j++) lines.push(`    out${j}[i] = r${j};`);
    lines.push('  }', '}');
    return lines.join('\n');
  }
  pushBroadcastLoads(lines, access, rank, (k, v) => conv(inDtypes[k], v));
  lines.push(`    ${lets}`, ...stored.map((name, j) => `    out${j}[i] = ${name};`), '  }', '}');
  return lines.join('\n');
}

const SOURCES = new Map<string, string>();
const MAX_SOURCES = 256;

/** Runs a multi-output kernel over inputs broadcast (NumPy rules) to `outShape`: one float32 output per store. */
export function elementwiseMulti(
  ctx: KernelContext,
  multi: MultiOutput,
  inputs: readonly TensorInfo[],
  outShape: readonly number[],
): GpuData[] {
  const n = outShape.reduce((a, b) => a * b, 1);
  const outs = multi.stores.map(() => ctx.alloc(n, 'float32'));
  if (n === 0) return outs;
  const { shape, strides } = collapseDims(
    outShape,
    inputs.map((x) => broadcastStrides(x.shape, outShape)),
  );
  const contiguous = broadcastStrides(shape, shape);
  const access: Access[] = inputs.map((x, k) => {
    if (x.shape.reduce((a, b) => a * b, 1) === 1) return 'scalar';
    return strides[k].every((s, d) => s === contiguous[d]) ? 'same' : 'strided';
  });
  const rank = access.includes('strided') ? shape.length : 0;
  const params = [n];
  if (rank > 0) {
    params.push(...shape);
    access.forEach((a, k) => a === 'strided' && params.push(...strides[k]));
  }
  if (params.length > 64)
    throw new Error(`${multi.kernel.key}: rank ${rank} is too high for the WebGPU multi-output kernel`);
  const dtypes = inputs.map((x) => x.dtype);
  const key = `${multi.kernel.key}|${multi.stores.join()}|${dtypes.join()}|${access.join()}|${rank}|${ctx.ieeeArithmetic}`;
  let source = SOURCES.get(key);
  if (source === undefined) {
    if (SOURCES.size >= MAX_SOURCES) SOURCES.clear();
    source = multiOutputSource(multi, dtypes, access, rank, ctx.ieeeArithmetic);
    SOURCES.set(key, source);
  }
  ctx.run({
    label: `${multi.kernel.key} ${inputs.map((x) => fmt(x.shape)).join(' ')} -> ${multi.stores.length} x ${fmt(outShape)}`,
    source,
    buffers: [...outs.map((o) => o.buffer), ...inputs.map((x) => ctx.buffer(x))],
    params,
    groups: groups1d(Math.min(rank === 0 ? Math.ceil(n / 4) : n, ctx.maxThreads), WG, ctx.maxGroups),
  });
  return outs;
}

/**
 * The body of a prologue's `rdLoad(i)` that stores chain values `stores` as it computes them
 * (into `ps0`, `ps1`, ... at index i), and the chain's value.
 *
 * ```ts
 * const { lets, value } = storedValues(prologue.kernel, ['a0', 'a1'], [3], false);
 * ```
 */
export function storedValues(
  kernel: ElementwiseKernel,
  args: readonly string[],
  stores: readonly number[],
  ieee: boolean,
): { lets: string; value: string } {
  const { lets, names } = chainLets(kernel, args, ieee);
  const writes = stores.map((s, j) => `ps${j}[i] = ${names[s]};`).join(' ');
  return { lets: `${lets} ${writes}`, value: names[names.length - 1] };
}
