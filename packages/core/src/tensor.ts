// Tensor: an immutable handle to backend storage. Its chainable op methods (`x.add(1)`) are
// generated from the op table in ops/methods.ts, so this module imports no op.
import type { Backend, DataId } from './backend.js';
import { ENGINE, type KernelOutput } from './engine.js';
import { formatTensor } from './format.js';
import { dataToGPU, type GPUData } from './gpu-data.js';
import { fmtShape, sizeOf } from './shape.js';
import type { DType, NestedArray, TypedArray } from './types.js';

/** Tensors up to this many values show them in console.log (Node). */
const INSPECT_MAX_VALUES = 100;

/**
 * An immutable n-dimensional array living on a backend.
 *
 * ```ts
 * const t = tensor([[1, 2], [3, 4]]);
 * await t.add(1).print();
 * ```
 */
export class Tensor {
  readonly id: number;
  readonly shape: readonly number[];
  readonly dtype: DType;
  readonly size: number;
  /** True for trainable Variables (and their saved copies): tapes watch them automatically. */
  readonly watchedByDefault: boolean = false;
  /** Set by `keep()`: tidy will not dispose this tensor. */
  isKept = false;
  private disposed = false;
  private _dataId: DataId;
  private _backend: Backend;

  /** @internal tensors are made by ops; use `tensor()` and friends. */
  constructor(out: KernelOutput, backend: Backend, id = ENGINE.nextId++, inScope = true) {
    this.id = id;
    // A private frozen copy: mutating the caller's array later cannot change the tensor.
    this.shape = Object.freeze([...out.shape]);
    this.dtype = out.dtype;
    this.size = sizeOf(out.shape);
    this._dataId = out.dataId;
    this._backend = backend;
    ENGINE.retainData(out.dataId, backend, out.dtype, this.size);
    ENGINE.track(this, inScope);
  }

  get dataId(): DataId {
    return this._dataId;
  }
  get backend(): Backend {
    return this._backend;
  }
  get rank(): number {
    return this.shape.length;
  }
  get isDisposed(): boolean {
    return this.disposed;
  }
  /** 'Tensor' or 'Variable', for messages. */
  protected get kindName(): string {
    return 'Tensor';
  }

  /** @internal a copy sharing storage and id, kept alive by a tape for its backward pass. */
  savedCopy(): Tensor {
    const t = new Tensor(
      { dataId: this._dataId, shape: this.shape, dtype: this.dtype },
      this._backend,
      this.id,
      false,
    );
    (t as { watchedByDefault: boolean }).watchedByDefault = this.watchedByDefault;
    return t;
  }

  /** @internal replaces storage (Variable assignment, moving between backends). */
  moveTo(backend: Backend, dataId: DataId): void {
    ENGINE.retainData(dataId, backend, this.dtype, this.size);
    ENGINE.leaks.moved(this, dataId);
    ENGINE.releaseData(this._dataId);
    this._backend = backend;
    this._dataId = dataId;
  }

  /** @internal points at other storage without touching reference counts (jit's stand-ins). */
  swapData(dataId: DataId): void {
    this._dataId = dataId;
  }

  /** @internal throws if disposed. */
  assertAlive(op: string): void {
    if (this.disposed)
      throw new Error(`${op}: tensor ${fmtShape(this.shape)} ${this.dtype} (id ${this.id}) was disposed`);
  }

  /** Reads the values back (asynchronously: the GPU is never waited on synchronously). */
  async data(): Promise<TypedArray> {
    this.assertAlive('data');
    return this._backend.read(this._dataId, this.dtype, this.size);
  }

  /** Values as nested arrays. */
  async array(): Promise<NestedArray> {
    const values = Array.from(await this.data());
    if (this.rank === 0) return values[0];
    const build = (dim: number, offset: number): NestedArray[] => {
      const n = this.shape[dim];
      const stride = sizeOf(this.shape.slice(dim + 1));
      if (dim === this.rank - 1) return values.slice(offset, offset + n);
      return Array.from({ length: n }, (_, i) => build(dim + 1, offset + i * stride));
    };
    return build(0, 0);
  }

  /** The value of a one-element tensor. */
  async item(): Promise<number> {
    if (this.size !== 1)
      throw new Error(`item: tensor has ${this.size} elements (shape ${fmtShape(this.shape)}), not 1`);
    return (await this.data())[0];
  }

  /** Values formatted like NumPy. */
  async str(): Promise<string> {
    return formatTensor(await this.data(), this.shape, this.dtype);
  }

  /** Prints the values (console.log). */
  async print(): Promise<void> {
    console.log(await this.str());
  }

  /** 'Tensor float32 [2,3] on webgpu' (synchronous: no values). */
  toString(): string {
    return `${this.kindName} ${this.dtype} ${fmtShape(this.shape)} on ${this._backend.name}`;
  }

  /**
   * What Node's console.log and util.inspect show: the toString line, plus the values of small
   * tensors where the backend can read synchronously (cpu); never the internals.
   */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    const head = this.toString();
    if (this.isDisposed) return `${head} (disposed)`;
    const read = this._backend.readSync;
    if (!read || this.size > INSPECT_MAX_VALUES) return head;
    return `${head}\n${formatTensor(read.call(this._backend, this.dataId, this.dtype, this.size), this.shape, this.dtype)}`;
  }

  /**
   * The tensor's GPU buffer (webgpu backend), alive until the returned `dispose()` even if the tensor is
   * disposed first; page code may bind it in its own pipelines.
   *
   * ```ts
   * const { buffer, ready, dispose } = t.dataToGPU();
   * await ready; // then submit your own passes reading buffer
   * dispose();
   * ```
   */
  dataToGPU(): GPUData {
    this.assertAlive('dataToGPU');
    return dataToGPU(this);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    ENGINE.releaseData(this._dataId);
    ENGINE.untrack(this);
  }

  [Symbol.dispose](): void {
    this.dispose();
  }
}

ENGINE.makeTensor = (out, backend) => new Tensor(out, backend);
