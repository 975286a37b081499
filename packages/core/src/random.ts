// The counter-based generator behind randomUniform/randomNormal: value i depends only on (seed, i),
// so every backend (the WGSL port in shaders/random.wgsl) produces the same numbers.

/**
 * PCG-style 32-bit hash (Jarzynski & Olano, "Hash Functions for GPU Rendering", 2020).
 *
 * ```ts
 * pcgHash(1) !== pcgHash(2); // true: nearby counters give unrelated bits
 * ```
 */
export function pcgHash(v: number): number {
  const state = (Math.imul(v >>> 0, 747796405) + 2891336453) >>> 0;
  const word = Math.imul(((state >>> (((state >>> 28) + 4) >>> 0)) ^ state) >>> 0, 277803737) >>> 0;
  return ((word >>> 22) ^ word) >>> 0;
}

/**
 * 32 random bits for counter i under a seed.
 *
 * ```ts
 * randomBits(42, 0); // 32 random bits, the same on every backend and run
 * ```
 */
export function randomBits(seed: number, i: number): number {
  return pcgHash((i ^ pcgHash(seed >>> 0)) >>> 0);
}

/**
 * Uniform in [0, 1) from the top 24 bits (exact in float32).
 *
 * ```ts
 * uniformAt(42, 7); // in [0, 1): the 8th uniform of seed 42
 * ```
 */
export function uniformAt(seed: number, i: number): number {
  return (randomBits(seed, i) >>> 8) * 5.960464477539063e-8;
}

/**
 * Standard normal by Box–Muller on counters 2i and 2i+1; u1 is kept in (0, 1].
 *
 * ```ts
 * normalAt(42, 7); // the 8th standard normal of seed 42
 * ```
 */
export function normalAt(seed: number, i: number): number {
  const u1 = ((randomBits(seed, 2 * i) >>> 8) + 1) * 5.960464477539063e-8;
  const u2 = (randomBits(seed, 2 * i + 1) >>> 8) * 5.960464477539063e-8;
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}
