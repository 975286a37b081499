// What a kernel needs from the backend: storage lookup, output allocation, shader sources with the shared prelude, and dispatch.
import type { DType, TensorInfo } from '@webdl/core';
import { SHADERS, type ShaderName } from './shaders.generated.js';

/** Storage of one tensor on the GPU: every dtype takes 32 bits per element (bool as i32 0/1). */
export interface GpuData {
  buffer: GPUBuffer;
  /** Number of elements. */
  size: number;
  dtype: DType;
  disposed: boolean;
  /** A page-owned buffer wrapped by tensorFromGPUBuffer: never returned to webdl's pool. */
  external?: boolean;
  /** Kept by a recorded jit replay (program.ts), which frees the buffer itself. */
  pinned?: boolean;
}

/** A dispatch request: final WGSL source, override constants, storage bindings (output first) and u32 parameter words. */
export interface RunSpec {
  /** Op name and shapes, shown in errors. */
  label: string;
  source: string;
  constants?: Record<string, number>;
  buffers: readonly GPUBuffer[];
  params: readonly number[];
  groups: readonly [number, number, number];
  /**
   * A faster variant of this kernel (same bindings and parameters; its own override constants)
   * whose pipeline takes long to compile: it runs instead once compiled; until then this spec runs
   * and the variant compiles in the background (a jit replay recorded meanwhile is recorded again
   * once it is ready). This spec is then a stand-in written for every shape (sizes as parameters):
   * a recorded replay keeps its bindings runtime-sized, so one pipeline serves all its shapes.
   */
  better?: {
    source: string;
    groups: readonly [number, number, number];
    constants: Record<string, number>;
  };
}

/** The services a kernel function uses. */
export interface KernelContext {
  /** The GPU buffer behind a tensor. */
  buffer(t: TensorInfo): GPUBuffer;
  /** A fresh output of `size` elements (at least 4 bytes are allocated, so empty tensors bind too). */
  alloc(size: number, dtype: DType): GpuData;
  /** Records one dispatch. */
  run(spec: RunSpec): void;
  /** Records zero-filling of an output (pooled buffers hold old contents). */
  clear(d: GpuData): void;
  /** Releases a temporary once the work recorded so far no longer needs it. */
  free(d: GpuData): void;
  /** Largest workgroup count per dimension. */
  readonly maxGroups: number;
  /** Whether the adapter is a software one on the CPU (kernels pick CPU-friendly variants). */
  readonly isCpu: boolean;
  /** CPU kernels, and the device has subgroups of exactly 4 lanes (SwiftShader's SIMD quads): kernels may share loads across a quad. */
  readonly quadSubgroups: boolean;
  /** Whether + - * / follow IEEE 754 for NaN (SwiftShader: SSE arithmetic, no fast math), so kernels need not test for it. */
  readonly ieeeArithmetic: boolean;
  /** Invocations worth launching for a grid-stride loop (few on CPU adapters, where each costs much). */
  readonly maxThreads: number;
}

/** WGSL type of a dtype's storage element. */
export function wgslType(dtype: DType): 'f32' | 'i32' {
  return dtype === 'float32' ? 'f32' : 'i32';
}

/** The prelude prepended to every shader file: dtype aliases and the parameter accessors `p(i)` / `pf(i)` / `pi(i)`. */
export function prelude(aliases: Record<string, string>): string {
  const lines = Object.entries(aliases).map(([name, type]) => `alias ${name} = ${type};`);
  lines.push(
    '@group(0) @binding(0) var<uniform> params: array<vec4<u32>, 16>;',
    'fn p(i: u32) -> u32 { return params[i / 4u][i % 4u]; }',
    'fn pf(i: u32) -> f32 { return bitcast<f32>(p(i)); }',
    'fn pi(i: u32) -> i32 { return bitcast<i32>(p(i)); }',
  );
  return lines.join('\n') + '\n';
}

/** The final source of a shader file from shaders/ with the prelude for the given aliases (e.g. `{ T: 'f32' }`). */
export function shaderSource(name: ShaderName, aliases: Record<string, string> = {}): string {
  return prelude(aliases) + SHADERS[name];
}

/** Bits of a float32 as a u32 parameter word. */
export function f32Bits(v: number): number {
  F32[0] = v;
  return U32[0];
}
const F32 = new Float32Array(1);
const U32 = new Uint32Array(F32.buffer);

/** Workgroup counts covering `n` invocations in groups of `wg`, folded into y past the per-dimension limit. */
export function groups1d(n: number, wg: number, maxGroups: number): [number, number, number] {
  const g = Math.max(1, Math.ceil(n / wg));
  if (g <= maxGroups) return [g, 1, 1];
  const y = Math.ceil(g / maxGroups);
  return [Math.ceil(g / y), y, 1];
}

/** `[2,3]` for labels. */
export function fmt(shape: readonly number[]): string {
  return `[${shape.join(',')}]`;
}
