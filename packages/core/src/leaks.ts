// Leak reports: live tensors counted by the op that made them, profiles of what a function leaves alive
// (with the call site that created it), and a FinalizationRegistry safety net that frees the storage of
// tensors garbage collected without dispose().
import type { DataId } from './backend.js';
import type { Tensor } from './tensor.js';

/**
 * A tensor still alive after `profileMemory`'s function returned.
 *
 * ```ts
 * const { leaked } = await profileMemory(() => { tensor([1, 2]).square(); });
 * leaked.forEach((t: LeakedTensor) => console.log(t.id, t.shape));
 * ```
 */
export interface LeakedTensor {
  id: number;
  shape: readonly number[];
  dtype: string;
  /** The primitive (or 'upload', 'tape', 'variable') that created it. */
  op: string;
  /** The first stack frame outside webdl's own packages: where user code created it. */
  site: string;
}

interface Entry {
  op: string;
  /** Current storage (updated when a Variable is assigned): what the safety net frees. */
  dataId: DataId;
  site?: string;
  finalized: boolean;
}

/** Stack frames of webdl itself (and the test runner), skipped when naming a creation site. */
const INTERNAL =
  /[\\/](packages[\\/](core|webgpu|layers|webdl|datasets|vis)[\\/](src|dist)|node_modules)[\\/]|@webdl[\\/]|node:internal/;

function callSite(): string {
  // webdl's own frames can be many (layers -> ops -> engine): look deeper than the default 10.
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 60;
  const stack = new Error().stack ?? '';
  Error.stackTraceLimit = limit;
  const frames = stack.split('\n').slice(1);
  const user = frames.find((f) => /:\d+:\d+\)?\s*$/.test(f) && !INTERNAL.test(f));
  return (user ?? frames[frames.length - 1] ?? 'unknown').trim().replace(/^at /, '');
}

/**
 * Per-tensor bookkeeping for leak reports, driven by the engine's hooks (created, disposed, moved).
 * `collect` is the engine's way to free a tensor the garbage collector took.
 */
export class LeakTracker {
  private readonly records = new WeakMap<Tensor, Entry>();
  private readonly byOp = new Map<string, number>();
  private readonly profiles: Set<Tensor>[] = [];
  private readonly registry: FinalizationRegistry<Entry> | null;
  /** Tensors freed by the safety net. */
  collectedByGc = 0;
  /** Whether new tensors are registered with the safety net. */
  gcSafetyNet = true;

  constructor(private readonly collect: (dataId: DataId) => void) {
    this.registry =
      typeof FinalizationRegistry === 'function'
        ? new FinalizationRegistry((r: Entry) => this.finalize(r))
        : null;
  }

  created(t: Tensor, op: string, dataId: DataId): void {
    const r: Entry = { op, dataId, finalized: false };
    if (this.profiles.length > 0) {
      r.site = callSite();
      for (const p of this.profiles) p.add(t);
    }
    this.records.set(t, r);
    this.byOp.set(op, (this.byOp.get(op) ?? 0) + 1);
    if (this.gcSafetyNet) this.registry?.register(t, r, r);
  }

  disposed(t: Tensor): void {
    const r = this.records.get(t);
    if (!r) return;
    this.records.delete(t);
    this.count(r.op);
    this.registry?.unregister(r);
    for (const p of this.profiles) p.delete(t);
  }

  moved(t: Tensor, dataId: DataId): void {
    const r = this.records.get(t);
    if (r) r.dataId = dataId;
  }

  /** Live tensors by creating op, largest first. */
  liveByOp(): Record<string, number> {
    return Object.fromEntries([...this.byOp.entries()].sort((a, b) => b[1] - a[1]));
  }

  /** Starts collecting creations (with call sites); `end` returns the set. Profiles nest. */
  begin(): Set<Tensor> {
    const set = new Set<Tensor>();
    this.profiles.push(set);
    return set;
  }

  end(set: Set<Tensor>): LeakedTensor[] {
    this.profiles.splice(this.profiles.lastIndexOf(set), 1);
    return [...set].map((t) => {
      const r = this.records.get(t);
      return { id: t.id, shape: t.shape, dtype: t.dtype, op: r?.op ?? 'unknown', site: r?.site ?? 'unknown' };
    });
  }

  private count(op: string): void {
    const n = (this.byOp.get(op) ?? 1) - 1;
    if (n === 0) this.byOp.delete(op);
    else this.byOp.set(op, n);
  }

  private finalize(r: Entry): void {
    if (r.finalized) return;
    r.finalized = true;
    this.count(r.op);
    this.collectedByGc++;
    this.collect(r.dataId);
  }
}
