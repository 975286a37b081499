// The Backend interface: the few primitive kernels every backend (CPU reference, WebGPU) implements.
import type { ReplayCapture } from './backend-program.js';
import type { ImageKernel } from './image-kernels.js';
import type { DType, TypedArray } from './types.js';

/**
 * Opaque handle to storage owned by a backend.
 *
 * ```ts
 * const id: DataId = ENGINE.backend.write(new Float32Array([1, 2]), 'float32');
 * await ENGINE.backend.read(id, 'float32', 2); // Float32Array [1, 2]
 * ENGINE.backend.disposeData(id);
 * ```
 */
export type DataId = object;

/**
 * What a kernel sees of a tensor: its storage, shape and dtype.
 *
 * ```ts
 * const numel = (t: TensorInfo) => t.shape.reduce((n, d) => n * d, 1);
 * ```
 */
export interface TensorInfo {
  readonly dataId: DataId;
  readonly shape: readonly number[];
  readonly dtype: DType;
}

/**
 * An elementwise kernel: a scalar function of 1 to 3 arguments given once, both as a float64
 * reference (`cpu`) and as a WGSL expression (`wgsl`). Backends broadcast the inputs (NumPy rules)
 * to the output shape and apply the function per element.
 *
 * `wgsl` receives the argument expressions and the WGSL compute type (`f32`, or `i32` when every
 * input and the output are int32/bool); it returns an expression of that compute type.
 * Comparisons return 0 or 1 in the compute type. `key` identifies the function with any baked-in
 * attributes (e.g. `leakyRelu:0.2`).
 *
 * ```ts
 * const describe = (k: ElementwiseKernel) => `${k.key}/${k.arity}: ${k.wgsl(['a', 'b'].slice(0, k.arity), 'f32')}`;
 * ```
 */
export interface ElementwiseKernel {
  readonly key: string;
  /** Number of inputs: 1 to 3 for primitives; a fused chain (jit) may take more. */
  readonly arity: number;
  readonly cpu: (...args: number[]) => number;
  readonly wgsl: (args: readonly string[], t: 'f32' | 'i32') => string;
  /**
   * True when the WGSL expression gives IEEE 754 results for NaN inputs itself (an op where a NaN
   * input can give a non-NaN result: pow(1, NaN) = 1, where's unselected branch, identity copies).
   * Otherwise backends whose shader math may assume no NaN (WGSL) make a float result NaN wherever
   * a float input is NaN.
   */
  readonly handlesNaN?: boolean;
  /**
   * A fused chain (built by jit's elementwise fusion): steps in order, each a primitive's kernel
   * applied to inputs (index < arity) or earlier steps' results (arity + step index); the last step
   * is the result. Backends that generate code emit one local per step (no repeated subexpressions)
   * and apply each step's NaN rule; `cpu` and `wgsl` give the same function composed.
   */
  readonly steps?: readonly {
    readonly kernel: ElementwiseKernel;
    readonly args: readonly number[];
    /** The step's own result dtype (bool steps are 0/1 and keep their NaN rule: a comparison with NaN is false). */
    readonly outDtype: DType;
  }[];
}

/**
 * An elementwise chain applied to a kernel's output as it is stored (jit's epilogue fusion): argument
 * 0 of `kernel` is the output element, arguments 1.. are `inputs`, broadcast (NumPy rules) to
 * `outShape`, the kernel's output shape (the stored result has that shape too, dtype float32).
 *
 * ```ts
 * const describe = (e: Epilogue) => `${e.kernel.key} on [${e.outShape.join(', ')}] with ${e.inputs.length} extra inputs`;
 * ```
 */
export interface Epilogue {
  readonly kernel: ElementwiseKernel;
  readonly inputs: readonly TensorInfo[];
  readonly outShape: readonly number[];
  /** Further chain values (`kernel.arity` + step index) stored too, float32 of `outShape` (`matmulEpilogueStores`). */
  readonly stores?: readonly number[];
}

/**
 * An elementwise kernel computed as a reduction reads its input (jit's prologue fusion): the
 * reduced tensor is `kernel` over `inputs` broadcast (NumPy rules) to `shape`, float32, never stored.
 *
 * ```ts
 * const describe = (p: Prologue) => `reduce ${p.kernel.key} over [${p.shape.join(', ')}] of ${p.inputs.length} inputs`;
 * ```
 */
export interface Prologue {
  readonly kernel: ElementwiseKernel;
  readonly inputs: readonly TensorInfo[];
  readonly shape: readonly number[];
  /** Chain values (`kernel.arity` + step index) also stored, float32 of `shape` (`reducePrologueStores`). */
  readonly stores?: readonly number[];
}

/**
 * Several values of one fused elementwise chain stored by one kernel (jit's multi-output fusion):
 * `stores` are indices of chain values (`kernel.arity` + step index) to store, each float32 of the
 * output shape, in that order.
 *
 * ```ts
 * const describe = (m: MultiOutput) => `${m.kernel.key} storing ${m.stores.length} values`;
 * ```
 */
export interface MultiOutput {
  readonly kernel: ElementwiseKernel;
  readonly stores: readonly number[];
}

/**
 * Reductions over the innermost dimension of a `[outer, inner]` view.
 *
 * ```ts
 * const op: ReduceOp = 'max';
 * const reduceRows = (b: Backend, x: TensorInfo) => b.reduce(op, x, x.shape[0], x.shape[1], x.dtype);
 * ```
 */
export type ReduceOp = 'sum' | 'prod' | 'max' | 'min' | 'argMax' | 'argMin';

/**
 * Geometry of a 2-D convolution or pooling in NHWC, with explicit padding (computed by core).
 *
 * ```ts
 * const info: Conv2DInfo = convInfo('conv2d', [1, 28, 28, 3], 3, 3, 16, { strides: 2, padding: 'same' });
 * info.outHeight; // 14
 * ```
 */
export interface Conv2DInfo {
  batch: number;
  inHeight: number;
  inWidth: number;
  inChannels: number;
  outHeight: number;
  outWidth: number;
  outChannels: number;
  filterHeight: number;
  filterWidth: number;
  strideHeight: number;
  strideWidth: number;
  dilationHeight: number;
  dilationWidth: number;
  padTop: number;
  padLeft: number;
  /** Depthwise only: output channels per input channel (outChannels = inChannels * multiplier). */
  channelMultiplier: number;
}

/**
 * Memory figures a backend reports (bytes of live tensors are tracked by the engine).
 *
 * ```ts
 * const { numBytesInBackend }: BackendMemory = ENGINE.backend.memory();
 * ```
 */
export interface BackendMemory {
  /** Bytes the backend holds, including pooled but unused buffers. */
  numBytesInBackend: number;
  [key: string]: number;
}

/**
 * A compute backend. Every kernel allocates and returns new storage for its output; the engine
 * computes output shapes and dtypes, validates arguments and owns reference counts.
 *
 * ```ts
 * const backend: Backend = ENGINE.backend;
 * backend.describe(); // 'CPU reference (TypeScript)', or the WebGPU adapter
 * ```
 */
export interface Backend {
  readonly name: string;
  /** Whether jit should fuse elementwise chains into one kernel for this backend (one dispatch each). */
  readonly fusesElementwise?: boolean;
  /** Storage buffers one kernel may bind (jit's fusion passes keep inputs + outputs within it); default 8. */
  readonly maxStorageBindings?: number;
  /** Float32 scalars the host wrote that one kernel may read from its parameters instead of storage (not counted in maxStorageBindings); default 0. */
  readonly paramScalars?: number;
  /** Runs fn's kernels as one batch (one command encoder and one submit on WebGPU). */
  batch?<T>(fn: () => T): T;
  /** Starts recording the kernels of a jit replay into a program later calls replay as recorded (WebGPU). */
  beginCapture?(constants?: readonly DataId[]): ReplayCapture;
  /** True once the backend's device is lost: its tensors cannot be used any more. */
  readonly isLost?: boolean;
  /** A human-readable description, e.g. the adapter's name. */
  describe(): string;

  /** Uploads values (Float32Array for float32, Int32Array for int32, Uint8Array for bool). */
  write(values: TypedArray, dtype: DType): DataId;
  /** Reads values back, as the typed array of the dtype the data was written/produced with. */
  read(dataId: DataId, dtype: DType, size: number): Promise<TypedArray>;
  /** Synchronous read, only where the backend can do it without blocking (the CPU backend). */
  readSync?(dataId: DataId, dtype: DType, size: number): TypedArray;
  disposeData(dataId: DataId): void;
  memory(): BackendMemory;
  /** Waits for all queued work (a no-op on CPU); throws what a device-side check recorded. */
  sync(): Promise<void>;
  /**
   * Records a device-side check that every int32 index lies in [lo, hi): a failure is thrown by the
   * next read or sync as `${op}: index 7 out of range [0, 5)`. Backends with readSync need not have it.
   */
  checkIndices?(op: string, indices: TensorInfo, lo: number, hi: number): void;

  elementwise(
    kernel: ElementwiseKernel,
    inputs: readonly TensorInfo[],
    outShape: readonly number[],
    outDtype: DType,
  ): DataId;
  /** `multi`'s stored values over inputs broadcast to `outShape`, computed by one kernel (jit fusion; optional). */
  elementwiseMulti?(multi: MultiOutput, inputs: readonly TensorInfo[], outShape: readonly number[]): DataId[];
  /** Reduces x viewed as [outer, inner] over inner; argMax/argMin give int32 indices. */
  reduce(op: ReduceOp, x: TensorInfo, outer: number, inner: number, outDtype: DType): DataId;
  /** A float32 sum/prod/max/min of `prologue`'s values, computed as they are read (jit fusion; optional). */
  reducePrologue?(op: ReduceOp, prologue: Prologue, outer: number, inner: number): DataId;
  /** `reducePrologue` also storing `prologue.stores`: the reduction, then each stored value (jit fusion; optional). */
  reducePrologueStores?(op: ReduceOp, prologue: Prologue, outer: number, inner: number): DataId[];
  /**
   * Batched matmul of a [batchA, M, K] (or [batchA, K, M] when transposeA) by b [batchB, K, N]
   * (or [batchB, N, K]); batchA and batchB are equal or one of them is 1. Output [max batch, M, N].
   */
  matmul(a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean): DataId;
  /** A float32 matmul whose result goes through `epilogue` in the kernel's store (jit fusion; optional). */
  matmulEpilogue?(
    a: TensorInfo,
    b: TensorInfo,
    transposeA: boolean,
    transposeB: boolean,
    epilogue: Epilogue,
  ): DataId;
  /** `matmulEpilogue` also storing `epilogue.stores`: the result, then each stored value (jit fusion; optional). */
  matmulEpilogueStores?(
    a: TensorInfo,
    b: TensorInfo,
    transposeA: boolean,
    transposeB: boolean,
    epilogue: Epilogue,
  ): DataId[];
  transpose(x: TensorInfo, perm: readonly number[]): DataId;
  slice(x: TensorInfo, begin: readonly number[], size: readonly number[]): DataId;
  pad(x: TensorInfo, paddings: readonly (readonly [number, number])[], value: number): DataId;
  /** Concatenates tensors viewed as [outer, inner_i] along the inner dimension. */
  concat(inputs: readonly TensorInfo[], outer: number): DataId;
  /** x viewed as [outer, n, inner], indices int32 of size k (values in [0, n)): out [outer, k, inner]. */
  gather(x: TensorInfo, indices: TensorInfo, outer: number, n: number, inner: number): DataId;
  tile(x: TensorInfo, reps: readonly number[]): DataId;
  /** Counter-based random numbers: the same seed gives the same values on every backend. */
  random(kind: 'uniform' | 'normal', size: number, seed: number, a: number, b: number): DataId;

  conv2d(x: TensorInfo, filter: TensorInfo, info: Conv2DInfo): DataId;
  /** conv2d with `epilogue` (over the [pixels, outChannels] view of the output) applied in the store (jit fusion; optional). */
  conv2dEpilogue?(x: TensorInfo, filter: TensorInfo, info: Conv2DInfo, epilogue: Epilogue): DataId;
  conv2dBackpropInput(dy: TensorInfo, filter: TensorInfo, info: Conv2DInfo): DataId;
  conv2dBackpropFilter(x: TensorInfo, dy: TensorInfo, info: Conv2DInfo): DataId;
  depthwiseConv2d(x: TensorInfo, filter: TensorInfo, info: Conv2DInfo): DataId;
  depthwiseConv2dBackpropInput(dy: TensorInfo, filter: TensorInfo, info: Conv2DInfo): DataId;
  depthwiseConv2dBackpropFilter(x: TensorInfo, dy: TensorInfo, info: Conv2DInfo): DataId;
  /** Pooling: info.outChannels equals inChannels; filter sizes are the pool size. Padding is ignored in max/avg (avg divides by the count of valid cells, as TensorFlow). */
  pool(op: 'max' | 'avg', x: TensorInfo, info: Conv2DInfo): DataId;
  /** Gradient of max pooling (routed to the first max of each window) given x. */
  maxPoolBackprop(dy: TensorInfo, x: TensorInfo, info: Conv2DInfo): DataId;
  avgPoolBackprop(dy: TensorInfo, info: Conv2DInfo): DataId;
  /** Resize, crop-and-resize, projective transform and their gradients (see image-kernels.ts); output shape `imageOutShape(kernel)`. */
  image(kernel: ImageKernel, inputs: readonly TensorInfo[], outDtype: DType): DataId;
}
