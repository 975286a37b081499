// Fixed-length storage arrays for recorded jit replays: a binding declared `array<T, N>` instead of
// `array<T>` loads without a per-access buffer-length lookup (about 20% off a 4-input elementwise
// kernel on SwiftShader in Chromium), at the price of one pipeline per buffer size.

/** Bindings smaller than this stay runtime-sized: their loads are few, and every size is a pipeline. */
export const SIZED_MIN_BYTES = 1 << 16;

const ELEMENT_BYTES: Record<string, number> = { f32: 4, i32: 4, u32: 4 };
const DECLARATION =
  /@group\(0\) @binding\((\d+)\) var<storage, (read|read_write)> (\w+): array<((?:vec([234])<)?(f32|i32|u32)>?)>;/g;

/** A kernel's source with its large bindings sized, and the bytes each binding then needs. */
export interface SizedBindings {
  source: string;
  /** Per buffer (binding 1 onwards): the bytes the sized declaration requires, 0 where unsized. */
  needs: number[];
}

/**
 * Declares each storage binding of `source` whose buffer (`buffers[binding - 1]`) holds at least
 * `SIZED_MIN_BYTES` as a fixed-length array covering that buffer. Element types other than
 * f32/i32/u32 and their vectors (atomics, structs, aliases) stay runtime-sized, and so do bindings
 * of a source that takes `arrayLength` (it needs runtime-sized arrays).
 *
 * ```ts
 * const { source, needs } = sizeBindings(code, [outBuffer, inBuffer]);
 * // "var<storage, read> in0: array<vec4<f32>>;" -> "... array<vec4<f32>, 65536>;" for a 1 MiB buffer
 * ```
 */
export function sizeBindings(source: string, buffers: readonly GPUBuffer[]): SizedBindings {
  const needs = buffers.map(() => 0);
  if (source.includes('arrayLength')) return { source, needs };
  const sized = source.replace(
    DECLARATION,
    (
      decl: string,
      binding: string,
      mode: string,
      name: string,
      type: string,
      lanes?: string,
      scalar = 'f32',
    ) => {
      const k = Number(binding) - 1;
      const buffer = buffers[k];
      if (!buffer || buffer.size < SIZED_MIN_BYTES) return decl;
      const bytes = ELEMENT_BYTES[scalar] * (lanes ? Number(lanes === '3' ? 4 : lanes) : 1);
      const length = Math.floor(buffer.size / bytes);
      needs[k] = length * bytes;
      return `@group(0) @binding(${binding}) var<storage, ${mode}> ${name}: array<${type}, ${length}>;`;
    },
  );
  return { source: sized, needs };
}
