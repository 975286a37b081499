// The engine: the active backend, tensor bookkeeping (reference-counted storage, tidy scopes,
// memory figures) and the single entry point through which every primitive op runs and is taped.
import type { Backend, DataId, TensorInfo } from './backend.js';
import { CpuBackend } from './cpu/backend.js';
import { bytesPerElement, type DType, type TypedArray } from './types.js';
import type { Tensor } from './tensor.js';
import { LeakTracker } from './leaks.js';

/**
 * Gradient rule of a primitive: given output gradients and the saved inputs/outputs, returns one gradient (or null) per input.
 *
 * ```ts
 * const grad: GradFn = ([dy], { inputs: [x] }) => [dy.mul(x.cos())]; // the rule of sin
 * ```
 */
export type GradFn = (dys: Tensor[], saved: SavedOp) => (Tensor | null)[];

/**
 * What a recorded op keeps for its backward pass.
 *
 * ```ts
 * const rule: GradFn = (dys, saved: SavedOp) => [dys[0].mul(saved.outputs[0])]; // the rule of exp
 * ```
 */
export interface SavedOp {
  inputs: Tensor[];
  outputs: Tensor[];
  /** needs[i] is false when no gradient is wanted for input i (the rule may skip computing it). */
  needs: boolean[];
}

/** A tape as the engine sees it (implemented by GradientTape). */
export interface TapeLike {
  /** Called for every primitive op run while the tape is recording. */
  onOp(name: string, inputs: Tensor[], outputs: Tensor[], grad: GradFn): void;
}

interface DataEntry {
  backend: Backend;
  refs: number;
  bytes: number;
}

interface BackendEntry {
  factory: () => Backend | Promise<Backend>;
  priority: number;
  instance?: Backend;
}

/** Output of a kernel before it becomes a Tensor. */
export interface KernelOutput {
  dataId: DataId;
  shape: readonly number[];
  dtype: DType;
}

/** Shape and dtype of a primitive's output. */
export interface OutSig {
  readonly shape: readonly number[];
  readonly dtype: DType;
}

/**
 * Watches (trace) or stands in for (shadow replay) the execution of primitives: installed by `jit`
 * while it runs a function. `run` returns the outputs' storage, `kernel()` computing it for real.
 */
export interface Recorder {
  run(
    name: string,
    attrs: object,
    inputs: Tensor[],
    outs: readonly OutSig[],
    kernel: () => DataId[],
  ): DataId[];
  /** The tensors made from `run`'s storage. */
  produced(outputs: Tensor[]): void;
  /** A Variable taking the value of a tensor; true when the recorder did it (the Variable must not). */
  write(variable: Tensor, value: Tensor): boolean;
  /** Every tensor made while recording (op outputs, constants, tapes' copies). */
  adopt(t: Tensor): void;
  /** Host values becoming a tensor (a constant of the graph). */
  upload(values: TypedArray, shape: readonly number[], dtype: DType, backend: Backend): DataId;
}

/** Factory the tensor module installs so the engine can build Tensor objects without an import cycle at load time. */
type TensorMaker = (out: KernelOutput, backend: Backend) => Tensor;

class Engine {
  // The CPU reference backend is always there (no import side effect needed: bundles may drop those).
  private registry = new Map<string, BackendEntry>([
    ['cpu', { factory: () => new CpuBackend(), priority: 1 }],
  ]);
  private current: Backend | null = null;
  private pendingInit: Promise<void> | null = null;
  private data = new Map<DataId, DataEntry>();
  private scopes: Set<Tensor>[] = [];
  private tapes: TapeLike[] = [];
  private tapesPaused = 0;

  /** Whether a tape records the ops run now (a jitted call then runs fn, so the tape sees them). */
  get taping(): boolean {
    return this.tapes.length > 0 && this.tapesPaused === 0;
  }
  /** The active jit recorder, if any. */
  recorder: Recorder | null = null;
  /** Storage that stands for values not computed yet (jit's shadow runs): never counted or freed. */
  readonly virtual = new WeakSet<DataId>();
  numTensors = 0;
  nextId = 0;
  makeTensor!: TensorMaker;
  /** What is creating tensors now (the running primitive, or 'upload'), for leak reports. */
  private creating = '';
  /** Leak reports and the garbage-collection safety net (see leaks.ts). */
  readonly leaks = new LeakTracker((dataId) => {
    this.numTensors--;
    this.releaseData(dataId);
  });

  registerBackend(name: string, factory: () => Backend | Promise<Backend>, priority = 1): void {
    this.registry.set(name, { factory, priority });
  }

  registeredBackends(): string[] {
    return [...this.registry.keys()];
  }

  async setBackend(name: string): Promise<void> {
    const entry = this.registry.get(name);
    if (!entry)
      throw new Error(
        `setBackend: unknown backend '${name}' (registered: ${this.registeredBackends().join(', ')})`,
      );
    entry.instance ??= await entry.factory();
    this.current = entry.instance;
  }

  /** Whether `b` is the registered instance of backend `name`. */
  isInstance(name: string, b: Backend): boolean {
    return this.registry.get(name)?.instance === b;
  }

  /** Puts `next` in the place of `old` (a backend whose device was lost), as instance and as current. */
  replaceBackend(name: string, old: Backend, next: Backend): void {
    const entry = this.registry.get(name);
    if (!entry || entry.instance !== old) return;
    entry.instance = next;
    if (this.current === old) this.current = next;
  }

  /** Forgets a backend instance (after device loss) so the next setBackend re-creates it. */
  resetBackend(name: string): void {
    const entry = this.registry.get(name);
    if (entry) {
      if (entry.instance === this.current) this.current = null;
      entry.instance = undefined;
    }
  }

  async ready(): Promise<void> {
    // With a backend set, ready() waits for queued work and throws what a device-side check recorded.
    if (this.current) return this.current.sync();
    this.pendingInit ??= (async () => {
      const names = [...this.registry.entries()]
        .sort((a, b) => b[1].priority - a[1].priority)
        .map(([n]) => n);
      for (const n of names) {
        try {
          await this.setBackend(n);
          return;
        } catch {
          /* try the next backend */
        }
      }
      throw new Error('ready: no backend could be initialized');
    })();
    await this.pendingInit;
  }

  get backend(): Backend {
    if (!this.current) {
      const cpu = this.registry.get('cpu');
      if (!cpu) throw new Error('No backend is set: call `await setBackend(...)` first');
      cpu.instance ??= cpu.factory() as Backend;
      this.current = cpu.instance;
    }
    return this.current;
  }

  get backendName(): string {
    return this.backend.name;
  }

  // ---- storage ----

  /** Registers (or adds a reference to) storage. */
  retainData(dataId: DataId, backend: Backend, dtype: DType, size: number): void {
    if (this.virtual.has(dataId)) return;
    const e = this.data.get(dataId);
    if (e) e.refs++;
    else this.data.set(dataId, { backend, refs: 1, bytes: size * bytesPerElement(dtype) });
  }

  /** Whether the engine holds references to this storage. */
  holds(dataId: DataId): boolean {
    return this.data.has(dataId);
  }

  /** How many tensors refer to this storage (0 when the engine does not hold it). */
  refCount(dataId: DataId): number {
    return this.data.get(dataId)?.refs ?? 0;
  }

  releaseData(dataId: DataId): void {
    const e = this.data.get(dataId);
    if (!e) return;
    if (--e.refs === 0) {
      this.data.delete(dataId);
      e.backend.disposeData(dataId);
    }
  }

  /** Creates a tensor from host values on the current backend. */
  upload(values: TypedArray, shape: readonly number[], dtype: DType): Tensor {
    const backend = this.backend;
    const rec = this.recorder;
    const dataId = rec ? rec.upload(values, shape, dtype, backend) : backend.write(values, dtype);
    const t = this.creatingAs('upload', () => this.makeTensor({ dataId, shape, dtype }, backend));
    rec?.produced([t]);
    return t;
  }

  private creatingAs<T>(op: string, make: () => T): T {
    const outer = this.creating;
    this.creating = op;
    try {
      return make();
    } finally {
      this.creating = outer;
    }
  }

  // ---- scopes ----

  /** Counts a new tensor; `inScope` adds it to the innermost tidy scope (saved tape copies are not). */
  track(t: Tensor, inScope: boolean): void {
    this.numTensors++;
    const op = !inScope
      ? 'tape'
      : this.creating || (t.constructor.name === 'Variable' ? 'variable' : 'other');
    this.leaks.created(t, op, t.dataId);
    if (inScope) this.scopes[this.scopes.length - 1]?.add(t);
    this.recorder?.adopt(t);
  }

  untrack(t: Tensor): void {
    this.numTensors--;
    this.leaks.disposed(t);
    for (const s of this.scopes) s.delete(t);
  }

  tidy<T>(fn: () => T): T {
    const scope = new Set<Tensor>();
    this.scopes.push(scope);
    let result: T;
    try {
      result = fn();
    } catch (e) {
      this.scopes.pop();
      // As tf.tidy: what the failing function created is freed before the error propagates.
      for (const t of scope) if (!t.isKept) t.dispose();
      throw e;
    }
    this.scopes.pop();
    if (result instanceof Promise) {
      throw new Error('tidy: the function must be synchronous (it returned a Promise)');
    }
    const keepers = new Set<Tensor>();
    collectTensors(result, keepers);
    const parent = this.scopes[this.scopes.length - 1];
    for (const t of scope) {
      if (keepers.has(t)) parent?.add(t);
      else if (!t.isKept) t.dispose();
    }
    return result;
  }

  // ---- ops ----

  /**
   * Runs a primitive (called by `runPrimitive`): `kernel` computes the storage of outputs shaped
   * `sigs` on the backend from the inputs' storage; if a recording tape watches any input, the op
   * is taped with `grad`. `attrs` (plain data) are what a jit trace records of the op.
   */
  run(
    name: string,
    inputs: Tensor[],
    sigs: readonly OutSig[],
    kernel: (b: Backend, xs: TensorInfo[]) => DataId[],
    grad?: GradFn,
    attrs: object = {},
  ): Tensor[] {
    const backend = this.backend;
    const infos = inputs.map((t) => this.onBackend(name, t, backend));
    const rec = this.recorder;
    const ids = rec
      ? rec.run(name, attrs, inputs, sigs, () => kernel(backend, infos))
      : kernel(backend, infos);
    const outs = this.creatingAs(name, () =>
      ids.map((dataId, i) => this.makeTensor({ dataId, ...sigs[i] }, backend)),
    );
    rec?.produced(outs);
    // Only float results carry gradients: ops with int/bool outputs are never taped.
    if (grad && this.tapes.length > 0 && this.tapesPaused === 0 && outs.some((o) => o.dtype === 'float32')) {
      for (const tape of this.tapes) tape.onOp(name, inputs, outs, grad);
    }
    return outs;
  }

  /** Storage of a tensor on the given backend, copying from the CPU backend if it lives there. */
  private onBackend(op: string, t: Tensor, backend: Backend): TensorInfo {
    t.assertAlive(op);
    if (t.backend === backend) return t;
    if (t.backend.isLost)
      throw new Error(
        `${op}: tensor ${t.toString()} was lost with the WebGPU device; re-create it from host values`,
      );
    if (!t.backend.readSync) {
      throw new Error(
        `${op}: tensor ${t.toString()} lives on backend '${t.backend.name}', not the current '${backend.name}'; read it with data() and re-create it`,
      );
    }
    const values = t.backend.readSync(t.dataId, t.dtype, t.size);
    t.moveTo(backend, backend.write(values, t.dtype));
    return t;
  }

  pushTape(t: TapeLike): void {
    this.tapes.push(t);
  }

  popTape(t: TapeLike): void {
    const i = this.tapes.lastIndexOf(t);
    if (i >= 0) this.tapes.splice(i, 1);
  }

  /** Runs fn with recording suspended on every tape. */
  withoutTapes<T>(fn: () => T): T {
    this.tapesPaused++;
    try {
      return fn();
    } finally {
      this.tapesPaused--;
    }
  }

  /** Records a custom op (customGradient) on the active tapes. */
  recordCustom(name: string, inputs: Tensor[], outputs: Tensor[], grad: GradFn): void {
    if (this.tapesPaused === 0) for (const tape of this.tapes) tape.onOp(name, inputs, outputs, grad);
  }

  memory(): MemoryInfo {
    let numBytes = 0;
    for (const e of this.data.values()) numBytes += e.bytes;
    const backend = this.current;
    return {
      numTensors: this.numTensors,
      numDataBuffers: this.data.size,
      numBytes,
      numBytesInBackend: 0,
      ...(backend ? backend.memory() : {}),
      byOp: this.leaks.liveByOp(),
      collectedByGc: this.leaks.collectedByGc,
    };
  }
}

/**
 * Memory figures: live tensors, storage buffers and their bytes, plus the backend's own figures.
 *
 * ```ts
 * const info: MemoryInfo = memory();
 * console.log(info.numTensors, info.numBytes);
 * ```
 */
export interface MemoryInfo {
  numTensors: number;
  numDataBuffers: number;
  numBytes: number;
  /** Bytes the backend holds, pooled buffers included. */
  numBytesInBackend: number;
  /** Live tensors by the op that created them ('matmul', 'upload' for tensor()/zeros()/..., 'tape' for a tape's saved copies). */
  byOp: Record<string, number>;
  /** Tensors garbage collected without dispose() whose storage the safety net freed. */
  collectedByGc: number;
  [key: string]: number | Record<string, number>;
}

function collectTensors(value: unknown, into: Set<Tensor>, depth = 0): void {
  if (value === null || value === undefined || depth > 4) return;
  if (typeof value !== 'object') return;
  if ('dataId' in value && 'shape' in value && 'isKept' in value) {
    into.add(value as Tensor);
    return;
  }
  if (Array.isArray(value)) for (const v of value) collectTensors(v, into, depth + 1);
  else if (Object.getPrototypeOf(value) === Object.prototype) {
    for (const v of Object.values(value)) collectTensors(v, into, depth + 1);
  }
}

/**
 * The process-wide engine.
 *
 * ```ts
 * ENGINE.registeredBackends(); // ['cpu', 'webgpu'] once registerWebGPU() ran
 * ENGINE.backendName; // the current backend, as getBackend()
 * ```
 */
export const ENGINE = new Engine();
