// Host scalars as kernel parameters: a storage binding of a 1-element float32 tensor whose value the
// host wrote (jit's constants: Adam's bias-corrected rate, 1 - beta, epsilon) is read from the
// dispatch's uniform parameter slot instead, which frees a storage binding (Chromium allows 8 to 10
// per kernel) and a load per element in a matmul's epilogue.
import { PARAM_WORDS } from './command-queue.js';

/**
 * The f32 bits of the 1-element float32 buffers the host wrote, while their contents are exactly
 * that (an in-place write into one, or its release, removes it).
 */
export const hostScalars = new WeakMap<GPUBuffer, number>();

/** The f32 bits of a 1-element float32 array. */
export const f32Bits = (v: Float32Array): number => new Uint32Array(v.buffer, v.byteOffset, 1)[0];

/** A dispatch with some storage bindings turned into parameter words. */
export interface ScalarParams {
  source: string;
  buffers: GPUBuffer[];
  params: number[];
  /** Per converted binding: the parameter word holding it and the buffer it came from. */
  words: [number, GPUBuffer][];
}

const DECL = /@group\(0\) @binding\((\d+)\) var<storage, read> (\w+): array<f32>;\n?/g;
const BINDING = /@group\(0\) @binding\((\d+)\)/g;

/** Per source and converted bindings: the rewritten source and the kept bindings (1-based). */
const REWRITES = new Map<string, Map<string, { source: string; kept: number[] }>>();
const MAX_REWRITES = 512;

/**
 * Turns each read-only `array<f32>` binding of `source` whose buffer `use` accepts (a host scalar),
 * and which the source reads only as `name[0u]`, into a read of parameter word `params.length + j`
 * (`pf(w)`), renumbering the other bindings; null when none converts.
 *
 * ```ts
 * const s = scalarParams(source, buffers, [n], (b) => hostScalars.has(b));
 * if (s) run({ ...spec, source: s.source, buffers: s.buffers, params: s.params });
 * ```
 */
export function scalarParams(
  source: string,
  buffers: readonly GPUBuffer[],
  params: readonly number[],
  use: (b: GPUBuffer) => boolean,
): ScalarParams | null {
  const wanted = buffers.flatMap((b, j) => (use(b) && hostScalars.has(b) ? [j + 1] : []));
  if (wanted.length === 0 || !source.includes('fn pf(')) return null;
  let bySource = REWRITES.get(source);
  if (!bySource) {
    if (REWRITES.size >= MAX_REWRITES) REWRITES.clear();
    REWRITES.set(source, (bySource = new Map()));
  }
  const key = `${params.length}|${wanted.join()}`;
  let rw = bySource.get(key);
  if (!rw) bySource.set(key, (rw = rewrite(source, buffers.length, wanted, params.length)));
  if (rw.kept.length === buffers.length) return null;
  const kept = new Set(rw.kept);
  const words: [number, GPUBuffer][] = [];
  const out = [...params];
  buffers.forEach((b, j) => {
    if (kept.has(j + 1)) return;
    words.push([out.length, b]);
    out.push(hostScalars.get(b) as number);
  });
  return { source: rw.source, buffers: rw.kept.map((k) => buffers[k - 1]), params: out, words };
}

function rewrite(
  source: string,
  count: number,
  wanted: readonly number[],
  used: number,
): { source: string; kept: number[] } {
  const names = new Map<number, string>();
  for (const m of source.matchAll(DECL)) names.set(Number(m[1]), m[2]);
  let out = source;
  const moved = new Set<number>();
  for (const k of wanted) {
    const name = names.get(k);
    if (name === undefined || used + moved.size >= PARAM_WORDS) continue;
    const reads = out.replaceAll(`${name}[0u]`, `pf(${used + moved.size}u)`);
    // Converted only where every other use is gone (the declaration remains).
    if (reads.split(new RegExp(`\\b${name}\\b`)).length !== 2) continue;
    out = reads;
    moved.add(k);
  }
  out = out.replace(DECL, (decl, k: string) => (moved.has(Number(k)) ? '' : decl));
  const kept = Array.from({ length: count }, (_, j) => j + 1).filter((k) => !moved.has(k));
  const index = new Map(kept.map((k, j) => [k, j + 1]));
  out = out.replace(BINDING, (b, k: string) =>
    k === '0' ? b : `@group(0) @binding(${index.get(Number(k)) ?? k})`,
  );
  return { source: out, kept };
}
