// Turns fit's callback logs into the progress reports the page draws: counters, rates, per-batch values.
import type { Logs } from 'webdl';
import type { Progress, TrainResult } from '../protocol.js';
import { logValue } from './util.js';

const ACCURACY = ['accuracy', 'acc', 'categorical_accuracy'];
const VAL_ACCURACY = ['val_accuracy', 'val_acc', 'val_categorical_accuracy'];

/**
 * Bookkeeping for one training run. Time spent paused or reporting is left out of samples/s.
 *
 * ```ts
 * const progress = new FitProgress(epochs, batches, batchSize);
 * progress.batchEnd(logs); send(progress.report('batch', batch + 1));
 * ```
 */
export class FitProgress {
  private step = 0;
  private epoch = 0;
  private samples = 0;
  private activeMs = 0;
  private last = performance.now();
  private pending: Pick<Progress, 'batchLoss' | 'batchAccuracy'> = { batchLoss: [], batchAccuracy: [] };
  private latest: Logs = {};
  private val: Logs = {};

  constructor(
    readonly epochs: number,
    readonly batches: number,
    private readonly batchSize: number,
  ) {}

  /** `batch` counts from 0 in each epoch; fit logs running means over the epoch so far. */
  batchEnd(batch: number, logs: Logs | undefined): void {
    this.activeMs += performance.now() - this.last;
    this.samples += this.batchSize;
    this.step++;
    const previous = batch === 0 ? {} : this.latest;
    this.latest = logs ?? {};
    // Undo the running mean so the curves show each batch's own value: x_b = (b+1) m_b - b m_(b-1).
    const own = (keys: string[]) => {
      const mean = logValue(this.latest, ...keys) ?? NaN;
      return batch === 0 ? mean : (batch + 1) * mean - batch * (logValue(previous, ...keys) ?? NaN);
    };
    this.pending.batchLoss.push(own(['loss']));
    this.pending.batchAccuracy.push(own(ACCURACY));
  }

  epochEnd(epoch: number, logs: Logs | undefined): void {
    this.epoch = epoch;
    this.latest = logs ?? this.latest;
    this.val = logs ?? {};
  }

  /** Starts the clock again after a pause, a report or validation. */
  resumeClock(): void {
    this.last = performance.now();
  }

  /** A report of everything since the previous one; after an epoch's report, the next epoch begins. */
  report(phase: Progress['phase'], batch: number): Progress {
    const p: Progress = {
      phase,
      epoch: this.epoch,
      epochs: this.epochs,
      batch,
      batches: this.batches,
      finishedEpochs: phase === 'epoch' ? this.epoch + 1 : this.epoch,
      step: this.step,
      loss: logValue(this.latest, 'loss') ?? NaN,
      accuracy: logValue(this.latest, ...ACCURACY) ?? NaN,
      valLoss: logValue(this.val, 'val_loss'),
      valAccuracy: logValue(this.val, ...VAL_ACCURACY),
      samplesPerSec: this.activeMs > 0 ? (this.samples * 1000) / this.activeMs : 0,
      ...this.pending,
    };
    this.pending = { batchLoss: [], batchAccuracy: [] };
    if (phase === 'epoch') this.epoch++;
    return p;
  }

  result(stopped: boolean): TrainResult {
    return {
      stopped,
      epochs: this.epoch,
      loss: logValue(this.latest, 'loss') ?? NaN,
      accuracy: logValue(this.latest, ...ACCURACY) ?? NaN,
      valLoss: logValue(this.val, 'val_loss'),
      valAccuracy: logValue(this.val, ...VAL_ACCURACY),
    };
  }
}
