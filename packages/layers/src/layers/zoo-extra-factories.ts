// TF.js-style lower-case factories of the zoo-extra layers (`layers.reLU({ maxValue: 6 })`, `layers.separableConv2d(...)`).
import { factory } from './factories.js';
// The classes come from zoo-extra.ts's exports, so the list lives there only.
import * as extra from './zoo-extra.js';

/**
 * `layers.reLU({ maxValue: 6 })` is `new layers.ReLU({ maxValue: 6 })`; the others likewise.
 *
 * ```ts
 * const a = input({ shape: [4] });
 * const b = input({ shape: [4] });
 * layers.average().apply([a, b]); // elementwise mean, shape [null, 4]
 * ```
 */
export const average = factory(extra.Average);

/**
 * `keras.layers.AveragePooling1D` as a function.
 *
 * ```ts
 * layers.averagePooling1d({ poolSize: 2 }).apply(zeros([2, 10, 4])); // shape [2, 5, 4]
 * ```
 */
export const averagePooling1d = factory(extra.AveragePooling1D);

/**
 * `keras.layers.CenterCrop` as a function.
 *
 * ```ts
 * layers.centerCrop({ height: 24, width: 24 }).apply(zeros([1, 32, 32, 3])); // shape [1, 24, 24, 3]
 * ```
 */
export const centerCrop = factory(extra.CenterCrop);

/**
 * `keras.layers.Cropping2D` as a function.
 *
 * ```ts
 * layers.cropping2D({ cropping: [[2, 2], [4, 4]] }).apply(zeros([1, 28, 28, 1])); // shape [1, 24, 20, 1]
 * ```
 */
export const cropping2D = factory(extra.Cropping2D);

/**
 * `keras.layers.Dot` as a function.
 *
 * ```ts
 * const a = input({ shape: [8] });
 * const b = input({ shape: [8] });
 * layers.dot({ axes: 1, normalize: true }).apply([a, b]); // cosine similarity, shape [null, 1]
 * ```
 */
export const dot = factory(extra.Dot);

/**
 * `keras.layers.ELU` as a function.
 *
 * ```ts
 * layers.elu({ alpha: 1 }).apply(tensor([-1, 2])); // [e^-1 - 1, 2]
 * ```
 */
export const elu = factory(extra.ELU);

/**
 * `keras.layers.GaussianDropout` as a function.
 *
 * ```ts
 * layers.gaussianDropout({ rate: 0.2 }).apply(ones([2, 4]), { training: true });
 * ```
 */
export const gaussianDropout = factory(extra.GaussianDropout);

/**
 * `keras.layers.GaussianNoise` as a function.
 *
 * ```ts
 * layers.gaussianNoise({ stddev: 0.1 }).apply(ones([2, 4]), { training: true });
 * ```
 */
export const gaussianNoise = factory(extra.GaussianNoise);

/**
 * `keras.layers.GlobalAveragePooling1D` as a function.
 *
 * ```ts
 * layers.globalAveragePooling1d().apply(zeros([2, 10, 4])); // shape [2, 4]
 * ```
 */
export const globalAveragePooling1d = factory(extra.GlobalAveragePooling1D);

/**
 * `keras.layers.GlobalMaxPooling1D` as a function.
 *
 * ```ts
 * layers.globalMaxPooling1d().apply(zeros([2, 10, 4])); // shape [2, 4]
 * ```
 */
export const globalMaxPooling1d = factory(extra.GlobalMaxPooling1D);

/**
 * `keras.layers.GlobalMaxPooling2D` as a function.
 *
 * ```ts
 * layers.globalMaxPooling2d().apply(zeros([2, 7, 7, 64])); // shape [2, 64]
 * ```
 */
export const globalMaxPooling2d = factory(extra.GlobalMaxPooling2D);

/**
 * `keras.layers.GroupNormalization` as a function.
 *
 * ```ts
 * layers.groupNormalization({ groups: 4 }).apply(randomNormal([2, 8, 8, 16]));
 * ```
 */
export const groupNormalization = factory(extra.GroupNormalization);

/**
 * `keras.layers.Identity` as a function.
 *
 * ```ts
 * layers.identity().apply(tensor([1, 2])); // [1, 2]
 * ```
 */
export const identity = factory(extra.Identity);

/**
 * `keras.layers.LeakyReLU` as a function.
 *
 * ```ts
 * layers.leakyReLU({ negativeSlope: 0.2 }).apply(tensor([-1, 2])); // [-0.2, 2]
 * ```
 */
export const leakyReLU = factory(extra.LeakyReLU);

/**
 * `keras.layers.Masking` as a function.
 *
 * ```ts
 * layers.masking({ maskValue: 0 }).apply(zeros([2, 5, 3])); // steps that are all 0 are masked downstream
 * ```
 */
export const masking = factory(extra.Masking);

/**
 * `keras.layers.Maximum` as a function.
 *
 * ```ts
 * layers.maximum().apply([tensor([1, 5]), tensor([3, 2])]); // [3, 5]
 * ```
 */
export const maximum = factory(extra.Maximum);

/**
 * `keras.layers.MaxPooling1D` as a function.
 *
 * ```ts
 * layers.maxPooling1d({ poolSize: 2 }).apply(zeros([2, 10, 4])); // shape [2, 5, 4]
 * ```
 */
export const maxPooling1d = factory(extra.MaxPooling1D);

/**
 * `keras.layers.Minimum` as a function.
 *
 * ```ts
 * layers.minimum().apply([tensor([1, 5]), tensor([3, 2])]); // [1, 2]
 * ```
 */
export const minimum = factory(extra.Minimum);

/**
 * `keras.layers.Multiply` as a function.
 *
 * ```ts
 * layers.multiply().apply([tensor([1, 5]), tensor([3, 2])]); // [3, 10]
 * ```
 */
export const multiply = factory(extra.Multiply);

/**
 * `keras.layers.Normalization` as a function.
 *
 * ```ts
 * const norm = layers.normalization();
 * norm.adapt(x); // per-feature mean and variance
 * ```
 */
export const normalization = factory(extra.Normalization);

/**
 * `keras.layers.Permute` as a function.
 *
 * ```ts
 * layers.permute({ dims: [2, 1] }).apply(zeros([4, 10, 3])); // shape [4, 3, 10]
 * ```
 */
export const permute = factory(extra.Permute);

/**
 * `keras.layers.PReLU` as a function.
 *
 * ```ts
 * layers.prelu().apply(tensor([[-1, 2]])); // the negative slope is learned (starts at 0)
 * ```
 */
export const prelu = factory(extra.PReLU);

/**
 * `keras.layers.RandomFlip` as a function.
 *
 * ```ts
 * layers.randomFlip({ mode: 'horizontal', seed: 1 }).apply(images, { training: true });
 * ```
 */
export const randomFlip = factory(extra.RandomFlip);

/**
 * `keras.layers.RandomRotation` as a function.
 *
 * ```ts
 * layers.randomRotation({ factor: 0.1 }).apply(images, { training: true }); // up to ±36°
 * ```
 */
export const randomRotation = factory(extra.RandomRotation);

/**
 * `keras.layers.RandomTranslation` as a function.
 *
 * ```ts
 * layers.randomTranslation({ heightFactor: 0.1, widthFactor: 0.1 }).apply(images, { training: true });
 * ```
 */
export const randomTranslation = factory(extra.RandomTranslation);

/**
 * `keras.layers.RandomZoom` as a function.
 *
 * ```ts
 * layers.randomZoom({ heightFactor: 0.2 }).apply(images, { training: true });
 * ```
 */
export const randomZoom = factory(extra.RandomZoom);

/**
 * `keras.layers.ReLU` as a function.
 *
 * ```ts
 * layers.reLU({ maxValue: 6 }).apply(tensor([-1, 3, 9])); // [0, 3, 6]
 * ```
 */
export const reLU = factory(extra.ReLU);

/**
 * `keras.layers.RepeatVector` as a function.
 *
 * ```ts
 * layers.repeatVector({ n: 3 }).apply(zeros([2, 8])); // shape [2, 3, 8]
 * ```
 */
export const repeatVector = factory(extra.RepeatVector);

/**
 * `keras.layers.Rescaling` as a function.
 *
 * ```ts
 * layers.rescaling({ scale: 1 / 255 }).apply(images); // pixel values into [0, 1]
 * ```
 */
export const rescaling = factory(extra.Rescaling);

/**
 * `keras.layers.Resizing` as a function.
 *
 * ```ts
 * layers.resizing({ height: 64, width: 64 }).apply(zeros([1, 128, 128, 3])); // shape [1, 64, 64, 3]
 * ```
 */
export const resizing = factory(extra.Resizing);

/**
 * `keras.layers.SeparableConv2D` as a function.
 *
 * ```ts
 * layers.separableConv2d({ filters: 16, kernelSize: 3, padding: 'same' }).apply(zeros([1, 28, 28, 8])); // [1, 28, 28, 16]
 * ```
 */
export const separableConv2d = factory(extra.SeparableConv2D);

/**
 * `keras.layers.Softmax` as a function.
 *
 * ```ts
 * layers.softmax().apply(tensor([[1, 2, 3]])); // each row sums to 1
 * ```
 */
export const softmax = factory(extra.Softmax);

/**
 * `keras.layers.SpatialDropout2D` as a function.
 *
 * ```ts
 * layers.spatialDropout2d({ rate: 0.2 }).apply(ones([1, 8, 8, 16]), { training: true }); // whole channels dropped
 * ```
 */
export const spatialDropout2d = factory(extra.SpatialDropout2D);

/**
 * `keras.layers.Subtract` as a function.
 *
 * ```ts
 * layers.subtract().apply([tensor([5, 5]), tensor([1, 2])]); // [4, 3]
 * ```
 */
export const subtract = factory(extra.Subtract);

/**
 * `keras.layers.TimeDistributed` as a function.
 *
 * ```ts
 * layers.timeDistributed({ layer: layers.dense({ units: 4 }) }).apply(zeros([2, 10, 8])); // shape [2, 10, 4]
 * ```
 */
export const timeDistributed = factory(extra.TimeDistributed);

/**
 * `keras.layers.UnitNormalization` as a function.
 *
 * ```ts
 * layers.unitNormalization().apply(tensor([[3, 4]])); // [[0.6, 0.8]]
 * ```
 */
export const unitNormalization = factory(extra.UnitNormalization);
