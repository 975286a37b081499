// fit's logs without a stall per batch: the loss and metric trackers live on the device, and batch k's
// logs are read (asynchronously) while step k+1 runs, then handed to onBatchEnd(k).
import { stack, tidy, type Tensor } from '@webdl/core';
import type { CallbackList, Logs } from '../callbacks.js';
import type { CompiledState } from './training.js';

/** Every tracked value (loss, per-output losses, metrics, in logNames order) in one stacked tensor. */
export function logValues(state: CompiledState): Tensor {
  return tidy(() =>
    stack(
      [state.lossTracker, ...state.outputLossTrackers, ...state.metrics.flat()].map((m) =>
        m.result().reshape([]),
      ),
    ),
  );
}

/** Starts one read back of every tracked value (one small stacked tensor); resolves to the logs. */
export function readLogs(state: CompiledState): Promise<Logs> {
  const all = logValues(state);
  const read = all
    .data()
    .then((values) => Object.fromEntries(state.logNames.map((name, i) => [name, values[i]])))
    // A read that fails (a device lost mid-read) must not leak the stacked logs.
    .finally(() => all.dispose());
  // Marked handled now: a read that fails before it is awaited is not an unhandled rejection (it
  // still throws where it is awaited).
  read.catch(() => undefined);
  return read;
}

/**
 * Delivers onBatchEnd with each batch's logs, one batch behind the steps: `stepDone(k)` is called
 * once step k is submitted; it starts the read of k's logs and then waits for k-1's (whose values
 * were computed before step k was queued), so the device never idles waiting for a readback.
 *
 * The semantics (as Keras's steps_per_execution, with one step in flight):
 * - onBatchBegin(k) runs before step k is submitted: a learning rate set there applies to step k.
 * - onBatchEnd(k) gets batch k's exact logs but runs after step k+1 was submitted (so after
 *   onBatchBegin(k+1)): a learning rate or `stopTraining` set there takes effect from step k+2.
 *   Every step that ran gets its onBatchEnd (`flush` delivers the last one).
 * - Epoch-end logs are read after every batch is delivered: EarlyStopping, ReduceLROnPlateau,
 *   ModelCheckpoint and LearningRateScheduler act exactly as with synchronous logs.
 * When no callback implements onBatchEnd nothing is read per batch.
 *
 * ```ts
 * const reader = new BatchLogReader(state, callbacks);
 * for (let b = 0; b < steps; b++) { runStep(b); await reader.stepDone(b); }
 * await reader.flush();
 * ```
 */
export class BatchLogReader {
  private pending: { batch: number; logs: Promise<Logs> } | null = null;
  private readonly wants: boolean;

  constructor(
    private readonly state: CompiledState,
    private readonly callbacks: CallbackList,
  ) {
    this.wants = callbacks.wantsBatchLogs;
  }

  /** Step `batch` was submitted: starts reading its logs, then delivers the previous batch's. */
  async stepDone(batch: number): Promise<void> {
    if (!this.wants) {
      await this.callbacks.onBatchEnd(batch, undefined);
      return;
    }
    const previous = this.pending;
    this.pending = { batch, logs: readLogs(this.state) };
    if (previous) await this.callbacks.onBatchEnd(previous.batch, await previous.logs);
  }

  /** Delivers the batch still in flight (before the epoch's logs are read). */
  async flush(): Promise<void> {
    const last = this.pending;
    this.pending = null;
    if (last) await this.callbacks.onBatchEnd(last.batch, await last.logs);
  }

  /** Drops a read still in flight after a failed epoch, once it has settled (so its tensor is freed). */
  async abandon(): Promise<void> {
    const last = this.pending;
    this.pending = null;
    if (last) await last.logs.catch(() => undefined);
  }
}
