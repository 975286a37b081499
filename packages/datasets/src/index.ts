// @webdl/datasets: datasets on demand for webdl (MNIST digits, Fashion-MNIST clothes, iris, 2-D generators), kept out of webdl so no data ships inside it.
/**
 * MNIST digits.
 *
 * ```ts
 * const { train, test } = await mnist.load();
 * ```
 */
export * as mnist from './mnist-api.js';
/**
 * Fashion-MNIST clothes (ten classes, 28x28 grey).
 *
 * ```ts
 * const { train, test } = await fashionMnist.load();
 * ```
 */
export * as fashionMnist from './fashion-mnist.js';
/**
 * Fisher's iris flowers.
 *
 * ```ts
 * const { x, y, classNames } = iris.load();
 * ```
 */
export * as iris from './iris.js';
export { blobs, twoMoons, spirals, type PointSet, type GeneratorOptions } from './generators.js';
export { loadMnist, type MnistData, type MnistOptions } from './load-mnist.js';
export type { MnistSplit, MnistLoadOptions } from './mnist.js';
export type { ImageSplit, ImageSetLoadOptions } from './image-set.js';
