// loadMnist: the MNIST splits in the training-ready form the layers tests and the playground use (flat or image x, one-hot y).
import { tensor, type Tensor } from '@webdl/core';
import { gatherPixels, mnistSamples, type MnistLoadOptions } from './mnist.js';

/**
 * Training and test digits: images [n, 784] (or [n, 28, 28, 1]) in [0, 1], one-hot labels [n, 10] and integer labels [n].
 *
 * ```ts
 * const data: MnistData = await loadMnist({ train: 2000, test: 500 });
 * await model.fit(data.xTrain, data.yTrain, { epochs: 2, validationData: [data.xTest, data.yTest] });
 * ```
 */
export interface MnistData {
  xTrain: Tensor;
  yTrain: Tensor;
  labelsTrain: Tensor;
  xTest: Tensor;
  yTest: Tensor;
  labelsTest: Tensor;
}

/**
 * Options of loadMnist: those of mnist.load, and the image layout.
 *
 * ```ts
 * const options: MnistOptions = { train: 1000, test: 200, shape: 'image', seed: 1 };
 * const { xTrain } = await loadMnist(options); // [1000, 28, 28, 1]
 * ```
 */
export interface MnistOptions extends MnistLoadOptions {
  /** 'flat' gives [n, 784], 'image' gives [n, 28, 28, 1]. Default 'flat'. */
  shape?: 'flat' | 'image';
}

function toTensors(pixels: Uint8Array, labels: Int32Array, image: boolean): [Tensor, Tensor, Tensor] {
  const n = labels.length;
  const oneHot = new Float32Array(n * 10);
  labels.forEach((d, i) => (oneHot[i * 10 + d] = 1));
  const x = Float32Array.from(pixels, (v) => v / 255);
  return [
    tensor(x, image ? [n, 28, 28, 1] : [n, 784]),
    tensor(oneHot, [n, 10]),
    tensor(labels, [n], 'int32'),
  ];
}

/**
 * The same digits as `mnist.load` (the first train/10 of each digit for training, the next test/10
 * for testing, shuffled with a seed), as flat or image inputs with one-hot and integer labels.
 *
 * ```ts
 * const { xTrain, yTrain, xTest, yTest } = await loadMnist({ train: 8000, test: 2000 });
 * ```
 */
export async function loadMnist(options: MnistOptions = {}): Promise<MnistData> {
  const { shape = 'flat', ...rest } = options;
  const { digits, train, test } = await mnistSamples(rest);
  const image = shape === 'image';
  const tr = gatherPixels(digits, train);
  const te = gatherPixels(digits, test);
  const [xTrain, yTrain, labelsTrain] = toTensors(tr.pixels, tr.labels, image);
  const [xTest, yTest, labelsTest] = toTensors(te.pixels, te.labels, image);
  return { xTrain, yTrain, labelsTrain, xTest, yTest, labelsTest };
}
