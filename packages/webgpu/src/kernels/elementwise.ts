// The elementwise builder: one WGSL kernel per (function, dtypes, broadcast pattern), generated from the ElementwiseKernel's expression.
import type { DType, ElementwiseKernel, TensorInfo } from '@webdl/core';
import { fmt, groups1d, prelude, wgslType, type GpuData, type KernelContext } from '../kernel-context.js';
import { SHADERS } from '../shaders.generated.js';

/** Workgroup size of the grid-stride elementwise kernels (this builder's and the multi-output one's). */
export const ELEMENTWISE_WG = 128;
const WG = ELEMENTWISE_WG;

/** How a kernel input is read: at the output index, once (a broadcast scalar), or at a strided offset. */
export type Access = 'same' | 'scalar' | 'strided';

/** Row-major strides of `shape` broadcast to `out` (0 along broadcast dimensions); shared by the fused epilogues and prologues. */
export function broadcastStrides(shape: readonly number[], out: readonly number[]): number[] {
  const strides = new Array<number>(out.length).fill(0);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    const o = out.length - shape.length + i;
    strides[o] = shape[i] === 1 ? 0 : s;
    s *= shape[i];
  }
  return strides;
}

/** Merges adjacent output dimensions that every input walks contiguously (or broadcasts along together), lowering the index math rank. */
export function collapseDims(
  out: readonly number[],
  strides: number[][],
): { shape: number[]; strides: number[][] } {
  const shape: number[] = [];
  const st: number[][] = strides.map(() => []);
  for (let d = 0; d < out.length; d++) {
    if (out[d] === 1) continue;
    const last = shape.length - 1;
    const mergeable = last >= 0 && strides.every((s, k) => st[k][last] === s[d] * out[d]);
    if (mergeable) {
      shape[last] *= out[d];
      strides.forEach((s, k) => (st[k][last] = s[d]));
    } else {
      shape.push(out[d]);
      strides.forEach((s, k) => st[k].push(s[d]));
    }
  }
  return { shape, strides: st };
}

/**
 * WGSL rejects constant expressions that evaluate to NaN or infinity, so `bitcast<f32>(0x7fc00000u)`
 * in an op's expression fails to compile. Each bitcast of a literal is rewritten to read a
 * module-scope `var<private>` holding the bits, which the compiler does not constant-fold.
 */
export function runtimeBitcasts(expr: string): { expr: string; decls: string[] } {
  const decls: string[] = [];
  const out = expr.replace(
    /bitcast<(f32|i32|u32)>\(\s*(0x[0-9a-fA-F]+|[0-9]+)u?\s*\)/g,
    (_m, type: string, lit: string) => {
      const name = `bits${decls.length}`;
      decls.push(`var<private> ${name}: u32 = ${lit}u;`);
      return `bitcast<${type}>(${name})`;
    },
  );
  return { expr: out, decls };
}

/**
 * Module-scope WGSL an expression needs: shaders/math-lib.wgsl when it calls a `wdl_` helper (sin,
 * cos). Any generator of kernels from ElementwiseKernel expressions (fusion too) must add these.
 *
 * ```ts
 * lines.push(...mathLibFor(expr));
 * ```
 */
export function mathLibFor(expr: string): string[] {
  return /\bwdl_/.test(expr) ? [SHADERS.mathLib] : [];
}

/**
 * Primitives whose WGSL is one IEEE 754 arithmetic operation on their arguments: on an adapter whose
 * arithmetic is IEEE (`KernelContext.ieeeArithmetic`) a NaN input gives NaN without a test.
 */
const IEEE_OPS = new Set(['add', 'sub', 'mul', 'div', 'neg']);

/** The WGSL test that a float (`lanes` 1) or each lane of a vec4<f32> (`lanes` 4) is NaN, on its bits. */
function isNaNBits(x: string, lanes: 1 | 4): string {
  return lanes === 4
    ? `(bitcast<vec4<u32>>(${x}) & vec4<u32>(0x7fffffffu)) > vec4<u32>(0x7f800000u)`
    : `(bitcast<u32>(${x}) & 0x7fffffffu) > 0x7f800000u`;
}

/**
 * The kernel's expression, made to propagate NaN as IEEE 754 says: WGSL lets implementations assume
 * no NaN (SwiftShader's max(NaN, 1) is 1, its exp(NaN) is inf), so a float result is replaced by
 * the NaN input wherever a float input is NaN (tested on the bits), unless the kernel handles NaN
 * itself (pow(1, NaN) = 1, where), or it is plain arithmetic and `ieee` says the adapter's
 * arithmetic propagates NaN. `lanes` 4: the arguments and the expression are vec4<f32> (see
 * `vectorizes`), tested lane by lane.
 */
export function nanPropagating(
  kernel: ElementwiseKernel,
  expr: string,
  args: readonly string[],
  inDtypes: readonly DType[],
  outDtype: DType,
  ieee = false,
  lanes: 1 | 4 = 1,
): string {
  if (kernel.handlesNaN || outDtype !== 'float32' || (ieee && IEEE_OPS.has(kernel.key))) return expr;
  let out = expr;
  for (let k = args.length - 1; k >= 0; k--) {
    if (inDtypes[k] === 'float32') out = `select(${out}, ${args[k]}, ${isNaNBits(args[k], lanes)})`;
  }
  return out;
}

/**
 * Primitives whose WGSL expression, given vec4<f32> arguments and `vec4<f32>` as its compute type,
 * is valid WGSL computing the scalar expression lane by lane (no scalar-only builtin arguments such
 * as `clamp(x, -15.0, 15.0)`, no comparisons with scalar literals). Each one is compiled and checked
 * against the scalar kernel in packages/webgpu/test/elementwise-vec4.test.ts.
 */
export const VECTOR_SAFE: ReadonlySet<string> = new Set([
  'add',
  'sub',
  'mul',
  'div',
  'maximum',
  'minimum',
  'neg',
  'abs',
  'sign',
  'exp',
  'sqrt',
  'rsqrt',
  'square',
  'reciprocal',
  'sigmoid',
  'relu',
  'relu6',
  'softsign',
  'silu',
  'floor',
  'ceil',
  'round',
]);

/**
 * Whether a float32 kernel can be generated as vec4<f32> arithmetic (4 elements per expression
 * instead of 4 scalar copies of it): every step is a `VECTOR_SAFE` primitive and every value is float32.
 *
 * ```ts
 * vectorizes(kernel, ['float32', 'float32'], 'float32'); // true for a fused mul/add/relu/sigmoid chain
 * ```
 */
export function vectorizes(kernel: ElementwiseKernel, inDtypes: readonly DType[], outDtype: DType): boolean {
  if (outDtype !== 'float32' || inDtypes.some((d) => d !== 'float32')) return false;
  if (!kernel.steps) return VECTOR_SAFE.has(kernel.key);
  return kernel.steps.every((s) => s.outDtype === 'float32' && VECTOR_SAFE.has(s.kernel.key));
}

/**
 * The WGSL computing a kernel's value from `args`: local statements (one `let` per step of a fused
 * chain, each with its own NaN rule; `ieee` as in `nanPropagating`) and the final expression.
 * `lanes` 4: `args` are vec4<f32> and so is the value (only where `vectorizes` says so).
 *
 * ```ts
 * const { lets, value } = kernelBody(kernel, ['a0', 'a1'], 'f32', ['float32', 'float32'], 'float32');
 * ```
 */
export function kernelBody(
  kernel: ElementwiseKernel,
  args: readonly string[],
  compute: 'f32' | 'i32',
  inDtypes: readonly DType[],
  outDtype: DType,
  ieee = false,
  lanes: 1 | 4 = 1,
): { lets: string; value: string } {
  // The primitives in VECTOR_SAFE only splice the compute type into constructors (`t(0)`), which
  // splat when it is a vector type.
  const t = (lanes === 4 ? 'vec4<f32>' : compute) as 'f32' | 'i32';
  if (!kernel.steps) {
    const value = nanPropagating(kernel, kernel.wgsl(args, t), args, inDtypes, outDtype, ieee, lanes);
    return { lets: '', value };
  }
  const names = [...args];
  const lets = kernel.steps.map((step, j) => {
    const a = step.args.map((i) => names[i]);
    // Bool intermediates are 0/1, never NaN: testing them as floats is harmless.
    const dtypes = step.args.map((): DType => 'float32');
    names.push(`s${j}`);
    const expr = step.kernel.wgsl(a, t);
    const value = nanPropagating(step.kernel, expr, a, dtypes, step.outDtype, ieee, lanes);
    return `let s${j}: ${t} = ${value};`;
  });
  return { lets: lets.join(' '), value: names[names.length - 1] };
}

/**
 * The entry point of a grid-stride elementwise kernel: workgroup size, `stride` and `count` (elements, or vec4s when
 * `vec`); the caller adds its scalar loads and the loop `for (var i = ...; i < count; i += stride)`.
 *
 * ```ts
 * lines.push(...gridLoopHead(true));
 * ```
 */
export function gridLoopHead(vec: boolean): string[] {
  return [
    `override WG: u32 = ${WG}u;`,
    '@compute @workgroup_size(WG)',
    'fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32, @builtin(num_workgroups) nwg: vec3<u32>) {',
    '  let stride = nwg.x * nwg.y * WG;',
    `  let count = ${vec ? '(p(0u) + 3u) / 4u' : 'p(0u)'};`,
  ];
}

/**
 * Generates the WGSL of an elementwise kernel. Parameters: [n, shape[rank], strides of each strided input[rank]].
 * Invocations loop grid-stride over the output. Without strided inputs each step handles a vec4
 * (4 elements: one 16-byte load per contiguous input), as vec4 arithmetic where `vectorizes` allows
 * (about 10% faster on SwiftShader than 4 scalar copies of the expression); the tail past n lands in
 * the buffers' slack, which size classes (multiples of 16 bytes) guarantee. `ieee`: see `nanPropagating`.
 */
export function elementwiseSource(
  kernel: ElementwiseKernel,
  inDtypes: readonly DType[],
  access: readonly Access[],
  rank: number,
  outDtype: DType,
  ieee = false,
): string {
  const intLike = (d: DType) => d !== 'float32';
  const compute: 'f32' | 'i32' = inDtypes.every(intLike) && intLike(outDtype) ? 'i32' : 'f32';
  const outType = wgslType(outDtype);
  const vec = !access.includes('strided');
  const conv = (type: string, v: string) => (type === compute ? v : `${compute}(${v})`);
  const store = (v: string) => (outType === compute ? v : `${outType}(${v})`);
  const lines: string[] = [prelude({})];
  lines.push(
    `@group(0) @binding(1) var<storage, read_write> out: array<${vec ? `vec4<${outType}>` : outType}>;`,
  );
  inDtypes.forEach((d, k) => {
    const t = vec && access[k] === 'same' ? `vec4<${wgslType(d)}>` : wgslType(d);
    lines.push(`@group(0) @binding(${k + 2}) var<storage, read> in${k}: array<${t}>;`);
  });
  const lanes = vec && vectorizes(kernel, inDtypes, outDtype) ? 4 : 1;
  const args = inDtypes.map((_, k) => `a${k}`);
  const body = kernelBody(kernel, args, compute, inDtypes, outDtype, ieee, lanes);
  const { expr: code, decls } = runtimeBitcasts(`${body.lets}\u0000${body.value}`);
  const [lets, expr] = code.split('\u0000');
  lines.push(...decls, ...mathLibFor(code));
  lines.push(...gridLoopHead(vec));
  // Broadcast scalars are loaded once (splat to vec4 for vec4 arithmetic).
  inDtypes.forEach((d, k) => {
    const a = conv(wgslType(d), `in${k}[0u]`);
    if (access[k] === 'scalar') lines.push(`  let a${k} = ${lanes === 4 ? `vec4<f32>(${a})` : a};`);
  });
  lines.push('  for (var i = (wid.y * nwg.x + wid.x) * WG + lid; i < count; i += stride) {');
  if (lanes === 4) {
    inDtypes.forEach((_, k) => access[k] === 'same' && lines.push(`    let a${k} = in${k}[i];`));
    lines.push(`    ${lets} let e: vec4<f32> = ${expr};`, '    out[i] = e;', '  }', '}');
    return lines.join('\n');
  }
  if (vec) {
    inDtypes.forEach((_, k) => access[k] === 'same' && lines.push(`    let v${k} = in${k}[i];`));
    lines.push(`    var r: vec4<${outType}>;`);
    for (let c = 0; c < 4; c++) {
      const loads = inDtypes
        .map((d, k) => (access[k] === 'same' ? `let a${k} = ${conv(wgslType(d), `v${k}[${c}]`)}; ` : ''))
        .join('');
      lines.push(`    { ${loads}${lets} let e: ${compute} = ${expr}; r[${c}] = ${store('e')}; }`);
    }
    lines.push('    out[i] = r;', '  }', '}');
    return lines.join('\n');
  }
  pushBroadcastLoads(lines, access, rank, (k, v) => conv(wgslType(inDtypes[k]), v));
  lines.push(`    ${lets} let e: ${compute} = ${expr};`, `    out[i] = ${store('e')};`, '  }', '}');
  return lines.join('\n');
}

/**
 * Appends the scalar loop body's loads: each strided input's offset `o{k}` unravelled from `i` over the `rank`
 * collapsed dims (params: dims from word 1, then `rank` strides per strided input), then `let a{k}` for every
 * non-scalar input, `load(k, element)` converting it to the compute type.
 * @example pushBroadcastLoads(lines, ['same', 'strided'], 2, (k, v) => `f32(${v})`);
 */
export function pushBroadcastLoads(
  lines: string[],
  access: readonly Access[],
  rank: number,
  load: (k: number, element: string) => string,
): void {
  const strided = access.map((a, k) => (a === 'strided' ? k : -1)).filter((k) => k >= 0);
  lines.push('    var rem = i;');
  for (const k of strided) lines.push(`    var o${k} = 0u;`);
  for (let d = rank - 1; d >= 0; d--) {
    lines.push(`    { let dim = p(${1 + d}u); let c = rem % dim; rem = rem / dim;`);
    strided.forEach((k, j) => lines.push(`      o${k} += c * p(${1 + rank + j * rank + d}u);`));
    lines.push('    }');
  }
  access.forEach((a, k) => {
    if (a !== 'scalar') lines.push(`    let a${k} = ${load(k, `in${k}[${a === 'same' ? 'i' : `o${k}`}]`)};`);
  });
}

const SOURCES = new Map<string, string>();
const MAX_SOURCES = 1024;

/** Runs an elementwise kernel over inputs broadcast (NumPy rules) to `outShape`. */
export function elementwise(
  ctx: KernelContext,
  kernel: ElementwiseKernel,
  inputs: readonly TensorInfo[],
  outShape: readonly number[],
  outDtype: DType,
): GpuData {
  const n = outShape.reduce((a, b) => a * b, 1);
  const out = ctx.alloc(n, outDtype);
  if (n === 0) return out;
  const { shape, strides } = collapseDims(
    outShape,
    inputs.map((x) => broadcastStrides(x.shape, outShape)),
  );
  const access: Access[] = inputs.map((x, k) => {
    if (x.shape.reduce((a, b) => a * b, 1) === 1) return 'scalar';
    const contiguous = broadcastStrides(shape, shape);
    return strides[k].every((s, d) => s === contiguous[d]) ? 'same' : 'strided';
  });
  const rank = access.includes('strided') ? shape.length : 0;
  const params = [n];
  if (rank > 0) {
    params.push(...shape);
    access.forEach((a, k) => a === 'strided' && params.push(...strides[k]));
  }
  if (params.length > 64)
    throw new Error(`${kernel.key}: rank ${rank} is too high for the WebGPU elementwise kernel`);
  const dtypes = inputs.map((x) => x.dtype);
  // A replayed jit graph asks for the same kernels on every call: the source is built once.
  const key = `${kernel.key}|${dtypes.join()}|${access.join()}|${rank}|${outDtype}|${ctx.ieeeArithmetic}`;
  let source = SOURCES.get(key);
  if (source === undefined) {
    if (SOURCES.size >= MAX_SOURCES) SOURCES.clear();
    source = elementwiseSource(kernel, dtypes, access, rank, outDtype, ctx.ieeeArithmetic);
    SOURCES.set(key, source);
  }
  ctx.run({
    label: `${kernel.key} ${inputs.map((x) => fmt(x.shape)).join(' ')} -> ${fmt(outShape)}`,
    source,
    buffers: [out.buffer, ...inputs.map((x) => ctx.buffer(x))],
    params,
    groups: groups1d(Math.min(rank === 0 ? Math.ceil(n / 4) : n, ctx.maxThreads), WG, ctx.maxGroups),
  });
  return out;
}
