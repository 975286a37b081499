// Training callbacks: History, EarlyStopping, ModelCheckpoint, LearningRateScheduler, ReduceLROnPlateau, LambdaCallback and CallbackList.
import type { Tensor } from '@webdl/core';
import type { Model } from './models/model.js';
import { checkOptions } from './engine/options.js';
import { pyFloat } from './engine/format.js';
import { LearningRateSchedule } from './optimizers/schedules.js';

/**
 * Numbers logged at the end of a batch or epoch ('loss', 'accuracy', 'val_loss', ...).
 *
 * ```ts
 * await model.fit(x, y, { callbacks: [{ onEpochEnd: (epoch: number, logs?: callbacks.Logs) => console.log(epoch, logs?.loss) }] });
 * ```
 */
export type Logs = Record<string, number>;

/**
 * What fit tells callbacks about the run.
 *
 * ```ts
 * class Progress extends Callback {
 *   override setParams(params: callbacks.TrainingParams) {
 *     console.log(`${params.epochs} epochs of ${params.steps} steps`);
 *   }
 * }
 * ```
 */
export interface TrainingParams {
  epochs: number;
  steps: number;
  verbose: number;
}

/**
 * The hooks a callback may implement (all optional, sync or async).
 *
 * ```ts
 * const hooks: callbacks.CallbackHooks = { onBatchEnd: (batch, logs) => console.log(batch, logs?.loss) };
 * await model.fit(x, y, { callbacks: [hooks] });
 * ```
 */
export interface CallbackHooks {
  onTrainBegin?(logs?: Logs): void | Promise<void>;
  onTrainEnd?(logs?: Logs): void | Promise<void>;
  onEpochBegin?(epoch: number, logs?: Logs): void | Promise<void>;
  onEpochEnd?(epoch: number, logs?: Logs): void | Promise<void>;
  onBatchBegin?(batch: number, logs?: Logs): void | Promise<void>;
  onBatchEnd?(batch: number, logs?: Logs): void | Promise<void>;
  /** fit lost its WebGPU device in `epoch`: the last epoch-end snapshot is restored and `epoch` runs again. */
  onDeviceLost?(epoch: number, error: Error): void | Promise<void>;
}

/**
 * Base class of callbacks: fit sets `model` and `params`, then calls the hooks.
 *
 * ```ts
 * class Printer extends Callback {
 *   override onEpochEnd(epoch: number, logs?: Logs) { console.log(epoch, logs?.loss); }
 * }
 * ```
 */
export class Callback implements CallbackHooks {
  model: Model | null = null;
  params: TrainingParams | null = null;
  setModel(model: Model): void {
    this.model = model;
  }
  setParams(params: TrainingParams): void {
    this.params = params;
  }
  onTrainBegin(_logs?: Logs): void | Promise<void> {}
  onTrainEnd(_logs?: Logs): void | Promise<void> {}
  onEpochBegin(_epoch: number, _logs?: Logs): void | Promise<void> {}
  onEpochEnd(_epoch: number, _logs?: Logs): void | Promise<void> {}
  onBatchBegin(_batch: number, _logs?: Logs): void | Promise<void> {}
  onBatchEnd(_batch: number, _logs?: Logs): void | Promise<void> {}
  onDeviceLost(_epoch: number, _error: Error): void | Promise<void> {}
  /** Whether this callback needs per-batch logs (which cost a readback per batch). */
  get wantsBatchLogs(): boolean {
    return this.onBatchEnd !== Callback.prototype.onBatchEnd;
  }
}

/**
 * A callback from plain functions. `new LambdaCallback({ onEpochEnd: (epoch, logs) => console.log(logs) })`
 *
 * ```ts
 * const cb = new callbacks.LambdaCallback({ onEpochEnd: (epoch, logs) => console.log(epoch, logs?.loss) });
 * await model.fit(x, y, { epochs: 5, callbacks: [cb] });
 * ```
 */
export class LambdaCallback extends Callback {
  constructor(private readonly hooks: CallbackHooks) {
    super();
  }
  override onTrainBegin(logs?: Logs) {
    return this.hooks.onTrainBegin?.(logs);
  }
  override onTrainEnd(logs?: Logs) {
    return this.hooks.onTrainEnd?.(logs);
  }
  override onEpochBegin(epoch: number, logs?: Logs) {
    return this.hooks.onEpochBegin?.(epoch, logs);
  }
  override onEpochEnd(epoch: number, logs?: Logs) {
    return this.hooks.onEpochEnd?.(epoch, logs);
  }
  override onBatchBegin(batch: number, logs?: Logs) {
    return this.hooks.onBatchBegin?.(batch, logs);
  }
  override onBatchEnd(batch: number, logs?: Logs) {
    return this.hooks.onBatchEnd?.(batch, logs);
  }
  override onDeviceLost(epoch: number, error: Error) {
    return this.hooks.onDeviceLost?.(epoch, error);
  }
  override get wantsBatchLogs(): boolean {
    return this.hooks.onBatchEnd !== undefined;
  }
}

/**
 * A Callback instance or an object of hook functions.
 *
 * ```ts
 * const list: callbacks.CallbackLike[] = [new callbacks.EarlyStopping(), { onEpochEnd: (e) => console.log(e) }];
 * await model.fit(x, y, { callbacks: list });
 * ```
 */
export type CallbackLike = Callback | CallbackHooks;

/**
 * Runs a list of callbacks in order (plain hook objects are wrapped in LambdaCallback).
 *
 * ```ts
 * const list = new CallbackList([new History(), { onEpochEnd: (e) => console.log(e) }]);
 * ```
 */
export class CallbackList {
  readonly callbacks: Callback[];
  constructor(callbacks: CallbackLike[] = []) {
    this.callbacks = callbacks.map((c) => (c instanceof Callback ? c : new LambdaCallback(c)));
  }
  get wantsBatchLogs(): boolean {
    return this.callbacks.some((c) => c.wantsBatchLogs);
  }
  setModel(model: Model): void {
    for (const c of this.callbacks) c.setModel(model);
  }
  setParams(params: TrainingParams): void {
    for (const c of this.callbacks) c.setParams(params);
  }
  async onTrainBegin(logs?: Logs): Promise<void> {
    for (const c of this.callbacks) await c.onTrainBegin(logs);
  }
  async onTrainEnd(logs?: Logs): Promise<void> {
    for (const c of this.callbacks) await c.onTrainEnd(logs);
  }
  async onEpochBegin(epoch: number, logs?: Logs): Promise<void> {
    for (const c of this.callbacks) await c.onEpochBegin(epoch, logs);
  }
  async onEpochEnd(epoch: number, logs?: Logs): Promise<void> {
    for (const c of this.callbacks) await c.onEpochEnd(epoch, logs);
  }
  async onBatchBegin(batch: number, logs?: Logs): Promise<void> {
    for (const c of this.callbacks) await c.onBatchBegin(batch, logs);
  }
  async onBatchEnd(batch: number, logs?: Logs): Promise<void> {
    for (const c of this.callbacks) await c.onBatchEnd(batch, logs);
  }
  async onDeviceLost(epoch: number, error: Error): Promise<void> {
    for (const c of this.callbacks) await c.onDeviceLost(epoch, error);
  }
}

/**
 * Records epoch logs: `history.history.loss[i]`, `history.history.val_accuracy[i]`, ...
 * fit returns the History it used.
 *
 * ```ts
 * const history = await model.fit(x, y, { epochs: 3 });
 * history.history.loss; // three numbers
 * ```
 */
export class History extends Callback {
  epoch: number[] = [];
  history: Record<string, number[]> = {};
  override onTrainBegin(): void {
    this.epoch = [];
    this.history = {};
  }
  override onEpochEnd(epoch: number, logs: Logs = {}): void {
    this.epoch.push(epoch);
    for (const [k, v] of Object.entries(logs)) (this.history[k] ??= []).push(v);
  }
}

type Mode = 'auto' | 'min' | 'max';

/** A count option (patience, cooldown) checked at construction. */
function nonNegativeInt(owner: string, key: string, v: number): number {
  if (!(Number.isInteger(v) && v >= 0))
    throw new Error(`${owner}: ${key} must be a non-negative integer, got ${v}`);
  return v;
}

/** Whether a monitored quantity improves when it goes up ('auto': accuracy/auc-like names go up). */
function improvesUp(mode: Mode, monitor: string, owner: string): boolean {
  if (mode !== 'auto' && mode !== 'min' && mode !== 'max')
    throw new Error(`${owner}: mode must be 'auto', 'min' or 'max', got '${String(mode)}'`);
  if (mode !== 'auto') return mode === 'max';
  return /acc|auc|precision|recall/.test(monitor) && !/loss/.test(monitor);
}

/**
 * Stops training when a monitored quantity stops improving for `patience` epochs, optionally
 * restoring the best epoch's weights.
 *
 * ```ts
 * new EarlyStopping({ monitor: 'val_loss', patience: 2, restoreBestWeights: true });
 * ```
 */
export class EarlyStopping extends Callback {
  readonly monitor: string;
  readonly minDelta: number;
  readonly patience: number;
  readonly baseline?: number;
  readonly restoreBestWeights: boolean;
  readonly startFromEpoch: number;
  readonly verbose: number;
  private readonly up: boolean;
  /** Epoch at which training was stopped (0 if it was not). */
  stoppedEpoch = 0;
  /** Best epoch so far. */
  bestEpoch = 0;
  private best = Infinity;
  private wait = 0;
  private bestWeights: Tensor[] | null = null;

  constructor(
    args: {
      monitor?: string;
      minDelta?: number;
      patience?: number;
      mode?: Mode;
      baseline?: number;
      restoreBestWeights?: boolean;
      startFromEpoch?: number;
      /** 1: print Keras's 'Epoch N: early stopping' and weight-restoring lines. */
      verbose?: number;
    } = {},
  ) {
    super();
    checkOptions('EarlyStopping', args, [
      'monitor',
      'minDelta',
      'patience',
      'mode',
      'baseline',
      'restoreBestWeights',
      'startFromEpoch',
      'verbose',
    ]);
    this.verbose = args.verbose ?? 0;
    this.monitor = args.monitor ?? 'val_loss';
    this.minDelta = Math.abs(args.minDelta ?? 0);
    this.patience = nonNegativeInt('EarlyStopping', 'patience', args.patience ?? 0);
    this.baseline = args.baseline;
    this.restoreBestWeights = args.restoreBestWeights ?? false;
    this.startFromEpoch = nonNegativeInt('EarlyStopping', 'startFromEpoch', args.startFromEpoch ?? 0);
    this.up = improvesUp(args.mode ?? 'auto', this.monitor, 'EarlyStopping');
  }

  private score(v: number): number {
    return this.up ? -v : v;
  }

  override onTrainBegin(): void {
    this.wait = 0;
    this.stoppedEpoch = 0;
    this.best = this.baseline !== undefined ? this.score(this.baseline) : Infinity;
    this.bestEpoch = 0;
    this.dropBest();
  }

  override onEpochEnd(epoch: number, logs: Logs = {}): void {
    const value = logs[this.monitor];
    if (value === undefined) {
      console.warn(
        `EarlyStopping: metric '${this.monitor}' is not in the logs (available: ${Object.keys(logs).join(', ')})`,
      );
      return;
    }
    if (epoch < this.startFromEpoch || !this.model) return;
    if (this.restoreBestWeights && this.bestWeights === null) this.bestWeights = this.model.getWeights();
    this.wait++;
    if (this.score(value) < this.best - this.minDelta) {
      this.best = this.score(value);
      this.bestEpoch = epoch;
      this.wait = 0;
      if (this.restoreBestWeights) {
        this.dropBest();
        this.bestWeights = this.model.getWeights();
      }
      return;
    }
    if (this.wait >= this.patience && epoch > 0) {
      this.stoppedEpoch = epoch;
      this.model.stopTraining = true;
      if (this.restoreBestWeights && this.bestWeights && this.verbose > 0)
        console.log(`Restoring model weights from the end of the best epoch: ${this.bestEpoch + 1}.`);
    }
  }

  override onTrainEnd(): void {
    if (this.stoppedEpoch > 0 && this.verbose > 0)
      console.log(`Epoch ${this.stoppedEpoch + 1}: early stopping`);
    if (this.restoreBestWeights && this.bestWeights && this.model && this.stoppedEpoch > 0)
      this.model.setWeights(this.bestWeights);
    this.dropBest();
  }

  private dropBest(): void {
    for (const t of this.bestWeights ?? []) t.dispose();
    this.bestWeights = null;
  }
}

/**
 * Saves the model after each epoch (or only when the monitored quantity improves). The path may
 * contain '{epoch}' (1-based) and any log key: 'ckpt-{epoch}-{val_loss}'.
 *
 * ```ts
 * new ModelCheckpoint({ filepath: 'indexeddb://best', monitor: 'val_loss', saveBestOnly: true });
 * ```
 */
export class ModelCheckpoint extends Callback {
  readonly filepath: string;
  readonly monitor: string;
  readonly saveBestOnly: boolean;
  readonly verbose: number;
  private readonly up: boolean;
  private best = Infinity;
  /** Paths written so far. */
  saved: string[] = [];

  constructor(args: {
    filepath: string;
    monitor?: string;
    saveBestOnly?: boolean;
    mode?: Mode;
    /** 1: print Keras's 'Epoch N: val_loss improved from ... saving model to ...' lines. */
    verbose?: number;
  }) {
    super();
    if (typeof args?.filepath !== 'string')
      throw new Error(`ModelCheckpoint: filepath must be a string, got ${String(args?.filepath ?? args)}`);
    checkOptions('ModelCheckpoint', args, ['filepath', 'monitor', 'saveBestOnly', 'mode', 'verbose']);
    this.verbose = args.verbose ?? 0;
    this.filepath = args.filepath;
    this.monitor = args.monitor ?? 'val_loss';
    this.saveBestOnly = args.saveBestOnly ?? false;
    this.up = improvesUp(args.mode ?? 'auto', this.monitor, 'ModelCheckpoint');
  }

  override onTrainBegin(): void {
    this.best = Infinity;
  }

  override async onEpochEnd(epoch: number, logs: Logs = {}): Promise<void> {
    if (!this.model) return;
    const path = this.filepath.replace(/\{(\w+)(?::[^}]*)?\}/g, (m, key: string) =>
      key === 'epoch' ? String(epoch + 1) : logs[key] !== undefined ? logs[key].toFixed(4) : m,
    );
    const say = (line: string) => {
      if (this.verbose > 0) console.log(`Epoch ${epoch + 1}: ${line}`);
    };
    if (this.saveBestOnly) {
      const value = logs[this.monitor];
      if (value === undefined) {
        console.warn(`ModelCheckpoint: metric '${this.monitor}' is not in the logs`);
        return;
      }
      const score = this.up ? -value : value;
      // Keras 3 starts from best = None (no initial_value_threshold) and prints values with :.5f.
      const shown = (v: number) => (Number.isFinite(v) ? v.toFixed(5) : v > 0 ? 'inf' : '-inf');
      const before = this.best === Infinity ? 'None' : shown(this.up ? -this.best : this.best);
      if (!(score < this.best)) {
        say(`${this.monitor} did not improve from ${before}`);
        return;
      }
      this.best = score;
      say(`${this.monitor} improved from ${before} to ${shown(value)}, saving model to ${path}`);
    } else {
      say(`saving model to ${path}`);
    }
    await this.model.save(path);
    this.saved.push(path);
    say(`finished saving model to ${path}`);
  }
}

/**
 * Sets the learning rate at the start of each epoch from `schedule(epoch, currentLr)`.
 *
 * ```ts
 * new LearningRateScheduler((epoch, lr) => (epoch < 2 ? lr : lr * 0.5));
 * ```
 */
export class LearningRateScheduler extends Callback {
  constructor(private readonly schedule: (epoch: number, lr: number) => number) {
    super();
    if (typeof schedule !== 'function')
      throw new Error(`LearningRateScheduler: schedule must be a function, got ${String(schedule)}`);
  }
  override onEpochBegin(epoch: number): void {
    const opt = this.model?.optimizer;
    if (!opt) return;
    const lr = this.schedule(epoch, opt.currentLearningRate);
    if (!Number.isFinite(lr)) throw new Error(`LearningRateScheduler: the schedule returned ${lr}`);
    opt.learningRate = lr;
  }
  override onEpochEnd(_epoch: number, logs?: Logs): void {
    if (logs && this.model) logs.learning_rate = this.model.optimizer.currentLearningRate;
  }
}

/**
 * Multiplies the learning rate by `factor` when the monitored quantity has not improved for
 * `patience` epochs (not below minLr; waits `cooldown` epochs after a reduction).
 *
 * ```ts
 * new ReduceLROnPlateau({ monitor: 'val_loss', factor: 0.5, patience: 2 });
 * ```
 */
export class ReduceLROnPlateau extends Callback {
  readonly monitor: string;
  readonly factor: number;
  readonly patience: number;
  readonly minDelta: number;
  readonly cooldown: number;
  readonly minLr: number;
  readonly verbose: number;
  private readonly up: boolean;
  private best = Infinity;
  private wait = 0;
  private cooldownLeft = 0;

  constructor(
    args: {
      monitor?: string;
      factor?: number;
      patience?: number;
      mode?: Mode;
      minDelta?: number;
      cooldown?: number;
      minLr?: number;
      /** 1: print Keras's 'Epoch N: ReduceLROnPlateau reducing learning rate to ...' line. */
      verbose?: number;
    } = {},
  ) {
    super();
    checkOptions('ReduceLROnPlateau', args, [
      'monitor',
      'factor',
      'patience',
      'mode',
      'minDelta',
      'cooldown',
      'minLr',
      'verbose',
    ]);
    this.verbose = args.verbose ?? 0;
    this.monitor = args.monitor ?? 'val_loss';
    this.factor = args.factor ?? 0.1;
    if (!(this.factor < 1)) throw new Error(`ReduceLROnPlateau: factor must be < 1, got ${this.factor}`);
    this.patience = nonNegativeInt('ReduceLROnPlateau', 'patience', args.patience ?? 10);
    this.minDelta = args.minDelta ?? 1e-4;
    this.cooldown = nonNegativeInt('ReduceLROnPlateau', 'cooldown', args.cooldown ?? 0);
    this.minLr = args.minLr ?? 0;
    this.up = improvesUp(args.mode ?? 'auto', this.monitor, 'ReduceLROnPlateau');
  }

  override onTrainBegin(): void {
    this.best = Infinity;
    this.wait = 0;
    this.cooldownLeft = 0;
  }

  override onEpochEnd(epoch: number, logs: Logs = {}): void {
    const value = logs[this.monitor];
    const opt = this.model?.optimizer;
    if (!opt) return;
    logs.learning_rate = opt.currentLearningRate;
    if (value === undefined) {
      console.warn(`ReduceLROnPlateau: metric '${this.monitor}' is not in the logs`);
      return;
    }
    if (this.cooldownLeft > 0) {
      this.cooldownLeft--;
      this.wait = 0;
    }
    const score = this.up ? -value : value;
    if (score < this.best - this.minDelta) {
      this.best = score;
      this.wait = 0;
      return;
    }
    if (this.cooldownLeft > 0) return;
    this.wait++;
    if (this.wait >= this.patience) {
      if (opt.learningRate instanceof LearningRateSchedule) {
        console.warn('ReduceLROnPlateau: the optimizer uses a schedule; not changing it');
        return;
      }
      const lr = opt.currentLearningRate;
      // Keras compares and prints the rate read back from its float32 variable: 0.001 * 0.5 prints
      // as 0.0005000000237487257. The rate set here is the same number in float32.
      if (Math.fround(lr) > Math.fround(this.minLr)) {
        opt.learningRate = Math.max(lr * this.factor, this.minLr);
        const shown = Math.max(Math.fround(lr) * this.factor, this.minLr);
        if (this.verbose > 0)
          console.log(`Epoch ${epoch + 1}: ReduceLROnPlateau reducing learning rate to ${pyFloat(shown)}.`);
        this.cooldownLeft = this.cooldown;
        this.wait = 0;
      }
    }
  }
}
