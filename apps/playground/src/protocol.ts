// Types shared by the page and the training worker: specs, progress reports and tensor payloads.

export const DATASETS = ['blobs', 'spiral', 'mnist'] as const;
export type DatasetName = (typeof DATASETS)[number];

export const MODELS = ['linear', 'mlp', 'cnn'] as const;
export type ModelKind = (typeof MODELS)[number];

export const OPTIMIZERS = ['adam', 'sgd', 'rmsprop', 'adagrad', 'adamw'] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];

/** A tensor crossing the worker boundary: a transferable typed array and its shape, never JSON. */
export interface TensorPayload {
  data: Float32Array;
  shape: number[];
}

/** What to build: the architecture family, the input it sees and how many classes it predicts. */
export interface ModelSpec {
  kind: ModelKind;
  inputShape: number[];
  numClasses: number;
  optimizer: OptimizerName;
  learningRate: number;
}

/** How to train: the hyperparameters the page lets a person edit. */
export interface TrainOptions {
  epochs: number;
  batchSize: number;
  /** Least time between progress reports (ms, default 100); one also goes out at each epoch end. */
  reportEveryMs?: number;
  /** Side of the probability grid sent for 2-D datasets (decision boundary); 0 sends none. */
  boundaryResolution?: number;
}

/** The dataset as the page needs to know it: shapes, sizes and, for 2-D data, points to plot. */
export interface DatasetInfo {
  name: DatasetName;
  inputShape: number[];
  numClasses: number;
  trainSize: number;
  valSize: number;
  /** For 2-D datasets: the plotting window [xmin, xmax, ymin, ymax] and up to 600 points with labels. */
  extent?: [number, number, number, number];
  points?: Float32Array;
  labels?: Int32Array;
}

/** The backend the worker trains on. */
export interface BackendInfo {
  backend: string;
  /** The WebGPU adapter's vendor and architecture, or why there is none. */
  adapter: string;
  webgpuAvailable: boolean;
}

/** What a model is (the page stores this next to a saved model) and its Keras summary. */
export interface ModelInfo {
  kind: ModelKind;
  dataset: DatasetName;
  params: number;
  summary: string;
}

/** One progress report: sent per batch (throttled by time) and at each epoch end. */
export interface Progress {
  phase: 'batch' | 'epoch';
  /** Zero-based epoch in progress. */
  epoch: number;
  epochs: number;
  /** Batches done in this epoch. */
  batch: number;
  batches: number;
  /** Epochs fully done. */
  finishedEpochs: number;
  /** Global step count since training started (x axis of the charts). */
  step: number;
  /** Means over the epoch so far, as Keras reports them. */
  loss: number;
  accuracy: number;
  valLoss?: number;
  valAccuracy?: number;
  samplesPerSec: number;
  /** Each batch's own loss and accuracy (not running means) since the previous report. */
  batchLoss: number[];
  batchAccuracy: number[];
  /** For 2-D datasets: class probabilities on a res x res grid over `extent`, row-major, y up. */
  boundary?: TensorPayload;
}

/** How a training run ended; metrics are the last epoch's. */
export interface TrainResult {
  stopped: boolean;
  epochs: number;
  loss: number;
  accuracy: number;
  valLoss?: number;
  valAccuracy?: number;
}

/** A model file: one ArrayBuffer in the playground's own container format (see artifact-file.ts). */
export interface ModelFile {
  bytes: ArrayBuffer;
  info: ModelInfo;
}

/** Progress of the generative demo (a VAE on MNIST); `samples` is a side^2 x 784 grid of decoded digits. */
export interface VaeProgress {
  epoch: number;
  epochs: number;
  step: number;
  steps: number;
  loss: number;
  samplesPerSec: number;
  samples?: TensorPayload;
}
