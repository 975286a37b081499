// @webdl/layers: Keras-like layers, models (Sequential, functional, subclassed), training, optimizers, losses, metrics, callbacks, save/load.
/**
 * All layer classes: `new layers.Dense(10)`, `new layers.Conv2D(32, 3)`, ...
 *
 * ```ts
 * const model = sequential({ layers: [layers.dense({ units: 16, activation: 'relu', inputShape: [4] }), layers.dense({ units: 3 })] });
 * new layers.Conv2D(32, 3); // the classes work too: new layers.Dense(10), ...
 * ```
 */
export * as layers from './layers/all.js';
/**
 * Optimizers and learning-rate schedules: `new optimizers.Adam({ learningRate: 1e-3 })`.
 *
 * ```ts
 * model.compile({ optimizer: new optimizers.Adam({ learningRate: 1e-3 }), loss: 'mse' });
 * ```
 */
export * as optimizers from './optimizers/index.js';
/**
 * Loss functions and classes: `losses.categoricalCrossentropy(yTrue, yPred)`, `new losses.Huber()`.
 *
 * ```ts
 * model.compile({ optimizer: 'adam', loss: new losses.Huber({ delta: 2 }) });
 * losses.meanSquaredError(tensor([[1, 2]]), tensor([[1, 4]])); // [2]
 * ```
 */
export * as losses from './losses.js';
/**
 * Metrics: `new metrics.AUC()`, `metrics.categoricalAccuracy(yTrue, yPred)`.
 *
 * ```ts
 * model.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['accuracy', new metrics.AUC()] });
 * ```
 */
export * as metrics from './metrics.js';
/**
 * Callbacks: `new callbacks.EarlyStopping({ patience: 2 })`.
 *
 * ```ts
 * await model.fit(x, y, { epochs: 50, validationSplit: 0.2, callbacks: [new callbacks.EarlyStopping({ patience: 3 })] });
 * ```
 */
export * as callbacks from './callbacks.js';
/**
 * Initializers: `new initializers.HeNormal()`, `initializers.getInitializer('glorot_uniform')`.
 *
 * ```ts
 * new layers.Dense(10, { kernelInitializer: new initializers.HeNormal({ seed: 1 }), biasInitializer: 'zeros' });
 * ```
 */
export * as initializers from './initializers.js';
/**
 * Activation functions by name: `activations.getActivation('relu')`.
 *
 * ```ts
 * const gelu = activations.getActivation('gelu');
 * gelu(tensor([-1, 0, 1]));
 * ```
 */
export * as activations from './activations.js';
/**
 * Weight and activity regularizers: `new regularizers.L2({ l2: 1e-4 })`, `regularizers.getRegularizer('l1')`.
 *
 * ```ts
 * new layers.Dense(64, { kernelRegularizer: new regularizers.L2({ l2: 1e-4 }), activityRegularizer: 'l1' });
 * ```
 */
export * as regularizers from './regularizers.js';
/**
 * Weight constraints applied after each update: `new constraints.MaxNorm({ maxValue: 2 })`.
 *
 * ```ts
 * new layers.Dense(64, { kernelConstraint: new constraints.MaxNorm({ maxValue: 2 }), biasConstraint: 'non_neg' });
 * ```
 */
export * as constraints from './constraints.js';
/**
 * Other model formats: `await io.toKeras(model)` (Keras 3 .keras bytes).
 *
 * ```ts
 * const bytes = await io.toKeras(model); // Keras 3 .keras bytes
 * const onnx = await io.toOnnx(model);
 * ```
 */
export * as io from './io/formats.js';
/**
 * Data pipelines: `data.tensors({ xs, ys }).shuffle(1000, { seed: 1 }).batch(32)`, then `model.fit(ds)`.
 *
 * ```ts
 * const ds = data.tensors({ xs, ys }).shuffle(1000, { seed: 1 }).batch(32);
 * await model.fit(ds, { epochs: 5 });
 * ```
 */
export * as data from './data/index.js';

export {
  Layer,
  type LayerArgs,
  type CallArgs,
  type Shape,
  type AddWeightArgs,
  type LayerInput,
} from './engine/layer.js';
export { Input, InputLayer, input, type InputLayerArgs } from './engine/input.js';
export { sequential, model } from './models/factories.js';
export {
  checkOptions,
  layerArgs,
  kerasName,
  type LayerParams,
  type OptionTable,
  type LayerSpec,
} from './engine/options.js';
export { SymbolicTensor } from './engine/symbolic.js';
export {
  Model,
  type ModelArgs,
  type ModelOutputs,
  type PredictResult,
  type EvaluateResult,
  type Data,
} from './models/model.js';
export { Sequential, type SequentialArgs } from './models/sequential.js';
export type { CompileArgs, FitArgs, EvaluateArgs, PredictArgs } from './models/training.js';
export type { FitDatasetArgs, DatasetRunArgs } from './data/fit-dataset.js';
export {
  History,
  Callback,
  EarlyStopping,
  ModelCheckpoint,
  LearningRateScheduler,
  ReduceLROnPlateau,
  LambdaCallback,
  CallbackList,
  type Logs,
} from './callbacks.js';
export { registerLayer, registerLayerClass, deserializeLayer, isRegistered } from './registry.js';
export { registerBuiltinLayers } from './builtins.js';
export { setRandomSeed } from './initializers.js';
export { loadModel } from './io/load.js';
export type { ModelArtifacts, WeightSpec, ModelTopology } from './io/artifacts.js';
export { encodeSafetensors, decodeSafetensors } from './io/safetensors.js';
