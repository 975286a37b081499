// fit, evaluate and predict on datasets (Keras's fit(dataset), TF.js's fitDataset): one batch per element, each disposed after its step.
import { concat, Tensor, tidy } from '@webdl/core';
import { CallbackList, History, type CallbackLike, type Logs } from '../callbacks.js';
import type { Data, Model } from '../models/model.js';
import { nextTick, trainerSteps as T } from '../models/training.js';
import { checkOptions } from '../engine/options.js';
import type { Dataset } from './dataset.js';
import { disposeElement, isPlainObject } from './element.js';
import { tensors } from './sources.js';
import { BatchLogReader } from '../models/batch-logs.js';
import { DeviceLossGuard } from '../models/device-loss.js';

/**
 * Arguments of `model.fit(dataset, args)`.
 *
 * ```ts
 * const args: FitDatasetArgs = { epochs: 5, stepsPerEpoch: 100, validationData: ds.take(10) };
 * await model.fit(ds.repeat(), args);
 * ```
 */
export interface FitDatasetArgs {
  epochs?: number;
  /**
   * Batches per epoch. Omitted: each epoch runs through the dataset once. Given: one iterator runs
   * on across epochs (use `repeat()`); if it runs out, training stops with a warning, as in Keras.
   */
  stepsPerEpoch?: number;
  /** A dataset of batches, or [x, y] tensors (evaluated in batches of 32). */
  validationData?: Dataset | [Data, Data];
  /** Batches of validationData per evaluation (default: all of it). */
  validationSteps?: number;
  callbacks?: CallbackLike[];
  /** 0 silent, 1 or 2: one progress line per epoch (default 1). */
  verbose?: number;
  initialEpoch?: number;
}

/**
 * Arguments of `model.evaluate(dataset, args)` and `model.predict(dataset, args)`.
 *
 * ```ts
 * const args: DatasetRunArgs = { steps: 10, verbose: 0 };
 * await model.evaluate(ds, args);
 * ```
 */
export interface DatasetRunArgs {
  /** Batches to use (default: all). */
  steps?: number;
  verbose?: number;
}

const toList = (d: unknown): Tensor[] | null =>
  d instanceof Tensor
    ? [d]
    : Array.isArray(d) && d.length > 0 && d.every((t) => t instanceof Tensor)
      ? d
      : null;

function describe(el: unknown): string {
  if (el instanceof Tensor) return `a tensor [${el.shape.join(',')}]`;
  if (Array.isArray(el)) return `an array of ${el.length}`;
  if (isPlainObject(el)) return `an object with keys ${Object.keys(el).join(', ') || '(none)'}`;
  return el === null ? 'null' : typeof el;
}

/** Splits a training element ({ xs, ys } or [x, y]) into input and target tensor lists. */
function split(fn: string, el: unknown): [Tensor[], Tensor[]] {
  const [x, y] = isPlainObject(el)
    ? [el.xs, el.ys]
    : Array.isArray(el) && el.length === 2
      ? el
      : [null, null];
  const xs = toList(x);
  const ys = toList(y);
  if (!xs || !ys)
    throw new Error(
      `${fn}: dataset elements must be batches { xs, ys } or [x, y] of tensors (batch() the dataset), got ${describe(el)}`,
    );
  return [xs, ys];
}

/** The inputs of a predict element: a tensor, { xs }, or the first entry of [x, y] (as in Keras). */
function inputsOf(el: unknown): Tensor[] {
  const x = el instanceof Tensor ? el : isPlainObject(el) ? el.xs : Array.isArray(el) ? el[0] : null;
  const xs = toList(x);
  if (!xs)
    throw new Error(
      `predict: dataset elements must be x, { xs } or [x, y] batches of tensors, got ${describe(el)}`,
    );
  return xs;
}

const stepsArg = (fn: string, what: string, v: number | undefined): void => {
  if (v !== undefined && !(Number.isInteger(v) && v > 0))
    throw new Error(`${fn}: ${what} must be a positive integer, got ${v}`);
};

/** validationData [x, y] as tensor lists. */
const toLists = (val: [Data, Data]): [Tensor[], Tensor[]] | null => {
  const [x, y] = [toList(val[0]), toList(val[1])];
  return x && y ? [x, y] : null;
};

/** A fresh iterator over `ds` after a device loss (the old one is closed; a lost device may make that throw). */
async function restartIterator(ds: Dataset, old: AsyncIterator<unknown>): Promise<AsyncIterator<unknown>> {
  try {
    await old.return?.();
  } catch {
    // Its buffered batches went with the device.
  }
  return ds[Symbol.asyncIterator]();
}

/** Runs `body` on up to `steps` elements of `it`, disposing each element afterwards; returns the count. */
async function drive(
  it: AsyncIterator<unknown>,
  steps: number | undefined,
  body: (el: unknown, step: number) => Promise<boolean | void>,
): Promise<{ count: number; ranOut: boolean }> {
  let count = 0;
  while (steps === undefined || count < steps) {
    const r = await it.next();
    if (r.done) return { count, ranOut: true };
    let stop: boolean | void;
    try {
      stop = await body(r.value, count);
    } finally {
      disposeElement(r.value);
    }
    count++;
    if (stop) break;
  }
  return { count, ranOut: false };
}

async function evaluateLogs(model: Model, ds: Dataset, steps: number | undefined, fn: string): Promise<Logs> {
  const state = T.compiled(model);
  T.resetMetrics(state);
  const it = ds[Symbol.asyncIterator]();
  try {
    const { count } = await drive(it, steps, async (el) => {
      const [xs, ys] = split(fn, el);
      T.checkData(model, xs, ys);
      T.evaluate(model, state, xs, ys);
      await nextTick();
    });
    if (count === 0) throw new Error(`${fn}: the dataset yielded no batches`);
  } finally {
    await it.return?.();
  }
  return T.readLogs(state);
}

/**
 * model.fit(dataset, args): see FitDatasetArgs. On WebGPU it survives a device loss as fit(x, y)
 * does: the epoch-end snapshot is restored and the interrupted epoch reruns on a fresh iteration
 * of the dataset (whose elements must then be made on the new device: a generator or array of
 * host values; `data.tensors` over tensors of the lost device cannot be re-read).
 */
export async function fitDataset(model: Model, ds: Dataset, args: FitDatasetArgs = {}): Promise<History> {
  checkOptions('fit (on a dataset)', args, [
    'epochs',
    'stepsPerEpoch',
    'validationData',
    'validationSteps',
    'callbacks',
    'verbose',
    'initialEpoch',
  ]);
  const state = T.compiled(model);
  const epochs = args.epochs ?? 1;
  stepsArg('fit', 'epochs', epochs);
  stepsArg('fit', 'stepsPerEpoch', args.stepsPerEpoch);
  stepsArg('fit', 'validationSteps', args.validationSteps);
  const verbose = args.verbose ?? 1;
  const val = args.validationData;
  const valTensors = Array.isArray(val) ? toLists(val) : null;
  if (Array.isArray(val) && !valTensors)
    throw new Error('fit: validationData must be a dataset of batches or [x, y] tensors');
  const history = new History();
  const callbacks = new CallbackList([...(args.callbacks ?? []), history]);
  model.history = history;
  model.stopTraining = false;
  callbacks.setModel(model);
  callbacks.setParams({ epochs, steps: args.stepsPerEpoch ?? 0, verbose });
  let shared = args.stepsPerEpoch === undefined ? null : ds[Symbol.asyncIterator]();
  let logs: Logs = {};
  let guard: DeviceLossGuard | null = null;
  try {
    await callbacks.onTrainBegin();
    // Validation tensors are re-created on a new device after a loss; the dataset is iterated afresh.
    guard = await DeviceLossGuard.start(model, state, { xs: [], ys: [], val: valTensors });
    for (let epoch = args.initialEpoch ?? 0; epoch < epochs && !model.stopTraining; epoch++) {
      let attempts = 0;
      const outcome = await guard.run(epoch, callbacks, async (data) => {
        // A rerun after a device loss: the shared iterator may hold batches of the old device.
        if (attempts++ > 0 && shared) shared = await restartIterator(ds, shared);
        await callbacks.onEpochBegin(epoch);
        T.resetMetrics(state);
        const start = performance.now();
        const it = shared ?? ds[Symbol.asyncIterator]();
        const reader = new BatchLogReader(state, callbacks);
        let result: { count: number; ranOut: boolean };
        try {
          result = await drive(it, args.stepsPerEpoch, async (el, step) => {
            const [xs, ys] = split('fit', el);
            T.checkData(model, xs, ys);
            await callbacks.onBatchBegin(step);
            T.train(model, state, xs, ys);
            await reader.stepDone(step);
            await nextTick();
            return model.stopTraining;
          });
          await reader.flush();
        } finally {
          await reader.abandon();
          if (!shared) await it.return?.();
        }
        if (result.count === 0) return { result, seconds: 0, logs: {} };
        const epochLogs = await T.readLogs(state);
        const seconds = (performance.now() - start) / 1000;
        const valDs = data.val ? tensors(data.val as never).batch(32) : (val as Dataset | undefined);
        if (valDs) {
          const valLogs = await evaluateLogs(model, valDs, args.validationSteps, 'fit validationData');
          for (const [k, v] of Object.entries(valLogs)) epochLogs[`val_${k}`] = v;
        }
        return { result, seconds, logs: epochLogs };
      });
      const { result, seconds } = outcome;
      if (result.count === 0) {
        if (!shared || epoch === (args.initialEpoch ?? 0))
          throw new Error('fit: the dataset yielded no batches');
        console.warn(`fit: the dataset ran out of data before epoch ${epoch + 1}; stopping (use repeat())`);
        break;
      }
      logs = outcome.logs;
      await callbacks.onEpochEnd(epoch, logs);
      if (verbose > 0)
        console.log(`Epoch ${epoch + 1}/${epochs}\n${T.progressLine(result.count, seconds, logs)}`);
      if (shared && result.ranOut) {
        console.warn(
          `fit: the dataset ran out of data after ${result.count} of ${args.stepsPerEpoch} steps in epoch ${epoch + 1}; stopping (use repeat())`,
        );
        break;
      }
    }
    await callbacks.onTrainEnd(logs);
  } finally {
    guard?.dispose();
    await shared?.return?.();
  }
  return history;
}

/** model.evaluate(dataset, args): the loss, or [loss, ...metrics], over the dataset's batches. */
export async function evaluateDataset(
  model: Model,
  ds: Dataset,
  args: DatasetRunArgs = {},
): Promise<number | number[]> {
  checkOptions('evaluate (on a dataset)', args, ['steps', 'verbose']);
  stepsArg('evaluate', 'steps', args.steps);
  const state = T.compiled(model);
  const logs = await evaluateLogs(model, ds, args.steps, 'evaluate');
  if (args.verbose) console.log(T.formatLogs(logs));
  const values = state.logNames.map((k) => logs[k]);
  return values.length === 1 ? values[0] : values;
}

/** model.predict(dataset, args): outputs of every batch, concatenated. */
export async function predictDataset(
  model: Model,
  ds: Dataset,
  args: DatasetRunArgs = {},
): Promise<Tensor | Tensor[]> {
  checkOptions('predict (on a dataset)', args, ['steps', 'verbose']);
  stepsArg('predict', 'steps', args.steps);
  const parts: Tensor[][] = [];
  const it = ds[Symbol.asyncIterator]();
  try {
    await drive(it, args.steps, async (el) => {
      const xs = inputsOf(el);
      T.checkData(model, xs, null);
      parts.push(
        tidy(() => {
          const out = model.apply(xs.length === 1 ? xs[0] : xs, { training: false });
          return Array.isArray(out) ? out : [out];
        }),
      );
      await nextTick();
    });
  } catch (e) {
    for (const p of parts) for (const t of p) t.dispose();
    throw e;
  } finally {
    await it.return?.();
  }
  if (parts.length === 0) throw new Error('predict: the dataset yielded no batches');
  if (parts.length === 1) return parts[0].length === 1 ? parts[0][0] : parts[0];
  const outputs = parts[0].map((_, i) =>
    concat(
      parts.map((p) => p[i]),
      0,
    ),
  );
  for (const p of parts) for (const t of p) t.dispose();
  return outputs.length === 1 ? outputs[0] : outputs;
}
