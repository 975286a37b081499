// 28x28 grey image sets of ten classes (MNIST digits, Fashion-MNIST clothes) from a compact asset: uint8 pixels,
// gzipped, read from disk in Node and fetched lazily in browsers; seeded class-balanced train/test splits.
import { tensor, type Tensor } from '@webdl/core';
import { readAsset } from './asset.js';

/**
 * One split: images x [n, 28, 28] float32 in [0, 1], labels y [n] int32.
 *
 * ```ts
 * const { train }: { train: ImageSplit } = await fashionMnist.load({ train: 1000 });
 * train.y.shape; // [1000], int32 labels
 * ```
 */
export interface ImageSplit {
  x: Tensor;
  y: Tensor;
}

/**
 * Options of `load` (mnist, fashionMnist).
 *
 * ```ts
 * const options: ImageSetLoadOptions = { train: 2000, test: 500, seed: 1 };
 * const { train, test } = await fashionMnist.load(options);
 * ```
 */
export interface ImageSetLoadOptions {
  /** Training images, spread evenly over the ten classes (default 8000). */
  train?: number;
  /** Test images requested from those left, spread evenly (default 2000; MNIST has fewer left of some digits: 1,756). */
  test?: number;
  /** Seed of each split's shuffle (default 0: the same order on every run). */
  seed?: number;
  /** Where to fetch the asset in a browser (default: the package's own asset beside its code). */
  url?: string | URL;
}

/** Which set: the name its errors use, the asset's first four bytes, and where the asset lies. */
export interface ImageSetSpec {
  name: string;
  magic: string;
  asset: URL;
}

const PIXELS = 784;

/** The decoded asset: each class's images in package order. */
export interface ClassImages {
  counts: number[];
  offsets: number[];
  bytes: Uint8Array;
}

const cache = new Map<string, Promise<ClassImages>>();

function decode(spec: ImageSetSpec, bytes: Uint8Array): ClassImages {
  const magic = String.fromCharCode(...bytes.subarray(0, 4));
  if (magic !== spec.magic)
    throw new Error(`${spec.name}.load: the asset is not a webdl ${spec.name} file (starts with '${magic}')`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, 44);
  const counts = [...Array(10).keys()].map((d) => view.getUint32(4 + 4 * d, true));
  const offsets: number[] = [];
  let o = 44;
  for (const c of counts) {
    offsets.push(o);
    o += c * PIXELS;
  }
  if (o !== bytes.length)
    throw new Error(`${spec.name}.load: the asset has ${bytes.length} bytes, its header says ${o}`);
  return { counts, offsets, bytes };
}

function classImages(spec: ImageSetSpec, url?: string | URL): Promise<ClassImages> {
  if (url !== undefined) return readAsset(url).then((b) => decode(spec, b));
  const key = spec.asset.href;
  let pending = cache.get(key);
  if (!pending) {
    pending = readAsset(spec.asset).then(
      (b) => decode(spec, b),
      (e: unknown) => {
        cache.delete(key);
        throw e;
      },
    );
    cache.set(key, pending);
  }
  return pending;
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

/** The split's samples as [class, index within the class] pairs: the first train/10 of each class, then the next test/10. */
export async function imageSamples(
  spec: ImageSetSpec,
  options: ImageSetLoadOptions,
): Promise<{ images: ClassImages; train: [number, number][]; test: [number, number][] }> {
  const { train = 8000, test = 2000, seed = 0 } = options;
  for (const [name, v] of [
    ['train', train],
    ['test', test],
  ] as const)
    if (!(Number.isInteger(v) && v >= 10 && v <= 10000))
      throw new Error(`${spec.name}.load: ${name} must be an integer in [10, 10000], got ${v}`);
  const images = await classImages(spec, options.url);
  const perTrain = Math.floor(train / 10);
  const perTest = Math.floor(test / 10);
  const minCount = Math.min(...images.counts);
  if (perTrain >= minCount)
    throw new Error(
      `${spec.name}.load: train ${train} leaves no test images (the smallest class has ${minCount})`,
    );
  const trainSet: [number, number][] = [];
  const testSet: [number, number][] = [];
  for (let c = 0; c < 10; c++) {
    for (let i = 0; i < perTrain; i++) trainSet.push([c, i]);
    for (let i = perTrain; i < Math.min(perTrain + perTest, images.counts[c]); i++) testSet.push([c, i]);
  }
  return { images, train: shuffled(trainSet, seed), test: shuffled(testSet, seed + 1) };
}

/** Pixels (uint8) and labels of the listed samples. */
export function gatherPixels(
  d: ClassImages,
  samples: [number, number][],
): { pixels: Uint8Array; labels: Int32Array } {
  const pixels = new Uint8Array(samples.length * PIXELS);
  const labels = new Int32Array(samples.length);
  samples.forEach(([c, i], k) => {
    const start = d.offsets[c] + i * PIXELS;
    pixels.set(d.bytes.subarray(start, start + PIXELS), k * PIXELS);
    labels[k] = c;
  });
  return { pixels, labels };
}

function split(d: ClassImages, samples: [number, number][]): ImageSplit {
  const { pixels, labels } = gatherPixels(d, samples);
  const x = Float32Array.from(pixels, (v) => v / 255);
  return { x: tensor(x, [samples.length, 28, 28]), y: tensor(labels, [samples.length], 'int32') };
}

/**
 * A training and a test split of an image set, each shuffled with a seed.
 *
 * ```ts
 * const { train, test } = await loadImageSet(spec, { train: 8000, test: 2000 });
 * ```
 */
export async function loadImageSet(
  spec: ImageSetSpec,
  options: ImageSetLoadOptions = {},
): Promise<{ train: ImageSplit; test: ImageSplit }> {
  const { images, train, test } = await imageSamples(spec, options);
  return { train: split(images, train), test: split(images, test) };
}
