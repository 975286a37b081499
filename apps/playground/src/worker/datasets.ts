// The 2-D datasets as flat typed arrays: two Gaussian blobs and a spiral (MNIST comes from webdl).
import type { DatasetName } from '../protocol.js';

/** A 2-D dataset as flat arrays: features and one-hot labels, split into training and validation. */
export interface PointsDataset {
  name: DatasetName;
  numClasses: number;
  trainX: Float32Array;
  trainY: Float32Array;
  valX: Float32Array;
  valY: Float32Array;
  /** The plotting window [xmin, xmax, ymin, ymax]. */
  extent: [number, number, number, number];
}

/** Small seeded generator (mulberry32) so every run of the playground sees the same data. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussian(rand: () => number): number {
  // Box-Muller; 1 - u keeps log away from 0.
  const u = 1 - rand();
  const v = rand();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/**
 * Two Gaussian clouds (the linear-classifier example): means [0, 3] and [3, 0], covariance
 * [[1, .5], [.5, 1]], `perClass` points each.
 */
export function blobs(perClass = 1000, seed = 1): { x: Float32Array; labels: Int32Array } {
  const rand = seededRandom(seed);
  const means = [
    [0, 3],
    [3, 0],
  ];
  // Cholesky factor of the covariance: L L^T = [[1, .5], [.5, 1]].
  const l10 = 0.5;
  const l11 = Math.sqrt(0.75);
  const x = new Float32Array(perClass * 2 * 2);
  const labels = new Int32Array(perClass * 2);
  for (let c = 0; c < 2; c++) {
    for (let i = 0; i < perClass; i++) {
      const k = c * perClass + i;
      const z0 = gaussian(rand);
      const z1 = gaussian(rand);
      x[2 * k] = means[c][0] + z0;
      x[2 * k + 1] = means[c][1] + l10 * z0 + l11 * z1;
      labels[k] = c;
    }
  }
  return { x, labels };
}

/** `arms` interleaved spiral arms of `perClass` noisy points each, radius up to 1. */
export function spiral(perClass = 300, arms = 3, seed = 2): { x: Float32Array; labels: Int32Array } {
  const rand = seededRandom(seed);
  const x = new Float32Array(perClass * arms * 2);
  const labels = new Int32Array(perClass * arms);
  for (let c = 0; c < arms; c++) {
    for (let i = 0; i < perClass; i++) {
      const k = c * perClass + i;
      const r = i / perClass;
      const theta = (c * 2 * Math.PI) / arms + r * 4 + gaussian(rand) * 0.2;
      x[2 * k] = r * Math.sin(theta);
      x[2 * k + 1] = r * Math.cos(theta);
      labels[k] = c;
    }
  }
  return { x, labels };
}

/** Shuffles samples (rows of `width` features) with their labels and splits off `valFraction`. */
export function splitDataset(
  x: Float32Array,
  labels: ArrayLike<number>,
  numClasses: number,
  valFraction: number,
  seed: number,
): Pick<PointsDataset, 'trainX' | 'trainY' | 'valX' | 'valY'> {
  const n = labels.length;
  const width = x.length / n;
  const order = Array.from({ length: n }, (_, i) => i);
  const rand = seededRandom(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const nVal = Math.round(n * valFraction);
  const take = (idx: number[]): [Float32Array, Float32Array] => {
    const xs = new Float32Array(idx.length * width);
    const ys = new Float32Array(idx.length * numClasses);
    idx.forEach((src, dst) => {
      xs.set(x.subarray(src * width, (src + 1) * width), dst * width);
      ys[dst * numClasses + labels[src]] = 1;
    });
    return [xs, ys];
  };
  const [trainX, trainY] = take(order.slice(nVal));
  const [valX, valY] = take(order.slice(0, nVal));
  return { trainX, trainY, valX, valY };
}

/** The bounding box of 2-D points, padded by 10% on each side. */
function extentOf(x: Float32Array): [number, number, number, number] {
  let [x0, x1, y0, y1] = [Infinity, -Infinity, Infinity, -Infinity];
  for (let i = 0; i < x.length; i += 2) {
    x0 = Math.min(x0, x[i]);
    x1 = Math.max(x1, x[i]);
    y0 = Math.min(y0, x[i + 1]);
    y1 = Math.max(y1, x[i + 1]);
  }
  const px = (x1 - x0) * 0.1;
  const py = (y1 - y0) * 0.1;
  return [x0 - px, x1 + px, y0 - py, y1 + py];
}

/** The 2-D datasets, generated with fixed seeds; 20% held out for validation. */
export function pointsDataset(name: Exclude<DatasetName, 'mnist'>): PointsDataset {
  const { x, labels } = name === 'blobs' ? blobs() : spiral();
  const numClasses = name === 'blobs' ? 2 : 3;
  return { name, numClasses, ...splitDataset(x, labels, numClasses, 0.2, 4), extent: extentOf(x) };
}
