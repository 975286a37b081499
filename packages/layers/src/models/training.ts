// The trainer, kept apart from Model: compile, fit, evaluate, predict and trainOnBatch.
import { concat, gather, GradientTape, slice, tensor, tidy, type Tensor } from '@webdl/core';
import { CallbackList, History, type CallbackLike, type Logs } from '../callbacks.js';
import { nextSeed } from '../initializers.js';
import { getLoss, type Loss, type LossLike } from '../losses.js';
import { getMetric, Mean, type Metric, type MetricLike } from '../metrics.js';
import { getOptimizer, type OptimizerLike } from '../optimizers/index.js';
import type { Optimizer } from '../optimizers/optimizer.js';
import type { Data, Model } from './model.js';
import { forwardWithPenalties, sampleWeightsFor, weightedLoss, type WeightingArgs } from './loss-terms.js';
import { checkFitArgs, named, positiveBatch } from './training-checks.js';
import { DeviceLossGuard } from './device-loss.js';
import { BatchLogReader, logValues, readLogs } from './batch-logs.js';
import { ClassMean } from '../metric-class-mean.js';
import {
  buildFor,
  checkJitCompile,
  compiledSteps,
  type CompiledSteps,
  type JitCompile,
} from './compiled-step.js';

/**
 * Arguments of compile.
 *
 * ```ts
 * const args: CompileArgs = { optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] };
 * model.compile(args);
 * ```
 */
export interface CompileArgs {
  optimizer?: OptimizerLike;
  /** One loss for every output, one per output (array, or object keyed by output name). */
  loss: LossLike | LossLike[] | Record<string, LossLike>;
  /** Metrics for every output, or per output (object keyed by output name). */
  metrics?: MetricLike[] | Record<string, MetricLike[]>;
  /** Weight of each output's loss in the total. */
  lossWeights?: number[] | Record<string, number>;
  /** Compiled steps (jit): 'auto' (default) on WebGPU, true always, false eager. */
  jitCompile?: JitCompile;
}

/** What compile produced: the training configuration plus on-device metric state. */
export interface CompiledState {
  optimizer: Optimizer;
  losses: Loss[];
  lossWeights: number[];
  /** metrics[i]: the metrics of output i. */
  metrics: Metric[][];
  /** Names the logs use: 'loss', per-output losses, then metrics. */
  logNames: string[];
  lossTracker: Mean;
  outputLossTrackers: Mean[];
  /** The train/evaluate/predict steps, compiled or eager (compiled-step.ts). */
  steps: CompiledSteps;
  dispose(): void;
}

/**
 * Arguments of fit.
 *
 * ```ts
 * const args: FitArgs = { epochs: 10, batchSize: 32, validationSplit: 0.1, shuffle: true };
 * await model.fit(x, y, args);
 * ```
 */
export interface FitArgs extends WeightingArgs {
  epochs?: number;
  batchSize?: number;
  /** Shuffle the training samples every epoch (default true). */
  shuffle?: boolean;
  validationData?: [Data, Data];
  /** Fraction of the samples (the last ones, before shuffling) held out for validation. */
  validationSplit?: number;
  /** onBatchEnd(k) gets batch k's exact logs while step k+1 runs (timing: models/batch-logs.ts). */
  callbacks?: CallbackLike[];
  /** 0 silent, 1 or 2: one progress line per epoch (default 1). */
  verbose?: number;
  initialEpoch?: number;
}

/**
 * Arguments of evaluate.
 *
 * ```ts
 * const args: EvaluateArgs = { batchSize: 64, verbose: 0 };
 * await model.evaluate(x, y, args);
 * ```
 */
export interface EvaluateArgs {
  batchSize?: number;
  verbose?: number;
}

/**
 * Arguments of predict.
 *
 * ```ts
 * const args: PredictArgs = { batchSize: 128 };
 * await model.predict(x, args);
 * ```
 */
export interface PredictArgs {
  batchSize?: number;
}

const toList = (d: Data): Tensor[] => (Array.isArray(d) ? d : [d]);

/** Resolves compile's strings and instances against the model's outputs. */
export function compileModel(model: Model, args: CompileArgs): CompiledState {
  const names = model.isGraph ? model.outputNames : ['output'];
  const n = names.length;
  const perOutput = <T>(
    value: T | T[] | Record<string, T>,
    what: string,
    isSingle: (v: unknown) => boolean,
  ): T[] => {
    if (isSingle(value)) return names.map(() => value as T);
    if (Array.isArray(value)) {
      if (value.length !== n)
        throw new Error(`compile: ${what} has ${value.length} entries for ${n} outputs`);
      return value;
    }
    const rec = value as Record<string, T>;
    return names.map((name) => {
      if (!(name in rec)) throw new Error(`compile: ${what} has no entry for output '${name}'`);
      return rec[name];
    });
  };
  if (args.loss === undefined) throw new Error('compile: a loss is required');
  const lossLikes = perOutput<LossLike>(
    args.loss,
    'loss',
    (v) =>
      typeof v === 'string' ||
      typeof v === 'function' ||
      (typeof v === 'object' && v !== null && 'apply' in v),
  );
  const losses = lossLikes.map((l) => named('compile', () => getLoss(l)));
  const optimizer = named('compile', () => getOptimizer(args.optimizer ?? 'rmsprop'));
  const lossWeights =
    args.lossWeights === undefined
      ? names.map(() => 1)
      : perOutput<number>(args.lossWeights, 'lossWeights', (v) => typeof v === 'number');
  const metricSpec = args.metrics ?? [];
  const metricLikes: MetricLike[][] = Array.isArray(metricSpec)
    ? names.map(() => metricSpec)
    : names.map((name) => metricSpec[name] ?? []);
  const made: Metric[] = [];
  const metrics = named('compile', () =>
    metricLikes.map((list, i) =>
      list.map((m) => {
        try {
          const metric = getMetric(m, {
            lossName: losses[i].name,
            outputDim: model.isGraph ? (model.outputs[i].shape.at(-1) ?? null) : null,
          });
          made.push(metric);
          // fit's logs hold numbers: a per-class metric logs its mean over classes (metric-class-mean.ts).
          return metric.scalarResult ? metric : new ClassMean(metric);
        } catch (e) {
          for (const done of made) done.dispose();
          throw e;
        }
      }),
    ),
  );
  const prefix = (i: number) => (n > 1 ? `${names[i]}_` : '');
  const logNames = [
    'loss',
    ...(n > 1 ? names.map((nm) => `${nm}_loss`) : []),
    ...metrics.flatMap((ms, i) => ms.map((m) => prefix(i) + m.name)),
  ];
  const jitCompile = checkJitCompile(args.jitCompile);
  const lossTracker = new Mean('loss');
  const outputLossTrackers = n > 1 ? names.map((nm) => new Mean(`${nm}_loss`)) : [];
  const state: CompiledState = {
    optimizer,
    losses,
    lossWeights,
    metrics,
    logNames,
    lossTracker,
    outputLossTrackers,
    steps: compiledSteps(
      jitCompile,
      {
        train: (xs, ys) => trainStep(model, state, xs, ys),
        trainLogs: (xs, ys) => {
          resetMetrics(state);
          trainStep(model, state, xs, ys);
          return logValues(state);
        },
        evaluate: (xs, ys) => evaluateStep(model, state, xs, ys),
        predict: (xs) => predictStep(model, xs),
        prepare: (xs) => buildFor(model, xs),
        trainKey: () => `${optimizer.graphKey()}|${model.trainableWeights.map((v) => v.id).join(',')}`,
      },
      { direct: optimizer.declaresHostScalars },
    ),
    dispose() {
      this.steps.dispose();
      for (const m of [lossTracker, ...outputLossTrackers, ...metrics.flat()]) m.dispose();
      this.optimizer.dispose();
    },
  };
  return state;
}

function compiled(model: Model): CompiledState {
  if (!model.compiled)
    throw new Error(
      `${model.name}: call compile({ optimizer, loss, metrics }) before training or evaluating`,
    );
  return model.compiled;
}

function checkData(model: Model, xs: Tensor[], ys: Tensor[] | null): number {
  const n = xs[0]?.rank > 0 ? xs[0].shape[0] : undefined;
  if (n === undefined) throw new Error(`${model.name}: no input data`);
  for (const t of [...xs, ...(ys ?? [])]) {
    if (t.shape[0] !== n)
      throw new Error(
        `${model.name}: all inputs and targets need the same number of samples (got ${n} and ${t.shape[0]})`,
      );
  }
  if (model.isGraph && xs.length !== model.inputs.length)
    throw new Error(`${model.name}: expected ${model.inputs.length} input tensor(s), got ${xs.length}`);
  if (ys && model.compiled && ys.length !== model.compiled.losses.length) {
    throw new Error(
      `${model.name}: expected ${model.compiled.losses.length} target tensor(s), got ${ys.length}`,
    );
  }
  return n;
}

/** Rows [start, start+size) of each tensor, or the rows listed in `order` when shuffling. */
function batchOf(ts: Tensor[], start: number, size: number, order: Int32Array | null): Tensor[] {
  if (order) {
    const idx = tensor(order.subarray(start, start + size), [size], 'int32');
    return ts.map((t) => gather(t, idx, 0));
  }
  return ts.map((t) => slice(t, [start, ...t.shape.slice(1).map(() => 0)], [size, ...t.shape.slice(1)]));
}

/** The loss of a batch; `ys` may carry the batch's sample weights after the targets, `penalty` is added. */
function computeLoss(
  state: CompiledState,
  ys: Tensor[],
  preds: Tensor[],
  penalty: Tensor | null = null,
): { total: Tensor; parts: Tensor[] } {
  const sampleWeight = ys[state.losses.length] ?? null;
  const parts = state.losses.map((l, i) => weightedLoss(l, ys[i], preds[i], sampleWeight));
  const total = parts
    .map((p, i) => (state.lossWeights[i] === 1 ? p : p.mul(state.lossWeights[i])))
    .reduce((a, b) => a.add(b));
  return { total: penalty ? total.add(penalty) : total, parts };
}

function track(
  state: CompiledState,
  ys: Tensor[],
  preds: Tensor[],
  loss: { total: Tensor; parts: Tensor[] },
  n: number,
): void {
  state.lossTracker.update(loss.total, n);
  state.outputLossTrackers.forEach((t, i) => t.update(loss.parts[i], n));
  state.metrics.forEach((ms, i) => ms.forEach((m) => m.updateState(ys[i], preds[i])));
}

function resetMetrics(state: CompiledState): void {
  for (const m of [state.lossTracker, ...state.outputLossTrackers, ...state.metrics.flat()]) m.resetState();
}

/** One gradient step on a batch: one tape, one applyGradients, everything inside tidy. */
function trainStep(model: Model, state: CompiledState, xb: Tensor[], yb: Tensor[]): void {
  const tape = new GradientTape();
  let preds: Tensor[] = [];
  const loss = tape.record(() => {
    const forward = forwardWithPenalties(model, xb, { training: true });
    preds = forward.preds;
    return computeLoss(state, yb, preds, forward.penalty);
  });
  const vars = model.trainableWeights;
  if (vars.length === 0) throw new Error(`${model.name}: the model has no trainable weights`);
  const grads = tape.gradient(loss.total, vars);
  state.optimizer.applyGradients(grads, vars);
  track(state, yb, preds, loss, xb[0].shape[0]);
}

/** Adds one batch to the loss and metric trackers (no training). */
function evaluateStep(model: Model, state: CompiledState, xb: Tensor[], yb: Tensor[]): void {
  const { preds, penalty } = forwardWithPenalties(model, xb, { training: false });
  track(state, yb, preds, computeLoss(state, yb, preds, penalty), xb[0].shape[0]);
}

/** The model's outputs for one batch. */
function predictStep(model: Model, xb: Tensor[]): Tensor[] {
  const out = model.apply(xb.length === 1 ? xb[0] : xb, { training: false });
  return Array.isArray(out) ? out : [out];
}

/** Gives the event loop a turn (setImmediate in Node, a MessageChannel message in browsers: no 4 ms timer clamp). */
export function nextTick(): Promise<void> {
  const g = globalThis as { setImmediate?: (fn: () => void) => void };
  if (g.setImmediate) return new Promise((resolve) => g.setImmediate?.(resolve));
  if (typeof MessageChannel !== 'undefined') {
    return new Promise((resolve) => {
      const ch = new MessageChannel();
      ch.port1.onmessage = () => {
        ch.port1.close();
        resolve();
      };
      ch.port2.postMessage(null);
    });
  }
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** A permutation of 0..n-1 from a seeded generator (mulberry32), or Math.random when unseeded. */
function permutation(n: number): Int32Array {
  const seed = nextSeed();
  let s = seed ?? (Math.random() * 2 ** 32) >>> 0;
  const rand = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const p = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [p[i], p[j]] = [p[j], p[i]];
  }
  return p;
}

function formatLogs(logs: Logs): string {
  return Object.entries(logs)
    .map(([k, v]) => `${k}: ${Math.abs(v) < 1e-3 && v !== 0 ? v.toExponential(4) : v.toFixed(4)}`)
    .join(' - ');
}

/** Keras-like per-epoch progress line. */
function progressLine(steps: number, seconds: number, logs: Logs): string {
  const perStep = (seconds * 1000) / Math.max(1, steps);
  const time = seconds >= 1 ? `${Math.round(seconds)}s` : `${Math.round(seconds * 1000)}ms`;
  return `${steps}/${steps} ${'━'.repeat(20)} ${time} ${perStep.toFixed(0)}ms/step - ${formatLogs(logs)}`;
}

/** model.fit: see FitArgs. */
export async function fitModel(model: Model, x: Data, y: Data, args: FitArgs): Promise<History> {
  const state = compiled(model);
  let xs = toList(x);
  let ys = toList(y);
  const total = checkData(model, xs, ys);
  const owned: Tensor[] = [];
  let val: [Tensor[], Tensor[]] | null = null;
  if (args.validationData) {
    val = [toList(args.validationData[0]), toList(args.validationData[1])];
    checkData(model, val[0], val[1]);
  } else if (args.validationSplit) {
    const split = args.validationSplit;
    if (!(split > 0 && split < 1)) throw new Error(`fit: validationSplit must be in (0, 1), got ${split}`);
    const cut = Math.floor(total * (1 - split));
    if (cut < 1 || cut >= total)
      throw new Error(
        `fit: validationSplit ${split} leaves no training or no validation samples out of ${total}`,
      );
    const part = (ts: Tensor[], a: number, b: number) => batchOf(ts, a, b - a, null);
    val = [part(xs, cut, total), part(ys, cut, total)];
    [xs, ys] = [part(xs, 0, cut), part(ys, 0, cut)];
    owned.push(...xs, ...ys, ...val[0], ...val[1]);
  }
  const n = xs[0].shape[0];
  const sampleWeights = await sampleWeightsFor(args, ys, total, n);
  if (sampleWeights) {
    ys = [...ys, sampleWeights];
    owned.push(sampleWeights);
  }
  const batchSize = positiveBatch('fit', args.batchSize);
  const epochs = checkFitArgs(args);
  const verbose = args.verbose ?? 1;
  const shuffle = args.shuffle ?? true;
  const steps = Math.ceil(n / batchSize);
  const history = new History();
  // History goes last, as in Keras, so it records what other callbacks add to the logs.
  const callbacks = new CallbackList([...(args.callbacks ?? []), history]);
  model.history = history;
  model.stopTraining = false;
  callbacks.setModel(model);
  callbacks.setParams({ epochs, steps, verbose });
  let logs: Logs = {};
  let guard: DeviceLossGuard | null = null;
  try {
    await callbacks.onTrainBegin();
    guard = await DeviceLossGuard.start(model, state, { xs, ys, val });
    for (let epoch = args.initialEpoch ?? 0; epoch < epochs && !model.stopTraining; epoch++) {
      // The guard reruns the epoch on a new device (device-loss.ts); `data` is then re-created there.
      const seconds = await guard.run(epoch, callbacks, async (data) => {
        await callbacks.onEpochBegin(epoch);
        resetMetrics(state);
        const order = shuffle ? permutation(n) : null;
        const start = performance.now();
        // onBatchEnd(b) runs while step b+1 is on the device (batch-logs.ts has the semantics).
        const reader = new BatchLogReader(state, callbacks);
        try {
          for (let b = 0; b < steps; b++) {
            await callbacks.onBatchBegin(b);
            const lo = b * batchSize;
            const size = Math.min(batchSize, n - lo);
            tidy(() =>
              state.steps.train(batchOf(data.xs, lo, size, order), batchOf(data.ys, lo, size, order)),
            );
            await reader.stepDone(b);
            await nextTick();
            if (model.stopTraining) break;
          }
          await reader.flush();
        } finally {
          await reader.abandon();
        }
        logs = await readLogs(state);
        if (data.val) {
          const valLogs = await evaluateLogs(model, state, data.val[0], data.val[1], batchSize);
          for (const [k, v] of Object.entries(valLogs)) logs[`val_${k}`] = v;
        }
        return (performance.now() - start) / 1000;
      });
      await callbacks.onEpochEnd(epoch, logs);
      if (verbose > 0) console.log(`Epoch ${epoch + 1}/${epochs}\n${progressLine(steps, seconds, logs)}`);
    }
    await callbacks.onTrainEnd(logs);
  } finally {
    guard?.dispose();
    for (const t of owned) t.dispose();
  }
  return history;
}

async function evaluateLogs(
  model: Model,
  state: CompiledState,
  xs: Tensor[],
  ys: Tensor[],
  batchSize: number,
): Promise<Logs> {
  const n = checkData(model, xs, ys);
  resetMetrics(state);
  for (let lo = 0; lo < n; lo += batchSize) {
    const size = Math.min(batchSize, n - lo);
    tidy(() => state.steps.evaluate(batchOf(xs, lo, size, null), batchOf(ys, lo, size, null)));
    await nextTick();
  }
  return readLogs(state);
}

/** model.evaluate: the loss, or [loss, ...per-output losses, ...metrics]. */
export async function evaluateModel(
  model: Model,
  x: Data,
  y: Data,
  args: EvaluateArgs,
): Promise<number | number[]> {
  const state = compiled(model);
  const logs = await evaluateLogs(
    model,
    state,
    toList(x),
    toList(y),
    positiveBatch('evaluate', args.batchSize),
  );
  if (args.verbose) console.log(formatLogs(logs));
  const values = state.logNames.map((k) => logs[k]);
  return values.length === 1 ? values[0] : values;
}

/** model.predict: outputs computed batch by batch and concatenated. */
export async function predictModel(model: Model, x: Data, args: PredictArgs): Promise<Tensor | Tensor[]> {
  const xs = toList(x);
  const n = checkData(model, xs, null);
  if (n === 0) throw new Error(`predict: the input [${xs[0].shape}] has no samples`);
  const batchSize = positiveBatch('predict', args.batchSize);
  const parts: Tensor[][] = [];
  for (let lo = 0; lo < n; lo += batchSize) {
    const size = Math.min(batchSize, n - lo);
    parts.push(
      tidy(() => {
        const xb = batchOf(xs, lo, size, null);
        // An uncompiled model predicts eagerly.
        return model.compiled ? model.compiled.steps.predict(xb) : predictStep(model, xb);
      }),
    );
    if (lo + batchSize < n) await nextTick();
  }
  const outputs = parts[0].map((_, i) =>
    parts.length === 1
      ? parts[0][i]
      : concat(
          parts.map((p) => p[i]),
          0,
        ),
  );
  if (parts.length > 1) for (const p of parts) for (const t of p) t.dispose();
  return outputs.length === 1 ? outputs[0] : outputs;
}

/** model.trainOnBatch: one step on exactly this batch; the loss (and metrics) of that batch. */
export async function trainOnBatchModel(model: Model, x: Data, y: Data): Promise<number | number[]> {
  const state = compiled(model);
  const xs = toList(x);
  const ys = toList(y);
  checkData(model, xs, ys);
  // One step (compiled: one graph) resets the trackers, trains and stacks the logs.
  const stacked = tidy(() => state.steps.trainLogs(xs, ys));
  let read: Float32Array | Int32Array | Uint8Array;
  try {
    read = await stacked.data();
  } finally {
    stacked.dispose();
  }
  const logs = Object.fromEntries(state.logNames.map((name, i) => [name, read[i]]));
  const values = state.logNames.map((k) => logs[k]);
  return values.length === 1 ? values[0] : values;
}

/**
 * The trainer's pieces, for training loops kept in their own modules (fit on a dataset:
 * ../data/fit-dataset.ts): each step runs exactly as in fit.
 */
export const trainerSteps = {
  compiled,
  checkData,
  resetMetrics,
  readLogs,
  formatLogs,
  progressLine,
  /** One gradient step on a batch, inside tidy. */
  train(_model: Model, state: CompiledState, xs: Tensor[], ys: Tensor[]): void {
    tidy(() => state.steps.train(xs, ys));
  },
  /** Adds one batch to the loss and metric trackers (no training), inside tidy. */
  evaluate(model: Model, state: CompiledState, xs: Tensor[], ys: Tensor[]): void {
    tidy(() => {
      const { preds, penalty } = forwardWithPenalties(model, xs, { training: false });
      track(state, ys, preds, computeLoss(state, ys, preds, penalty), xs[0].shape[0]);
    });
  },
};
