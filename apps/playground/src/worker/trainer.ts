// The worker-side trainer: datasets, models, fit with progress, pause/resume/stop, predict, save/load.
import { transfer } from 'comlink';
import type { Model, ModelArtifacts } from 'webdl';
import type {
  BackendInfo,
  DatasetInfo,
  DatasetName,
  ModelFile,
  ModelInfo,
  ModelSpec,
  Progress,
  TensorPayload,
  TrainOptions,
  TrainResult,
  VaeProgress,
} from '../protocol.js';
import { packArtifacts, unpackArtifacts } from './artifact-file.js';
import { LoadedDataset } from './data.js';
import { FitProgress } from './fit-progress.js';
import { buildModel, compileModel, type Webdl } from './models.js';
import { describeAdapter, single, toPayload, yieldToEvents } from './util.js';
import { Vae } from './vae.js';

/**
 * The state behind the comlink-exposed API, one per worker. Calls arrive as messages; training
 * yields between batches so pause, stop and predict get through while it runs.
 */
class Trainer {
  private lib: Webdl | null = null;
  private data: LoadedDataset | null = null;
  private model: Model | null = null;
  private info: ModelInfo | null = null;
  private training = false;
  private paused: { promise: Promise<void>; resume: () => void } | null = null;
  private stopRequested = false;

  /** The backend webdl picked and the adapter behind it. */
  async init(): Promise<BackendInfo> {
    // Imported here, not statically, so the worker answers messages while the library loads;
    // ready() picks webgpu when an adapter exists, else cpu.
    this.lib ??= await import('webdl');
    await this.lib.ready();
    return { backend: this.lib.getBackend(), ...(await describeAdapter()) };
  }

  /** Loads (or generates) a dataset and makes it current; returns points to plot for 2-D data. */
  async loadDataset(name: DatasetName): Promise<DatasetInfo> {
    if (this.data?.name !== name) {
      if (this.training) throw new Error('cannot switch datasets while training');
      const next = await LoadedDataset.load(this.requireLib(), name);
      this.data?.dispose();
      this.data = next;
    }
    return this.data.info();
  }

  /** Builds and compiles a fresh model for the current dataset. */
  async buildModel(spec: Omit<ModelSpec, 'inputShape' | 'numClasses'>): Promise<ModelInfo> {
    const d = this.requireData();
    const model = buildModel(this.requireLib(), {
      ...spec,
      inputShape: d.inputShape,
      numClasses: d.numClasses,
    });
    return this.setModel(model, { kind: spec.kind, dataset: d.name, params: 0, summary: '' });
  }

  /** Trains the current model on the current dataset, reporting through `onProgress`. */
  async train(options: TrainOptions, onProgress: (p: Progress) => void): Promise<TrainResult> {
    const model = this.model;
    const d = this.requireData();
    if (!model) throw new Error('build or load a model first');
    const { epochs, batchSize } = options;
    if (!(Number.isInteger(epochs) && epochs > 0))
      throw new Error(`epochs must be a positive integer, got ${epochs}`);
    if (!(Number.isInteger(batchSize) && batchSize > 0)) {
      throw new Error(`batch size must be a positive integer, got ${batchSize}`);
    }
    const reportEveryMs = options.reportEveryMs ?? 100;
    const res = d.points ? (options.boundaryResolution ?? 40) : 0;
    const progress = new FitProgress(epochs, Math.ceil(d.x.shape[0] / batchSize), batchSize);
    let lastReport = 0;
    let lastBoundary = 0;
    const send = async (p: Progress) => {
      // The decision boundary costs a prediction over the grid: at most ~3 a second, and at epoch ends.
      if (res > 0 && (p.phase === 'epoch' || performance.now() - lastBoundary >= 300)) {
        p.boundary = await this.gridProbabilities(model, d, res);
        lastBoundary = performance.now();
      }
      lastReport = performance.now();
      onProgress(p.boundary ? transfer(p, [p.boundary.data.buffer]) : p);
    };

    return this.run(async () => {
      await model.fit(d.x, d.y, {
        epochs,
        batchSize,
        validationData: [d.vx, d.vy],
        shuffle: true,
        verbose: 0,
        callbacks: [
          {
            onBatchEnd: async (batch, logs) => {
              progress.batchEnd(batch, logs);
              if (performance.now() - lastReport >= reportEveryMs)
                await send(progress.report('batch', batch + 1));
              await this.gate();
              if (this.stopRequested) model.stopTraining = true;
              progress.resumeClock();
            },
            onEpochEnd: async (epoch, logs) => {
              progress.epochEnd(epoch, logs);
              await send(progress.report('epoch', progress.batches));
              progress.resumeClock();
            },
          },
        ],
      });
      return progress.result(this.stopRequested);
    });
  }

  /**
   * Trains a small VAE on the MNIST digits (loaded here if needed), sending a grid of decoded
   * samples about once a second; pause and stop work as for `train`.
   */
  async trainVae(options: TrainOptions, onProgress: (p: VaeProgress) => void): Promise<number> {
    const dl = this.requireLib();
    await this.loadDataset('mnist');
    const { x } = this.requireData();
    const steps = Math.ceil(x.shape[0] / options.batchSize);
    const side = 8;
    const started = performance.now();
    let lastGrid = -Infinity;
    return this.run(async () => {
      const images = x.reshape([x.shape[0], 784]);
      const vae = new Vae(dl);
      const send = async (p: VaeProgress, withGrid: boolean) => {
        if (!withGrid) return onProgress(p);
        p.samples = { data: await vae.decodeGrid(side), shape: [side * side, 784] };
        lastGrid = performance.now();
        onProgress(transfer(p, [p.samples.data.buffer as ArrayBuffer]));
      };
      try {
        await send({ epoch: 0, epochs: options.epochs, step: 0, steps, loss: NaN, samplesPerSec: 0 }, true);
        return await vae.train(images, options.batchSize, options.epochs, {
          afterStep: async (step, epoch, loss) => {
            const samplesPerSec = (step * options.batchSize * 1000) / (performance.now() - started);
            const inEpoch = ((step - 1) % steps) + 1;
            const report = { epoch, epochs: options.epochs, step: inEpoch, steps, loss, samplesPerSec };
            await send(report, inEpoch === steps || performance.now() - lastGrid > 1000);
            await this.gate();
          },
          shouldStop: () => this.stopRequested,
        });
      } finally {
        images.dispose();
        vae.dispose();
      }
    });
  }

  /** Holds training after the current batch. */
  pause(): void {
    if (!this.training || this.paused) return;
    let resume = () => {};
    const promise = new Promise<void>((r) => (resume = r));
    this.paused = { promise, resume };
  }

  resume(): void {
    const p = this.paused;
    this.paused = null;
    p?.resume();
  }

  /** Ends training after the current batch (also from pause). */
  stop(): void {
    this.stopRequested = true;
    this.resume();
  }

  /** Class probabilities for a batch of inputs; the input buffer is transferred in, the output out. */
  async predict(input: TensorPayload): Promise<TensorPayload> {
    const model = this.model;
    if (!model) throw new Error('no model: train or load one first');
    const x = this.requireLib().tensor(input.data, input.shape);
    try {
      const out = await toPayload(single(await model.predict(x)));
      return transfer(out, [out.data.buffer]);
    } finally {
      x.dispose();
    }
  }

  /** The current model's class probabilities over a res x res grid spanning the 2-D dataset. */
  async decisionBoundary(res = 40): Promise<TensorPayload> {
    const out = await this.gridProbabilities(this.requireModel().model, this.requireData(), res);
    return transfer(out, [out.data.buffer]);
  }

  /** Saves the model to a URL-like target, e.g. 'indexeddb://playground'. */
  async save(target: string): Promise<ModelInfo> {
    const { model, info } = this.requireModel();
    await model.save(target);
    return info;
  }

  /** Loads a model saved with `save`; `info` says what it is (the page stores it next to the model). */
  async load(source: string, info: ModelInfo): Promise<ModelInfo> {
    return this.setModel(await this.requireLib().loadModel(source), info);
  }

  /** The model and its info as one file (see artifact-file.ts). */
  async exportModel(): Promise<ModelFile> {
    const { model, info } = this.requireModel();
    const bytes = packArtifacts({ info, artifacts: await model.save() });
    return transfer({ bytes, info }, [bytes]);
  }

  async importModel(bytes: ArrayBuffer): Promise<ModelInfo> {
    const { info, artifacts } = unpackArtifacts(bytes) as { info?: ModelInfo; artifacts?: ModelArtifacts };
    if (!info || !artifacts) throw new Error('the file holds no playground model');
    return this.setModel(await this.requireLib().loadModel(artifacts), info);
  }

  private async gridProbabilities(model: Model, d: LoadedDataset, res: number) {
    return toPayload(single(await model.predict(d.gridInputs(res))));
  }

  /** Runs one training job: one at a time, with fresh pause and stop state. */
  private async run<T>(job: () => Promise<T>): Promise<T> {
    if (this.training) throw new Error('already training');
    this.training = true;
    this.stopRequested = false;
    try {
      return await job();
    } finally {
      this.training = false;
      this.paused = null;
    }
  }

  /** Between steps: lets queued calls run, then holds while paused. */
  private async gate(): Promise<void> {
    await yieldToEvents();
    while (this.paused && !this.stopRequested) await this.paused.promise;
  }

  private async setModel(model: Model, info: ModelInfo): Promise<ModelInfo> {
    if (this.training) throw new Error('cannot replace the model while training');
    // A loaded model has weights but no optimizer state: compile it so it can train again.
    if (!model.compiled) compileModel(this.requireLib(), model, { optimizer: 'adam', learningRate: 0.001 });
    this.model?.dispose();
    this.model = model;
    this.info = { ...info, params: model.countParams(), summary: model.summary({ print: false }) };
    return this.info;
  }

  private requireLib(): Webdl {
    if (!this.lib) throw new Error('call init() first');
    return this.lib;
  }

  private requireData(): LoadedDataset {
    if (!this.data) throw new Error('load a dataset first');
    return this.data;
  }

  private requireModel(): { model: Model; info: ModelInfo } {
    if (!this.model || !this.info) throw new Error('no model yet: train or load one first');
    return { model: this.model, info: this.info };
  }
}

/** The API a page gets from `wrap<TrainerApi>(worker)`. */
export type TrainerApi = Trainer;

/**
 * Makes the trainer a worker exposes. Any page can drive it:
 *
 * ```ts
 * // worker.ts
 * expose(createTrainer());
 * // page.ts
 * const trainer = wrap<TrainerApi>(new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' }));
 * await trainer.init();
 * await trainer.loadDataset('blobs');
 * await trainer.buildModel({ kind: 'mlp', optimizer: 'adam', learningRate: 0.01 });
 * await trainer.train({ epochs: 5, batchSize: 32 }, proxy((p) => console.log(p.epoch, p.loss)));
 * ```
 */
export function createTrainer(): Trainer {
  return new Trainer();
}
