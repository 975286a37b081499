// fit across a WebGPU device loss: host snapshots of weights, optimizer state and data at each epoch end,
// restored on the new device (which the webgpu backend opens by itself) before the interrupted epoch reruns.
import { ENGINE, ready, tensor, type Backend, type Tensor, type Variable } from '@webdl/core';
import type { CallbackList } from '../callbacks.js';
import type { Model } from './model.js';
import type { CompiledState } from './training.js';

/** fit's tensors: training inputs and targets (sample weights last), and validation data. */
export interface FitData {
  xs: Tensor[];
  ys: Tensor[];
  val: [Tensor[], Tensor[]] | null;
}

interface HostCopy {
  values: Awaited<ReturnType<Tensor['data']>>;
  shape: number[];
  dtype: Tensor['dtype'];
}

/** Losses in one epoch after which fit gives up (a device that keeps failing). */
const MAX_LOSSES_PER_EPOCH = 3;

/** Whether `b` is a backend whose device can be lost (WebGPU). */
const canLose = (b: Backend): boolean => 'isLost' in b;

const isLost = (b: Backend): boolean => b.isLost === true;

async function hostCopy(t: Tensor): Promise<HostCopy> {
  return { values: await t.data(), shape: [...t.shape], dtype: t.dtype };
}

const fromHost = (c: HostCopy): Tensor => tensor(c.values, c.shape, c.dtype);

/** Whether the device of `b` was lost (waiting for a loss Dawn or the browser has not reported yet). */
async function wasLost(b: Backend): Promise<boolean> {
  if (isLost(b)) return true;
  try {
    await ready();
  } catch {
    // A failing sync on a destroyed device: its loss is reported next.
  }
  for (let i = 0; i < 10 && !isLost(b); i++) await new Promise((r) => setTimeout(r, 5));
  return isLost(b);
}

/**
 * Guards fit's epochs on a backend that can lose its device; elsewhere it only runs them.
 *
 * ```ts
 * const guard = await DeviceLossGuard.start(model, state, { xs, ys, val });
 * const logs = await guard.run(epoch, callbacks, (data) => runEpoch(data));
 * guard.dispose();
 * ```
 */
export class DeviceLossGuard {
  private weights = new Map<Variable, HostCopy>();
  private iterations = 0;
  private hostData: { xs: HostCopy[]; ys: HostCopy[]; val: [HostCopy[], HostCopy[]] | null } | null = null;
  private readonly made: Tensor[] = [];

  private constructor(
    private readonly model: Model,
    private readonly state: CompiledState,
    /** The tensors the epochs use: re-created on the new device after a loss. */
    readonly data: FitData,
    private readonly active: boolean,
  ) {}

  /** Takes the first snapshot (weights, optimizer state, data) when the current backend can lose its device. */
  static async start(model: Model, state: CompiledState, data: FitData): Promise<DeviceLossGuard> {
    const guard = new DeviceLossGuard(model, state, { ...data }, canLose(ENGINE.backend));
    if (guard.active) {
      const copies = (ts: Tensor[]) => Promise.all(ts.map(hostCopy));
      guard.hostData = {
        xs: await copies(data.xs),
        ys: await copies(data.ys),
        val: data.val ? [await copies(data.val[0]), await copies(data.val[1])] : null,
      };
      await guard.snapshot();
    }
    return guard;
  }

  /** Runs one epoch; after a device loss restores the last snapshot, tells callbacks and runs it again. */
  async run<T>(epoch: number, callbacks: CallbackList, fn: (data: FitData) => Promise<T>): Promise<T> {
    if (!this.active) return fn(this.data);
    for (let losses = 0; ; losses++) {
      const backend = ENGINE.backend;
      let error: Error;
      try {
        const result = await fn(this.data);
        if (!isLost(backend)) {
          await this.snapshot();
          return result;
        }
        error = new Error(`fit: the WebGPU device was lost in epoch ${epoch}`);
      } catch (e) {
        if (!(await wasLost(backend))) throw e;
        // What failed first may be any call on the dying device (in Chromium, often a pending
        // mapAsync of the logs): the error callbacks see names the loss, with that failure as cause.
        const message = e instanceof Error ? e.message : String(e);
        error = /lost/.test(message)
          ? (e as Error)
          : new Error(`fit: the WebGPU device was lost in epoch ${epoch} (${message})`, { cause: e });
      }
      if (losses + 1 >= MAX_LOSSES_PER_EPOCH)
        throw new Error(
          `fit: the WebGPU device was lost ${MAX_LOSSES_PER_EPOCH} times in epoch ${epoch}; giving up (${error.message})`,
        );
      await this.restore();
      await callbacks.onDeviceLost(epoch, error);
    }
  }

  /** Frees the tensors re-created after a loss. */
  dispose(): void {
    for (const t of this.made) t.dispose();
    this.made.length = 0;
  }

  private variables(): Variable[] {
    return [...this.model.weights, ...this.state.optimizer.variables];
  }

  private async snapshot(): Promise<void> {
    const vars = this.variables();
    const copies = await Promise.all(vars.map(hostCopy));
    this.weights = new Map(vars.map((v, i) => [v, copies[i]]));
    this.iterations = this.state.optimizer.iterations;
  }

  /** Waits for the new device, then puts the snapshot and the data on it; compiled graphs of the old device go. */
  private async restore(): Promise<void> {
    await ready();
    this.state.steps.dispose();
    const optimizer = this.state.optimizer;
    optimizer.dropSlotsExcept(new Set(this.weights.keys()));
    for (const [v, copy] of this.weights) {
      const t = fromHost(copy);
      v.assign(t);
      t.dispose();
    }
    optimizer.iterations = this.iterations;
    const host = this.hostData;
    if (!host) return;
    this.dispose();
    const make = (cs: HostCopy[]) =>
      cs.map((c) => {
        const t = fromHost(c);
        this.made.push(t);
        return t;
      });
    this.data.xs = make(host.xs);
    this.data.ys = make(host.ys);
    this.data.val = host.val ? [make(host.val[0]), make(host.val[1])] : null;
  }
}
