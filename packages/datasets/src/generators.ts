// Small synthetic 2-D classification sets, generated from a seed: Gaussian blobs, two moons, spirals.
import { tensor, type Tensor } from '@webdl/core';

/**
 * Points x [n, 2] float32 and class labels y [n] int32.
 *
 * ```ts
 * const { x, y }: PointSet = twoMoons({ n: 200, noise: 0.1, seed: 1 }); // x [200, 2], y [200]
 * ```
 */
export interface PointSet {
  x: Tensor;
  y: Tensor;
}

/**
 * Options shared by the generators.
 *
 * ```ts
 * const options: GeneratorOptions = { n: 300, noise: 0.2, seed: 7 };
 * spirals({ ...options, classes: 3 });
 * ```
 */
export interface GeneratorOptions {
  /** Number of points (default 200). */
  n?: number;
  /** Standard deviation of the Gaussian noise added to each coordinate. */
  noise?: number;
  /** Seed (default 0: the same points on every run). */
  seed?: number;
}

/** mulberry32 uniforms and Box-Muller normals from one seed. */
function rng(seed: number): { uniform: () => number; normal: () => number } {
  let s = seed >>> 0;
  const uniform = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = (): number => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
  return { uniform, normal };
}

function checked(fn: string, o: GeneratorOptions, noise: number): { n: number; noise: number; seed: number } {
  const n = o.n ?? 200;
  if (!(Number.isInteger(n) && n > 0)) throw new Error(`${fn}: n must be a positive integer, got ${n}`);
  const nz = o.noise ?? noise;
  if (!(nz >= 0)) throw new Error(`${fn}: noise must be >= 0, got ${nz}`);
  return { n, noise: nz, seed: o.seed ?? 0 };
}

function pack(points: number[], labels: number[]): PointSet {
  return { x: tensor(points, [labels.length, 2]), y: tensor(labels, [labels.length], 'int32') };
}

/**
 * Gaussian blobs around `centers` (default two at (-1, -1) and (1, 1)), point i in class i mod k.
 *
 * ```ts
 * const { x, y } = blobs({ n: 100, centers: [[0, 0], [3, 3]], noise: 0.5, seed: 1 });
 * ```
 */
export function blobs(options: GeneratorOptions & { centers?: [number, number][] } = {}): PointSet {
  const { n, noise, seed } = checked('blobs', options, 0.5);
  const centers = options.centers ?? [
    [-1, -1],
    [1, 1],
  ];
  if (centers.length === 0) throw new Error('blobs: centers must not be empty');
  const r = rng(seed);
  const points: number[] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const k = i % centers.length;
    points.push(centers[k][0] + noise * r.normal(), centers[k][1] + noise * r.normal());
    labels.push(k);
  }
  return pack(points, labels);
}

/**
 * Two interleaving half circles (scikit-learn's make_moons): class 0 the upper arc, class 1 the lower.
 *
 * ```ts
 * const { x, y } = twoMoons({ n: 200, noise: 0.1, seed: 0 });
 * ```
 */
export function twoMoons(options: GeneratorOptions = {}): PointSet {
  const { n, noise, seed } = checked('twoMoons', options, 0.1);
  const r = rng(seed);
  const points: number[] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const k = i % 2;
    const t = Math.PI * r.uniform();
    const [px, py] = k === 0 ? [Math.cos(t), Math.sin(t)] : [1 - Math.cos(t), 0.5 - Math.sin(t)];
    points.push(px + noise * r.normal(), py + noise * r.normal());
    labels.push(k);
  }
  return pack(points, labels);
}

/**
 * Interleaved spiral arms, one per class (default 3), each turning once around the origin out to radius 1.
 *
 * ```ts
 * const { x, y } = spirals({ n: 300, classes: 3, noise: 0.05 });
 * ```
 */
export function spirals(options: GeneratorOptions & { classes?: number } = {}): PointSet {
  const { n, noise, seed } = checked('spirals', options, 0.05);
  const classes = options.classes ?? 3;
  if (!(Number.isInteger(classes) && classes >= 2))
    throw new Error(`spirals: classes must be an integer >= 2, got ${classes}`);
  const r = rng(seed);
  const points: number[] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const k = i % classes;
    const radius = r.uniform();
    const angle = (2 * Math.PI * k) / classes + 2 * Math.PI * radius;
    points.push(radius * Math.cos(angle) + noise * r.normal(), radius * Math.sin(angle) + noise * r.normal());
    labels.push(k);
  }
  return pack(points, labels);
}
