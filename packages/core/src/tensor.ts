// Tensor and Variable: immutable handles to backend storage, with chainable op methods.
import type { Backend, DataId } from './backend.js';
import { ENGINE, type KernelOutput } from './engine.js';
import { formatTensor } from './format.js';
import { dataToGPU, type GPUData } from './gpu-data.js';
import { fmtShape, shapesEqual, sizeOf } from './shape.js';
import type { DType, NestedArray, TensorLike, TypedArray } from './types.js';
import * as ops from './ops/index.js';
import type { ConvOptions, PoolPadding } from './ops/conv.js';

type Operand = Tensor | TensorLike;
type Axis = number | number[];

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
    ENGINE.releaseData(this._dataId);
    this._backend = backend;
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
    return `${this instanceof Variable ? 'Variable' : 'Tensor'} ${this.dtype} ${fmtShape(this.shape)} on ${this._backend.name}`;
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

  // ---- chainable ops (see the functions of the same names) ----
  add(b: Operand) {
    return ops.add(this, b);
  }
  sub(b: Operand) {
    return ops.sub(this, b);
  }
  mul(b: Operand) {
    return ops.mul(this, b);
  }
  div(b: Operand) {
    return ops.div(this, b);
  }
  pow(b: Operand) {
    return ops.pow(this, b);
  }
  maximum(b: Operand) {
    return ops.maximum(this, b);
  }
  minimum(b: Operand) {
    return ops.minimum(this, b);
  }
  equal(b: Operand) {
    return ops.equal(this, b);
  }
  notEqual(b: Operand) {
    return ops.notEqual(this, b);
  }
  greater(b: Operand) {
    return ops.greater(this, b);
  }
  greaterEqual(b: Operand) {
    return ops.greaterEqual(this, b);
  }
  less(b: Operand) {
    return ops.less(this, b);
  }
  lessEqual(b: Operand) {
    return ops.lessEqual(this, b);
  }
  logicalAnd(b: Operand) {
    return ops.logicalAnd(this, b);
  }
  logicalOr(b: Operand) {
    return ops.logicalOr(this, b);
  }
  logicalNot() {
    return ops.logicalNot(this);
  }
  neg() {
    return ops.neg(this);
  }
  abs() {
    return ops.abs(this);
  }
  sign() {
    return ops.sign(this);
  }
  exp() {
    return ops.exp(this);
  }
  log() {
    return ops.log(this);
  }
  log1p() {
    return ops.log1p(this);
  }
  sqrt() {
    return ops.sqrt(this);
  }
  rsqrt() {
    return ops.rsqrt(this);
  }
  square() {
    return ops.square(this);
  }
  reciprocal() {
    return ops.reciprocal(this);
  }
  sin() {
    return ops.sin(this);
  }
  cos() {
    return ops.cos(this);
  }
  tanh() {
    return ops.tanh(this);
  }
  sigmoid() {
    return ops.sigmoid(this);
  }
  relu() {
    return ops.relu(this);
  }
  relu6() {
    return ops.relu6(this);
  }
  leakyRelu(alpha?: number) {
    return ops.leakyRelu(this, alpha);
  }
  elu(alpha?: number) {
    return ops.elu(this, alpha);
  }
  selu() {
    return ops.selu(this);
  }
  gelu(approximate?: boolean) {
    return ops.gelu(this, approximate);
  }
  softplus() {
    return ops.softplus(this);
  }
  softsign() {
    return ops.softsign(this);
  }
  silu() {
    return ops.silu(this);
  }
  erf() {
    return ops.erf(this);
  }
  floor() {
    return ops.floor(this);
  }
  ceil() {
    return ops.ceil(this);
  }
  round() {
    return ops.round(this);
  }
  clipByValue(min: number, max: number) {
    return ops.clipByValue(this, min, max);
  }
  cast(dtype: DType) {
    return ops.cast(this, dtype);
  }
  sum(axis?: Axis, keepDims?: boolean) {
    return ops.sum(this, axis, keepDims);
  }
  mean(axis?: Axis, keepDims?: boolean) {
    return ops.mean(this, axis, keepDims);
  }
  max(axis?: Axis, keepDims?: boolean) {
    return ops.max(this, axis, keepDims);
  }
  min(axis?: Axis, keepDims?: boolean) {
    return ops.min(this, axis, keepDims);
  }
  prod(axis?: Axis, keepDims?: boolean) {
    return ops.prod(this, axis, keepDims);
  }
  argMax(axis?: number) {
    return ops.argMax(this, axis);
  }
  argMin(axis?: number) {
    return ops.argMin(this, axis);
  }
  logSumExp(axis?: Axis, keepDims?: boolean) {
    return ops.logSumExp(this, axis, keepDims);
  }
  moments(axis?: Axis, keepDims?: boolean) {
    return ops.moments(this, axis, keepDims);
  }
  reshape(shape: readonly number[]) {
    return ops.reshape(this, shape);
  }
  transpose(perm?: readonly number[]) {
    return ops.transpose(this, perm);
  }
  expandDims(axis?: number) {
    return ops.expandDims(this, axis);
  }
  squeeze(axis?: Axis) {
    return ops.squeeze(this, axis);
  }
  flatten() {
    return ops.flatten(this);
  }
  split(numOrSizes: number | number[], axis?: number) {
    return ops.split(this, numOrSizes, axis);
  }
  slice(begin: number | readonly number[], size?: number | readonly number[]) {
    return ops.slice(this, begin, size);
  }
  gather(indices: Tensor | readonly number[], axis?: number) {
    return ops.gather(this, indices, axis);
  }
  pad(paddings: readonly (readonly [number, number])[], value?: number) {
    return ops.pad(this, paddings, value);
  }
  tile(reps: readonly number[]) {
    return ops.tile(this, reps);
  }
  broadcastTo(shape: readonly number[]) {
    return ops.broadcastTo(this, shape);
  }
  matmul(b: Tensor, options?: { transposeA?: boolean; transposeB?: boolean }) {
    return ops.matmul(this, b, options);
  }
  dot(b: Tensor) {
    return ops.dot(this, b);
  }
  conv1d(filter: Tensor, options?: ConvOptions<number>) {
    return ops.conv1d(this, filter, options);
  }
  conv2d(filter: Tensor, options?: ConvOptions) {
    return ops.conv2d(this, filter, options);
  }
  conv2dTranspose(filter: Tensor, outputShape: readonly number[], options?: ConvOptions) {
    return ops.conv2dTranspose(this, filter, outputShape, options);
  }
  depthwiseConv2d(filter: Tensor, options?: ConvOptions) {
    return ops.depthwiseConv2d(this, filter, options);
  }
  maxPool(poolSize: number | [number, number], strides?: number | [number, number], padding?: PoolPadding) {
    return ops.maxPool(this, poolSize, strides, padding);
  }
  avgPool(poolSize: number | [number, number], strides?: number | [number, number], padding?: PoolPadding) {
    return ops.avgPool(this, poolSize, strides, padding);
  }
  softmax(axis?: number) {
    return ops.softmax(this, axis);
  }
  logSoftmax(axis?: number) {
    return ops.logSoftmax(this, axis);
  }
  dropout(rate: number, options?: { seed?: number }) {
    return ops.dropout(this, rate, options);
  }
}

/**
 * A mutable tensor for model state: `assign`, `assignAdd`, `assignSub` replace its value in place.
 *
 * ```ts
 * const v = variable(zeros([2]));
 * v.assignAdd(ones([2]));
 * ```
 */
export class Variable extends Tensor {
  readonly trainable: boolean;
  readonly name: string;

  /** @internal use `variable()`. */
  constructor(initial: Tensor, trainable: boolean, name: string) {
    super(
      { dataId: initial.dataId, shape: initial.shape, dtype: initial.dtype },
      initial.backend,
      ENGINE.nextId++,
      false,
    );
    this.trainable = trainable;
    this.name = name;
    (this as { watchedByDefault: boolean }).watchedByDefault = trainable;
  }

  /** Replaces the value; shape and dtype must match. */
  assign(value: Tensor | TensorLike): this {
    const t = value instanceof Tensor ? value : ops.tensor(value, undefined, this.dtype);
    this.checkCompatible('assign', t);
    const info = ENGINE.run('assign', [t], (_b, [x]) => [
      { dataId: x.dataId, shape: x.shape, dtype: x.dtype },
    ])[0];
    this.moveTo(info.backend, info.dataId);
    info.dispose();
    if (!(value instanceof Tensor)) t.dispose();
    return this;
  }

  /** this += value (in place). */
  assignAdd(value: Tensor | TensorLike): this {
    return this.update('assignAdd', value, (v) => ops.add(this, v));
  }

  /** this -= value (in place). */
  assignSub(value: Tensor | TensorLike): this {
    return this.update('assignSub', value, (v) => ops.sub(this, v));
  }

  private update(op: string, value: Tensor | TensorLike, f: (v: Tensor) => Tensor): this {
    const t = value instanceof Tensor ? value : ops.tensor(value, undefined, this.dtype);
    this.checkCompatible(op, t);
    const next = ENGINE.withoutTapes(() => f(t));
    this.moveTo(next.backend, next.dataId);
    next.dispose();
    if (!(value instanceof Tensor)) t.dispose();
    return this;
  }

  private checkCompatible(op: string, t: Tensor): void {
    this.assertAlive(op);
    if (!shapesEqual(t.shape, this.shape) || t.dtype !== this.dtype) {
      throw new Error(
        `${op}: variable '${this.name}' is ${this.dtype} ${fmtShape(this.shape)}, value is ${t.dtype} ${fmtShape(t.shape)}`,
      );
    }
  }
}

ENGINE.makeTensor = (out, backend) => new Tensor(out, backend);
