// The seeded random kernel: the same counter-based PCG numbers as core's CPU backend.
import { f32Bits, groups1d, shaderSource, type GpuData, type KernelContext } from '../kernel-context.js';

const WG = 128;

/** `size` float32 values: uniform in [a, b) or normal with mean a and standard deviation b. */
export function random(
  ctx: KernelContext,
  kind: 'uniform' | 'normal',
  size: number,
  seed: number,
  a: number,
  b: number,
): GpuData {
  const out = ctx.alloc(size, 'float32');
  if (size === 0) return out;
  ctx.run({
    label: `random ${kind} [${size}] seed ${seed}`,
    source: shaderSource('random'),
    constants: { NORMAL: kind === 'normal' ? 1 : 0 },
    buffers: [out.buffer],
    params: [size, seed >>> 0, f32Bits(a), f32Bits(b)],
    groups: groups1d(size, WG, ctx.maxGroups),
  });
  return out;
}
