// WebGPUBackend: core's Backend interface on a WebGPU device (buffer pool, pipeline cache, batched command queue, error reporting).
import type {
  Backend,
  ReplayCapture,
  BackendMemory,
  Conv2DInfo,
  DataId,
  DType,
  ElementwiseKernel,
  Epilogue,
  MultiOutput,
  ImageKernel,
  Prologue,
  ReduceOp,
  TensorInfo,
  TypedArray,
} from '@webdl/core';
import { BufferPool } from './buffer-pool.js';
import { CommandQueue, PARAM_WORDS } from './command-queue.js';
import { ENGINE } from '@webdl/core';
import { cpuGridThreads, hasQuadSubgroups, openDevice } from './device.js';
import { checkIndicesKernel, DeviceAsserts } from './device-asserts.js';
import type { GpuData, KernelContext, RunSpec } from './kernel-context.js';
import { PipelineCache } from './pipelines.js';
import { dispatchRecord } from './dispatch-record.js';
import { GpuCapture, type ProgramHost } from './program.js';
import { elementwise } from './kernels/elementwise.js';
import { elementwiseMulti } from './kernels/multi-output.js';
import { reduce, reducePrologue } from './kernels/reduce.js';
import { concat, gather, pad, slice, tile, transpose } from './kernels/shape-ops.js';
import { random } from './kernels/random.js';
import { image } from './kernels/image.js';
import { uploadPixels } from './pixels.js';
import { readBuffer, type ReadbackHost } from './readback.js';
import { f32Bits, hostScalars } from './scalar-params.js';
import { matmul } from './kernels/matmul.js';
import { conv2d, conv2dBackpropFilter, conv2dBackpropInput } from './kernels/conv.js';
import {
  avgPoolBackprop,
  depthwiseBackpropFilter,
  depthwiseBackpropInput,
  depthwiseConv2d,
  maxPoolBackprop,
  pool,
} from './kernels/direct-conv.js';

const DATA_USAGE = GPU_USAGE('STORAGE', 'COPY_SRC', 'COPY_DST');

/** What kernels see of storage while a recorded replay re-plans its dynamic dispatches (nothing is bound). */
const REFRESH_DATA: GpuData = {
  buffer: null as unknown as GPUBuffer,
  size: 0,
  dtype: 'float32',
  disposed: false,
  pinned: true,
};

/** Reads GPUBufferUsage lazily: in Node the globals exist only after Dawn is loaded. */
function GPU_USAGE(...flags: ('MAP_READ' | 'COPY_SRC' | 'COPY_DST' | 'UNIFORM' | 'STORAGE')[]): () => number {
  return () => flags.reduce((acc, f) => acc | GPUBufferUsage[f], 0);
}

/**
 * Options of `WebGPUBackend.create`.
 *
 * ```ts
 * const options: WebGPUBackendOptions = { kernels: 'gpu' };
 * const backend = await WebGPUBackend.create(options);
 * backend.describe();
 * ```
 */
export interface WebGPUBackendOptions {
  /**
   * Kernel variants: 'gpu' (tiled in workgroup memory, many invocations) or 'cpu' (register-blocked,
   * barrier-free, few long invocations, for software adapters such as SwiftShader). Default: picked
   * from the adapter.
   */
  kernels?: 'gpu' | 'cpu';
}

/**
 * The WebGPU backend. Create it with `WebGPUBackend.create()` (`registerWebGPU()` registers it
 * with core as 'webgpu').
 *
 * ```ts
 * import { setBackend, tensor } from '@webdl/core';
 * import { registerWebGPU } from '@webdl/webgpu';
 * registerWebGPU();
 * await setBackend('webgpu');
 * await tensor([1, 2, 3]).square().data(); // Float32Array [1, 4, 9], computed by a WGSL kernel
 * ```
 */
export class WebGPUBackend implements Backend {
  readonly name = 'webgpu';
  /** jit fuses elementwise chains into one generated kernel here. */
  readonly fusesElementwise = true;
  readonly pipelines: PipelineCache;
  readonly queue: CommandQueue;
  private readonly dataPool: BufferPool;
  private readonly stagingPool: BufferPool;
  private readonly uniformPool: BufferPool;
  private lost: GPUDeviceLostInfo | null = null;
  private currentOp = '';
  private disposing = false;
  private options: WebGPUBackendOptions = {};
  private replacement: Promise<WebGPUBackend> | null = null;
  private readonly ctx: KernelContext;
  /** The jit replay being recorded, and the re-planning of a recorded one's dynamic dispatches. */
  private capturing: GpuCapture | null = null;
  private refreshing: ((spec: RunSpec) => void) | null = null;
  /** Device-side checks (index ranges), thrown at the next read or sync. */
  readonly asserts: DeviceAsserts;
  private readonly readHost: ReadbackHost;

  private constructor(
    readonly device: GPUDevice,
    private readonly description: string,
    /** Whether kernels take their CPU-adapter variants (register-blocked, no workgroup barriers, few invocations). */
    readonly cpuKernels: boolean,
  ) {
    const oom = (create: () => GPUBuffer) => this.createChecked(create);
    this.dataPool = new BufferPool(device, DATA_USAGE(), 'data', oom);
    this.stagingPool = new BufferPool(device, GPU_USAGE('MAP_READ', 'COPY_DST')(), 'staging', oom);
    this.uniformPool = new BufferPool(device, GPU_USAGE('UNIFORM', 'COPY_DST')(), 'params');
    this.pipelines = new PipelineCache(device);
    this.asserts = new DeviceAsserts(device, this.stagingPool);
    this.queue = new CommandQueue(device, this.uniformPool);
    this.readHost = {
      queue: this.queue,
      stagingPool: this.stagingPool,
      asserts: this.asserts,
      checkAlive: (op) => this.checkAlive(op),
    };
    void device.lost.then((info) => this.onLost(info));
    this.ctx = {
      buffer: (t) => this.data(t.dataId).buffer,
      alloc: (size, dtype) => this.alloc(size, dtype),
      run: (spec) => this.run(spec),
      clear: (d) => this.refreshing || this.queue.clear(d.buffer, `clear ${d.dtype}[${d.size}]`),
      free: (d) => this.disposeData(d),
      maxGroups: device.limits.maxComputeWorkgroupsPerDimension,
      isCpu: cpuKernels,
      quadSubgroups: cpuKernels && hasQuadSubgroups(device),
      ieeeArithmetic: /swiftshader/i.test(description),
      maxThreads: cpuKernels ? cpuGridThreads() : 1 << 18,
    };
  }

  /**
   * Opens a device (navigator.gpu, or Dawn in Node) and builds the backend.
   *
   * ```ts
   * const backend = await WebGPUBackend.create({ kernels: 'gpu' }); // force the GPU-tuned kernels
   * ```
   */
  static async create(options: WebGPUBackendOptions = {}): Promise<WebGPUBackend> {
    const { device, description, isCpu } = await openDevice();
    const cpuKernels = options.kernels ? options.kernels === 'cpu' : isCpu;
    const backend = new WebGPUBackend(device, description, cpuKernels);
    backend.options = options;
    return backend;
  }

  /**
   * After a loss (a driver reset, or `getDevice().destroy()`), the engine's webgpu backend opens a new
   * device at once and takes its place; `ready()` (this backend's `sync`) waits for it. Tensors of
   * the lost device throw, saying so.
   */
  private onLost(info: GPUDeviceLostInfo): void {
    this.lost = info;
    if (this.disposing || !ENGINE.isInstance('webgpu', this)) return;
    if (info.reason !== 'destroyed')
      console.error(`webdl: WebGPU device lost (${info.reason}): ${info.message}; opening a new device`);
    this.replacement = WebGPUBackend.create(this.options).then((next) => {
      ENGINE.replaceBackend('webgpu', this, next);
      return next;
    });
    this.replacement.catch(() => undefined);
  }

  describe(): string {
    return this.description;
  }

  /**
   * Records fn's kernels into one command buffer, submitted once at the end (a jitted step).
   *
   * ```ts
   * backend.batch(() => { a.add(b); a.mul(b); }); // one submit
   * ```
   */
  batch<T>(fn: () => T): T {
    const saved = this.queue.maxBatch;
    this.queue.maxBatch = Infinity;
    try {
      return fn();
    } finally {
      this.queue.maxBatch = saved;
      this.queue.flush().catch((e: unknown) => this.queue.reportLater(Promise.reject(e)));
    }
  }

  /** Compute dispatches this backend has recorded (its own counter). */
  get dispatchCount(): number {
    return this.queue.dispatches;
  }

  /**
   * The backend's own counters: dispatches recorded, command buffers submitted, and GPU objects
   * created (buffers and their bytes, bind groups, pipelines), for tests and the bench.
   *
   * ```ts
   * const before = backend.counters.bufferBytes; step(); // bytes allocated by step: counters.bufferBytes - before
   * ```
   */
  get counters(): {
    dispatches: number;
    submits: number;
    buffers: number;
    bufferBytes: number;
    bindGroups: number;
    pipelines: number;
  } {
    const pools = [this.dataPool, this.stagingPool, this.uniformPool];
    return {
      dispatches: this.queue.dispatches,
      submits: this.queue.submits,
      buffers: pools.reduce((n, p) => n + p.createdBuffers, 0),
      bufferBytes: pools.reduce((n, p) => n + p.createdBytes, 0),
      bindGroups: this.queue.bindGroups,
      pipelines: this.pipelines.compiled,
    };
  }

  /**
   * Records the kernels of a jit replay into a program that later calls replay without
   * re-planning, allocating or binding (see program.ts). Used by jit; one recording at a time.
   */
  beginCapture(constants: readonly DataId[] = []): ReplayCapture {
    if (this.capturing) throw new Error('WebGPU: a jit replay is already being recorded');
    const host: ProgramHost = {
      device: this.device,
      queue: this.queue,
      dataPool: this.dataPool,
      uniformPool: this.uniformPool,
      assertBuffer: () => this.asserts.existing,
      useAsserts: () => void this.asserts.use(),
      allocOutput: (size, dtype) => this.alloc(size, dtype),
      pipeline: (spec) => this.pipelines.get(spec.source, spec.constants ?? {}, spec.label.split(' ')[0]),
      setRefresh: (fn) => (this.refreshing = fn),
    };
    const cap = new GpuCapture(host, new Set(constants.map((d) => (d as GpuData).buffer)), () => {
      this.capturing = null;
      this.queue.tap = null;
    });
    this.capturing = cap;
    this.queue.tap = (rec) => cap.record(rec);
    return cap;
  }

  /** Command buffers this backend has submitted. */
  get submitCount(): number {
    return this.queue.submits;
  }

  /** Whether the device was lost (the backend must then be re-created). */
  get isLost(): boolean {
    return this.lost !== null;
  }

  private checkAlive(op: string): void {
    if (this.lost) {
      throw new Error(
        `${op}: this data was lost with the WebGPU device (${this.lost.reason}${this.lost.message ? `: ${this.lost.message}` : ''}); new tensors go to a new device (await ready() first)`,
      );
    }
  }

  /** Creates a buffer inside error scopes, so exceeding a limit or running out of memory is reported naming the op. */
  private createChecked(create: () => GPUBuffer): GPUBuffer {
    const op = this.currentOp || 'allocation';
    this.device.pushErrorScope('out-of-memory');
    this.device.pushErrorScope('validation');
    const buf = create();
    const check = (kind: string) => (err: GPUError | null) => {
      if (err)
        throw new Error(`${op}: WebGPU ${kind} allocating a buffer of ${buf.size} bytes: ${err.message}`);
    };
    this.queue.reportLater(this.device.popErrorScope().then(check('could not create a buffer')));
    this.queue.reportLater(this.device.popErrorScope().then(check('ran out of memory')));
    return buf;
  }

  private data(id: DataId): GpuData {
    if (this.refreshing) return REFRESH_DATA;
    const d = id as GpuData;
    if (d.disposed) throw new Error(`WebGPU: use of disposed storage (${d.size} ${d.dtype})`);
    return d;
  }

  private alloc(size: number, dtype: DType, direct = false): GpuData {
    if (this.refreshing) return REFRESH_DATA;
    // Checked before creating the buffer: a failed creation would only surface at some later readback.
    const bytes = Math.max(4, size * 4);
    const limits = this.device.limits;
    const limit = Math.min(limits.maxBufferSize, limits.maxStorageBufferBindingSize);
    if (bytes > limit) {
      const which =
        limits.maxBufferSize <= limits.maxStorageBufferBindingSize
          ? 'maxBufferSize'
          : 'maxStorageBufferBindingSize';
      throw new Error(
        `${this.currentOp || 'allocation'}: cannot allocate ${size} ${dtype} elements (${bytes} bytes) on this WebGPU device: its ${which} is ${limit} bytes`,
      );
    }
    if (this.capturing && !direct) return this.capturing.alloc(size, dtype);
    return { buffer: this.dataPool.acquire(Math.max(4, size * 4)), size, dtype, disposed: false };
  }

  private run(spec: RunSpec): void {
    if (spec.params.length > PARAM_WORDS) throw new Error(`${spec.label}: too many kernel parameters`);
    if (this.refreshing) return this.refreshing(spec);
    this.queue.enqueue(dispatchRecord(spec, this.capturing, this.pipelines));
  }

  /** Runs a kernel with the op name recorded for error messages. */
  private kernel(op: string, fn: (ctx: KernelContext) => GpuData): DataId {
    this.checkAlive(op);
    this.currentOp = op;
    try {
      return fn(this.ctx);
    } finally {
      this.currentOp = '';
    }
  }

  write(values: TypedArray, dtype: DType): DataId {
    return this.kernel('write', () => {
      // Not from a recording's reuse: this write lands before the recorded batch is submitted.
      const out = this.alloc(values.length, dtype, true);
      if (values.length > 0) {
        const words = values instanceof Uint8Array ? Int32Array.from(values) : values;
        this.device.queue.writeBuffer(out.buffer, 0, words.buffer, words.byteOffset, words.byteLength);
      }
      if (dtype === 'float32' && values.length === 1)
        hostScalars.set(out.buffer, f32Bits(values as Float32Array));
      return out;
    });
  }

  read(dataId: DataId, dtype: DType, size: number): Promise<TypedArray> {
    this.checkAlive('read');
    return readBuffer(this.readHost, this.data(dataId).buffer, dtype, size);
  }

  disposeData(dataId: DataId): void {
    const d = dataId as GpuData;
    if (d.disposed) return;
    d.disposed = true;
    hostScalars.delete(d.buffer);
    if (d.pinned || this.capturing?.release(d)) return;
    if (!d.external) this.queue.release(this.dataPool, d.buffer);
  }

  /** browser.fromPixels on the GPU (copyExternalImageToTexture + unpack kernel); null when the source cannot be copied. */
  fromPixels(source: object, width: number, height: number, numChannels: number): DataId | null {
    this.checkAlive('browser.fromPixels');
    return uploadPixels(this.device, this.ctx, source, width, height, numChannels);
  }

  /** The GPU buffer behind storage, with a promise settling once the work producing it is submitted (see Tensor.dataToGPU). */
  dataToGPU(dataId: DataId): { buffer: GPUBuffer; ready: Promise<void> } {
    this.checkAlive('dataToGPU');
    return { buffer: this.data(dataId).buffer, ready: this.queue.flush() };
  }

  /** Storage over a page-owned buffer (`copy`: into a fresh webdl buffer instead). See tensorFromGPUBuffer. */
  adoptBuffer(buffer: GPUBuffer, size: number, dtype: DType, copy: boolean): DataId {
    return this.kernel('tensorFromGPUBuffer', () => {
      if (!copy) return { buffer, size, dtype, disposed: false, external: true };
      const out = this.alloc(size, dtype);
      if (size > 0)
        this.queue.copy(buffer, out.buffer, size * 4, `tensorFromGPUBuffer copy ${dtype}[${size}]`);
      return out;
    });
  }

  memory(): BackendMemory {
    const data = this.dataPool.figures;
    const staging = this.stagingPool.figures;
    const uniforms = this.uniformPool.figures;
    return {
      numBytesInBackend: data.allocatedBytes + staging.allocatedBytes + uniforms.allocatedBytes,
      numBytesInGPUPool: data.freeBytes,
      numBytesLiveInGPU: data.liveBytes,
      numLiveGPUBuffers: data.liveBuffers,
      numPipelines: this.pipelines.size,
    };
  }

  async sync(): Promise<void> {
    // A lost device's sync waits for the new device that replaces it (so ready() does after a loss).
    if (this.lost && this.replacement) {
      await this.replacement;
      return;
    }
    this.checkAlive('sync');
    const flags = this.asserts.beforeRead(this.queue);
    await this.queue.settle();
    await this.device.queue.onSubmittedWorkDone();
    await this.asserts.afterRead(flags);
  }

  /** Destroys every pooled buffer not in use (live tensors are untouched). */
  trimPool(): void {
    this.dataPool.trim();
    this.stagingPool.trim();
    this.uniformPool.trim();
  }

  /** Releases the device; the backend cannot be used afterwards. */
  dispose(): void {
    this.disposing = true;
    this.device.destroy();
  }

  elementwise(
    kernel: ElementwiseKernel,
    inputs: readonly TensorInfo[],
    outShape: readonly number[],
    outDtype: DType,
  ): DataId {
    return this.kernel(kernel.key, (c) => elementwise(c, kernel, inputs, outShape, outDtype));
  }
  elementwiseMulti(multi: MultiOutput, inputs: readonly TensorInfo[], outShape: readonly number[]): DataId[] {
    let outs: GpuData[] = [];
    this.kernel(multi.kernel.key, (c) => (outs = elementwiseMulti(c, multi, inputs, outShape))[0]);
    return outs;
  }

  /** Storage buffers one kernel may bind: the device's limit (jit's fusion passes stay within it). */
  get maxStorageBindings(): number {
    return this.device.limits.maxStorageBuffersPerShaderStage;
  }

  /** Host scalars a kernel reads from its parameters (scalar-params.ts), not counted as bindings. */
  readonly paramScalars = 16;

  reduce(op: ReduceOp, x: TensorInfo, outer: number, inner: number, outDtype: DType): DataId {
    return this.kernel(op, (c) => reduce(c, op, x, outer, inner, outDtype));
  }

  reducePrologue(op: ReduceOp, prologue: Prologue, outer: number, inner: number): DataId {
    return this.kernel(op, (c) => reducePrologue(c, op, prologue, outer, inner));
  }

  reducePrologueStores(op: ReduceOp, prologue: Prologue, outer: number, inner: number): DataId[] {
    let outs: GpuData[] = [];
    const result = this.kernel(op, (c) => {
      const size = prologue.shape.reduce((x, y) => x * y, 1);
      outs = (prologue.stores ?? []).map(() => c.alloc(size, 'float32'));
      // The stored values' storage is bound after the prologue's inputs (see prologueSource).
      const bound = outs.map((d): TensorInfo => ({ dataId: d, shape: prologue.shape, dtype: 'float32' }));
      return reducePrologue(c, op, { ...prologue, inputs: [...prologue.inputs, ...bound] }, outer, inner);
    });
    return [result, ...outs];
  }

  matmul(a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean): DataId {
    return this.kernel('matmul', (c) => matmul(c, a, b, transposeA, transposeB));
  }

  matmulEpilogue(
    a: TensorInfo,
    b: TensorInfo,
    transposeA: boolean,
    transposeB: boolean,
    epilogue: Epilogue,
  ): DataId {
    return this.kernel('matmul', (c) => matmul(c, a, b, transposeA, transposeB, epilogue));
  }
  matmulEpilogueStores(
    a: TensorInfo,
    b: TensorInfo,
    transposeA: boolean,
    transposeB: boolean,
    epilogue: Epilogue,
  ): DataId[] {
    let outs: GpuData[] = [];
    const result = this.kernel('matmul', (c) => {
      const size = epilogue.outShape.reduce((x, y) => x * y, 1);
      outs = (epilogue.stores ?? []).map(() => c.alloc(size, 'float32'));
      // The stored values' storage is bound after the epilogue's inputs (see storingEpilogueSource).
      const bound = outs.map((d): TensorInfo => ({ dataId: d, shape: epilogue.outShape, dtype: 'float32' }));
      return matmul(c, a, b, transposeA, transposeB, { ...epilogue, inputs: [...epilogue.inputs, ...bound] });
    });
    return [result, ...outs];
  }
  transpose(x: TensorInfo, perm: readonly number[]): DataId {
    return this.kernel('transpose', (c) => transpose(c, x, perm));
  }
  slice(x: TensorInfo, begin: readonly number[], size: readonly number[]): DataId {
    return this.kernel('slice', (c) => slice(c, x, begin, size));
  }
  pad(x: TensorInfo, paddings: readonly (readonly [number, number])[], value: number): DataId {
    return this.kernel('pad', (c) => pad(c, x, paddings, value));
  }
  concat(inputs: readonly TensorInfo[], outer: number): DataId {
    return this.kernel('concat', (c) => concat(c, inputs, outer));
  }
  gather(x: TensorInfo, indices: TensorInfo, outer: number, n: number, inner: number): DataId {
    return this.kernel('gather', (c) => {
      checkIndicesKernel(c, this.asserts, 'gather', indices, 0, n);
      return gather(c, x, indices, outer, n, inner);
    });
  }
  checkIndices(op: string, indices: TensorInfo, lo: number, hi: number): void {
    this.checkAlive(op);
    checkIndicesKernel(this.ctx, this.asserts, op, indices, lo, hi);
  }
  tile(x: TensorInfo, reps: readonly number[]): DataId {
    return this.kernel('tile', (c) => tile(c, x, reps));
  }
  random(kind: 'uniform' | 'normal', size: number, seed: number, a: number, b: number): DataId {
    return this.kernel('random', (c) => random(c, kind, size, seed, a, b));
  }
  conv2d(x: TensorInfo, filter: TensorInfo, info: Conv2DInfo): DataId {
    return this.kernel('conv2d', (c) => conv2d(c, x, filter, info));
  }

  conv2dEpilogue(x: TensorInfo, filter: TensorInfo, info: Conv2DInfo, epilogue: Epilogue): DataId {
    return this.kernel('conv2d', (c) => conv2d(c, x, filter, info, epilogue));
  }

  conv2dBackpropInput(dy: TensorInfo, filter: TensorInfo, info: Conv2DInfo): DataId {
    return this.kernel('conv2dBackpropInput', (c) => conv2dBackpropInput(c, dy, filter, info));
  }
  conv2dBackpropFilter(x: TensorInfo, dy: TensorInfo, info: Conv2DInfo): DataId {
    return this.kernel('conv2dBackpropFilter', (c) => conv2dBackpropFilter(c, x, dy, info));
  }
  depthwiseConv2d(x: TensorInfo, filter: TensorInfo, info: Conv2DInfo): DataId {
    return this.kernel('depthwiseConv2d', (c) => depthwiseConv2d(c, x, filter, info));
  }
  depthwiseConv2dBackpropInput(dy: TensorInfo, filter: TensorInfo, info: Conv2DInfo): DataId {
    return this.kernel('depthwiseConv2dBackpropInput', (c) => depthwiseBackpropInput(c, dy, filter, info));
  }
  depthwiseConv2dBackpropFilter(x: TensorInfo, dy: TensorInfo, info: Conv2DInfo): DataId {
    return this.kernel('depthwiseConv2dBackpropFilter', (c) => depthwiseBackpropFilter(c, x, dy, info));
  }
  pool(op: 'max' | 'avg', x: TensorInfo, info: Conv2DInfo): DataId {
    return this.kernel(`${op}Pool`, (c) => pool(c, op, x, info));
  }
  maxPoolBackprop(dy: TensorInfo, x: TensorInfo, info: Conv2DInfo): DataId {
    return this.kernel('maxPoolBackprop', (c) => maxPoolBackprop(c, dy, x, info));
  }
  avgPoolBackprop(dy: TensorInfo, info: Conv2DInfo): DataId {
    return this.kernel('avgPoolBackprop', (c) => avgPoolBackprop(c, dy, info));
  }
  image(kernel: ImageKernel, inputs: readonly TensorInfo[], outDtype: DType): DataId {
    return this.kernel(`image.${kernel.op}`, (c) => image(c, kernel, inputs, outDtype));
  }
}
