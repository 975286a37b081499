// Builds the playground's models (linear, mlp, cnn) from a ModelSpec with the layers API.
import type { Layer, Model } from 'webdl';
import type { ModelSpec } from '../protocol.js';

/** The `webdl` module, imported on demand by the worker. */
export type Webdl = typeof import('webdl');

/** Compiles for classification: categorical cross-entropy on softmax outputs, accuracy. */
export function compileModel(
  dl: Webdl,
  model: Model,
  { optimizer, learningRate }: Pick<ModelSpec, 'optimizer' | 'learningRate'>,
): void {
  model.compile({
    optimizer: dl.optimizers.getOptimizer(optimizer, { learningRate }),
    loss: 'categorical_crossentropy',
    metrics: ['accuracy'],
  });
}

/**
 * A compiled model for the spec with softmax outputs over `numClasses`. Throws (in the worker, so
 * the page shows it) when the model cannot take the dataset's input, e.g. a cnn on 2-D points.
 *
 * ```ts
 * const dl = await import('webdl');
 * const model = buildModel(dl, { kind: 'mlp', inputShape: [2], numClasses: 3, optimizer: 'adam', learningRate: 0.01 });
 * ```
 */
export function buildModel(dl: Webdl, spec: ModelSpec): Model {
  const { layers } = dl;
  const { inputShape, numClasses } = spec;
  const isImage = inputShape.length === 3;
  const stack: Layer[] = [];
  switch (spec.kind) {
    case 'linear':
      stack.push(new layers.Flatten({ inputShape }));
      break;
    case 'mlp':
      stack.push(new layers.Flatten({ inputShape }));
      // Points need depth for the spiral's curls; digits need width.
      for (const units of isImage ? [128] : [32, 32])
        stack.push(new layers.Dense(units, { activation: 'relu' }));
      break;
    case 'cnn':
      if (!isImage) {
        throw new Error(
          `cnn needs image input (height × width × channels); this dataset has samples of shape [${inputShape}]`,
        );
      }
      stack.push(
        new layers.Conv2D(8, 3, { activation: 'relu', inputShape }),
        new layers.MaxPooling2D(2),
        new layers.Conv2D(16, 3, { activation: 'relu' }),
        new layers.MaxPooling2D(2),
        new layers.Flatten(),
      );
      break;
  }
  stack.push(new layers.Dense(numClasses, { activation: 'softmax' }));
  const model = new dl.Sequential(stack);
  compileModel(dl, model, spec);
  return model;
}
