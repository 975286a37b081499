// Catalogue rows for compile/fit/evaluate/predict options, callbacks, optimizers, loaders and savers.
import { callbacks, loadModel, optimizers, type ModelArtifacts } from '@webdl/layers';
import type { Row } from './fixtures.js';

const O = optimizers;

/** compile, fit, evaluate, predict, trainOnBatch: the training calls leave weights and optimizer state unchanged. */
export const TRAINING: Row[] = [
  [
    'compile unknown loss',
    (f) => f.model.compile({ optimizer: 'adam', loss: 'categorical_crossentropi' }),
    /^compile: Unknown loss 'categorical_crossentropi'/,
  ],
  [
    'compile unknown optimizer',
    (f) => f.model.compile({ optimizer: 'adamx', loss: 'mse' }),
    /^compile: Unknown optimizer 'adamx'/,
  ],
  [
    'compile unknown metric',
    (f) => f.model.compile({ optimizer: 'adam', loss: 'mse', metrics: ['acuracy'] }),
    /^compile: Unknown metric 'acuracy'/,
  ],
  ['compile no loss', (f) => f.model.compile({ optimizer: 'adam' } as never), /^compile: a loss is required/],
  [
    'compile loss list length',
    (f) => f.model.compile({ optimizer: 'adam', loss: ['mse', 'mse'] }),
    /^compile: loss has 2 entries for 1 outputs/,
  ],
  [
    'fit target shape',
    (f) => f.model.fit(f.x, f.z([4, 3]), { verbose: 0 }),
    /^categoricalCrossentropy: yTrue \[4,3\] and yPred \[4,2\] must have the same shape/,
  ],
  [
    'fit sample counts',
    (f) => f.model.fit(f.x, f.z([3, 2]), { verbose: 0 }),
    /same number of samples \(got 4 and 3\)/,
  ],
  [
    'fit batchSize 0',
    (f) => f.model.fit(f.x, f.y, { batchSize: 0, verbose: 0 }),
    /^fit: batchSize must be a positive integer, got 0/,
  ],
  [
    'fit batchSize fractional',
    (f) => f.model.fit(f.x, f.y, { batchSize: 1.5, verbose: 0 }),
    /^fit: batchSize must be a positive integer, got 1.5/,
  ],
  [
    'fit epochs negative',
    (f) => f.model.fit(f.x, f.y, { epochs: -1, verbose: 0 }),
    /^fit: epochs must be a non-negative integer, got -1/,
  ],
  [
    'fit epochs fractional',
    (f) => f.model.fit(f.x, f.y, { epochs: 1.5, verbose: 0 }),
    /^fit: epochs must be a non-negative integer, got 1.5/,
  ],
  [
    'fit validationSplit 1',
    (f) => f.model.fit(f.x, f.y, { validationSplit: 1, verbose: 0 }),
    /^fit: validationSplit must be in \(0, 1\), got 1/,
  ],
  [
    'fit validationSplit too small',
    (f) => f.model.fit(f.x, f.y, { validationSplit: 0.9, verbose: 0 }),
    /^fit: validationSplit 0.9 leaves no training or no validation samples out of 4/,
  ],
  [
    'fit validationData shape',
    (f) => f.model.fit(f.x, f.y, { validationData: [f.z([2, 3]), f.z([3, 2])], verbose: 0 }),
    /same number of samples \(got 2 and 3\)/,
  ],
  [
    'fit initialEpoch',
    (f) => f.model.fit(f.x, f.y, { initialEpoch: -2, verbose: 0 }),
    /^fit: initialEpoch must be a non-negative integer, got -2/,
  ],
  [
    'fit input feature size',
    (f) => f.model.fit(f.z([4, 5]), f.y, { verbose: 0 }),
    /\[4,5\]|\[2,5\]|inner dimensions differ: \[\d+,5\] x \[3,4\]/,
  ],
  [
    'fit callbacks not a list',
    (f) => f.model.fit(f.x, f.y, { callbacks: 3 as never, verbose: 0 }),
    /^fit: callbacks must be .*got 3|callbacks/,
  ],
  [
    'fit callback that throws',
    (f) =>
      f.model.fit(f.x, f.y, {
        verbose: 0,
        callbacks: [
          new callbacks.LambdaCallback({
            onEpochBegin: () => {
              throw new Error('user callback failed');
            },
          }),
        ],
      }),
    /user callback failed/,
  ],
  [
    'trainOnBatch target shape',
    (f) => f.model.trainOnBatch(f.x, f.z([4, 5])),
    /^categoricalCrossentropy: yTrue \[4,5\] and yPred \[4,2\] must have the same shape/,
  ],
  [
    'trainOnBatch sample counts',
    (f) => f.model.trainOnBatch(f.x, f.z([2, 2])),
    /same number of samples \(got 4 and 2\)/,
  ],
  [
    'evaluate sample counts',
    (f) => f.model.evaluate(f.x, f.z([1, 2])),
    /same number of samples \(got 4 and 1\)/,
  ],
  [
    'evaluate batchSize',
    (f) => f.model.evaluate(f.x, f.y, { batchSize: -4 }),
    /^evaluate: batchSize must be a positive integer, got -4/,
  ],
  [
    'predict batchSize',
    (f) => f.model.predict(f.x, { batchSize: 0 }),
    /^predict: batchSize must be a positive integer, got 0/,
  ],
  [
    'predict feature size',
    (f) => f.model.predict(f.z([2, 7])),
    /\[2,7\]|inner dimensions differ: \[2,7\] x \[3,4\]/,
  ],
  ['predict of no data', (f) => f.model.predict(f.e0), /^predict: the input \[0\] has no samples/],
  [
    'applyGradients shape',
    (f) =>
      f.model.optimizer.applyGradients(
        [f.z([9]), ...f.model.trainableWeights.slice(1).map((w) => f.z([...w.shape]))],
        f.model.trainableWeights,
      ),
    /^Adam\.applyGradients: gradient \[9\] does not match variable '.*' \[3,4\]/,
  ],
  [
    'applyGradients counts',
    (f) => f.model.optimizer.applyGradients([f.z([3, 4])], f.model.trainableWeights),
    /^Adam\.applyGradients: 1 gradients for 4 variables/,
  ],
  [
    'applyGradients second shape wrong',
    (f) =>
      f.model.optimizer.applyGradients(
        f.model.trainableWeights.map((w, i) => f.z(i === 3 ? [7] : [...w.shape])),
        f.model.trainableWeights,
      ),
    /^Adam\.applyGradients: gradient \[7\] does not match variable '.*' \[2\]/,
  ],
];

/** Callback constructors. */
export const CALLBACKS: Row[] = [
  [
    'EarlyStopping patience',
    () => new callbacks.EarlyStopping({ patience: -1 }),
    /^EarlyStopping: patience must be a non-negative integer, got -1/,
  ],
  [
    'EarlyStopping mode',
    () => new callbacks.EarlyStopping({ mode: 'maximize' as 'max' }),
    /^EarlyStopping: mode must be 'auto', 'min' or 'max', got 'maximize'/,
  ],
  [
    'ReduceLROnPlateau factor',
    () => new callbacks.ReduceLROnPlateau({ factor: 1.5 }),
    /^ReduceLROnPlateau: factor must be < 1, got 1.5/,
  ],
  [
    'ReduceLROnPlateau patience',
    () => new callbacks.ReduceLROnPlateau({ patience: -3 }),
    /^ReduceLROnPlateau: patience must be a non-negative integer, got -3/,
  ],
  [
    'LearningRateScheduler schedule',
    () => new callbacks.LearningRateScheduler(3 as never),
    /^LearningRateScheduler: schedule must be a function, got 3/,
  ],
  [
    'LearningRateScheduler NaN rate',
    (f) => f.model.fit(f.x, f.y, { verbose: 0, callbacks: [new callbacks.LearningRateScheduler(() => NaN)] }),
    /^LearningRateScheduler: the schedule returned NaN/,
  ],
  [
    'ModelCheckpoint path',
    () => new callbacks.ModelCheckpoint(42 as never),
    /^ModelCheckpoint: filepath must be a string, got 42/,
  ],
];

/** Optimizer constructors and learning-rate schedules. */
export const OPTIMIZERS: Row[] = [
  [
    'Adam learningRate -1',
    () => new O.Adam({ learningRate: -1 }),
    /^Adam: learningRate must be a finite number >= 0 or a schedule, got -1/,
  ],
  ['Adam learningRate NaN', () => new O.Adam({ learningRate: NaN }), /^Adam: learningRate .*got NaN/],
  ['Adam beta1 1', () => new O.Adam({ beta1: 1 }), /^Adam: beta1 must be in \[0, 1\), got 1/],
  ['Adam beta2 negative', () => new O.Adam({ beta2: -0.1 }), /^Adam: beta2 must be in \[0, 1\), got -0.1/],
  [
    'Adam epsilon',
    () => new O.Adam({ epsilon: -1e-7 }),
    /^Adam: epsilon must be a finite number >= 0, got -1e-7/,
  ],
  [
    'AdamW weightDecay',
    () => new O.AdamW({ weightDecay: -0.1 }),
    /^AdamW: weightDecay must be a finite number >= 0, got -0.1/,
  ],
  [
    'Adamax learningRate',
    () => new O.Adamax({ learningRate: Infinity }),
    /^Adamax: learningRate .*got Infinity/,
  ],
  ['SGD momentum', () => new O.SGD({ momentum: 1.5 }), /^SGD: momentum must be in \[0, 1\], got 1.5/],
  [
    'SGD learningRate string',
    () => new O.SGD({ learningRate: '0.1' as never }),
    /^SGD: learningRate .*got 0.1/,
  ],
  ['RMSprop rho', () => new O.RMSprop({ rho: 2 }), /^RMSprop: rho must be in \[0, 1\], got 2/],
  [
    'Adagrad initialAccumulatorValue',
    () => new O.Adagrad({ initialAccumulatorValue: -1 }),
    /^Adagrad: initialAccumulatorValue must be a finite number >= 0, got -1/,
  ],
  ['Adadelta rho', () => new O.Adadelta({ rho: -0.5 }), /^Adadelta: rho must be in \[0, 1\], got -0.5/],
  ['clipnorm 0', () => new O.SGD({ clipnorm: 0 }), /^SGD: clipnorm must be a finite number > 0, got 0/],
  [
    'clipvalue negative',
    () => new O.Adam({ clipvalue: -1 }),
    /^Adam: clipvalue must be a finite number > 0, got -1/,
  ],
  [
    'globalClipnorm NaN',
    () => new O.RMSprop({ globalClipnorm: NaN }),
    /^RMSprop: globalClipnorm must be a finite number > 0, got NaN/,
  ],
  [
    'learningRate setter',
    (f) => {
      f.model.optimizer.learningRate = -0.5;
    },
    /^Adam\.learningRate: learningRate must be .*got -0.5/,
  ],
  [
    'ExponentialDecay decaySteps',
    () => new O.ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 0, decayRate: 0.9 }),
    /^ExponentialDecay: decaySteps must be > 0, got 0/,
  ],
  [
    'PiecewiseConstantDecay lengths',
    () => new O.PiecewiseConstantDecay({ boundaries: [10], values: [0.1] }),
    /^PiecewiseConstantDecay: .*1 boundaries.*1 values|values.*one more/,
  ],
];

/** Loaders and savers. */
export const IO: Row[] = [
  ['loadModel of nothing', () => loadModel(undefined as never), /^loadModel: /],
  ['loadModel of a number', () => loadModel(42 as never), /^loadModel: .*42|^loadModel: /],
  [
    'loadModel artifacts without topology',
    () => loadModel({ weightSpecs: [], weightData: new ArrayBuffer(0) } as unknown as ModelArtifacts),
    /^loadModel: modelTopology is missing/,
  ],
  [
    'loadModel weights shorter than specs',
    async (f) => {
      const a = (await f.model.save()) as ModelArtifacts;
      return loadModel({ ...a, weightData: a.weightData.slice(0, 8) });
    },
    /^loadModel: safetensors: the weight data is truncated/,
  ],
  [
    'loadModel unknown layer class',
    async (f) => {
      const a = (await f.model.save()) as ModelArtifacts;
      return loadModel({
        ...a,
        modelTopology: JSON.parse(JSON.stringify(a.modelTopology).replace('"Dense"', '"Densest"')),
      });
    },
    /Densest/,
  ],
  [
    'loadModel Lambda layer',
    async (f) => {
      const a = (await f.model.save()) as ModelArtifacts;
      return loadModel({
        ...a,
        modelTopology: JSON.parse(JSON.stringify(a.modelTopology).replace('"Dense"', '"Lambda"')),
      });
    },
    /Lambda/,
  ],
  [
    'loadModel of a missing file',
    () => loadModel('/nonexistent/dir/model.json'),
    /^loadModel: cannot read \/nonexistent\/dir\/model\.json/,
  ],
  ['loadModel indexeddb in Node', () => loadModel('indexeddb://nope'), /indexeddb/i],
  [
    'save to an unknown scheme',
    (f) => f.model.save('ftp://host/model'),
    /^model\.save: saving to a URL is not supported \(ftp:\/\/host\/model\)/,
  ],
  [
    'decodeSafetensors of garbage',
    () => import('@webdl/layers').then((m) => m.decodeSafetensors(new Uint8Array([1, 2, 3]))),
    /^safetensors: /,
  ],
];
