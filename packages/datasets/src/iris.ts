// Fisher's iris flowers as tensors (150 samples, 4 features, 3 classes); the data is in the package, no download.
import { tensor, type Tensor } from '@webdl/core';
import { IRIS_CLASSES, IRIS_FEATURES, IRIS_LABELS } from './iris-data.js';

/**
 * The iris data: x [150, 4] float32 (sepal length, sepal width, petal length, petal width in cm),
 * y [150] int32 (0 setosa, 1 versicolor, 2 virginica), in the original order.
 *
 * ```ts
 * const { x, y, classNames } = iris.load();
 * ```
 */
export function load(): { x: Tensor; y: Tensor; classNames: string[] } {
  return {
    x: tensor(IRIS_FEATURES.flat(), [IRIS_FEATURES.length, 4]),
    y: tensor([...IRIS_LABELS], [IRIS_LABELS.length], 'int32'),
    classNames: [...IRIS_CLASSES],
  };
}
