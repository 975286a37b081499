// Deterministic inputs for every case and CPU reference checks on sampled output elements.
import type { F32, TrainBatch } from './types.ts';

/** A small seeded generator (mulberry32) so every library gets identical inputs. */
export function makeRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `size` floats uniform in [lo, hi). */
export function uniform(size: number, seed: number, lo = -1, hi = 1): F32 {
  const rand = makeRandom(seed);
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) out[i] = lo + (hi - lo) * rand();
  return out;
}

/** A batch of random "images" and one-hot labels for the training steps. */
export function trainBatch(batch: number, seed: number): TrainBatch {
  const x = uniform(batch * 784, seed, 0, 1);
  const y = new Float32Array(batch * 10);
  const rand = makeRandom(seed + 1);
  for (let i = 0; i < batch; i++) y[i * 10 + Math.floor(rand() * 10)] = 1;
  return { x, y, batch };
}

/** Geometry of the conv2d case (NHWC input, HWIO filter, stride 1, 'same'). */
export const CONV = { n: 64, h: 28, w: 28, cin: 32, cout: 64, k: 3 } as const;

const SAMPLES = 64;

/** Compares sampled entries with a float64 reference; returns a description of the first miss, or null. */
function checkSamples(
  out: F32,
  expectedLength: number,
  reference: (index: number) => { value: number; scale: number },
  tolerance: number,
): string | null {
  if (out.length !== expectedLength) return `output has ${out.length} values, expected ${expectedLength}`;
  const rand = makeRandom(12345);
  for (let s = 0; s < SAMPLES; s++) {
    const index = Math.floor(rand() * expectedLength);
    const { value, scale } = reference(index);
    const got = out[index];
    if (!(Math.abs(got - value) <= tolerance * (scale + 1e-3))) {
      return `element ${index}: got ${got}, expected ${value.toPrecision(6)}`;
    }
  }
  return null;
}

/** Checks `a @ b` (row-major `[n, n]`) on sampled entries. */
export function checkMatmul(n: number, a: F32, b: F32, out: F32): string | null {
  return checkSamples(
    out,
    n * n,
    (index) => {
      const i = Math.floor(index / n);
      const j = index % n;
      let value = 0;
      let scale = 0;
      for (let k = 0; k < n; k++) {
        const p = a[i * n + k] * b[k * n + j];
        value += p;
        scale += Math.abs(p);
      }
      return { value, scale };
    },
    1e-4,
  );
}

/** Checks the NHWC 'same' convolution on sampled entries. */
export function checkConv(x: F32, w: F32, out: F32): string | null {
  const { n, h, w: width, cin, cout, k } = CONV;
  const pad = (k - 1) / 2;
  return checkSamples(
    out,
    n * h * width * cout,
    (index) => {
      const co = index % cout;
      const ox = Math.floor(index / cout) % width;
      const oy = Math.floor(index / (cout * width)) % h;
      const b = Math.floor(index / (cout * width * h));
      let value = 0;
      let scale = 0;
      for (let ky = 0; ky < k; ky++) {
        const iy = oy + ky - pad;
        if (iy < 0 || iy >= h) continue;
        for (let kx = 0; kx < k; kx++) {
          const ix = ox + kx - pad;
          if (ix < 0 || ix >= width) continue;
          for (let ci = 0; ci < cin; ci++) {
            const p = x[((b * h + iy) * width + ix) * cin + ci] * w[((ky * k + kx) * cin + ci) * cout + co];
            value += p;
            scale += Math.abs(p);
          }
        }
      }
      return { value, scale };
    },
    1e-4,
  );
}

/** Checks `sigmoid(relu(x * a + b)) * c` on sampled entries. */
export function checkChain(x: F32, a: F32, b: F32, c: F32, out: F32): string | null {
  return checkSamples(
    out,
    x.length,
    (i) => {
      const t = Math.max(0, x[i] * a[i] + b[i]);
      return { value: c[i] / (1 + Math.exp(-t)), scale: Math.abs(c[i]) };
    },
    1e-4,
  );
}

/** Checks that a training loss is a finite, plausible cross-entropy. */
export function checkLoss(loss: number): string | null {
  return Number.isFinite(loss) && loss >= 0 && loss < 100 ? null : `loss is ${loss}`;
}
