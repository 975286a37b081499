// The CPU reference backend: plain TypeScript kernels, accumulating in float64, the oracle for tests.
import type { Backend, Conv2DInfo, DataId, ElementwiseKernel, ReduceOp, TensorInfo } from '../backend.js';
import { normalAt, uniformAt } from '../random.js';
import { shapesEqual, sizeOf, stridesOf } from '../shape.js';
import { makeTypedArray, type DType, type TypedArray } from '../types.js';
import * as conv from './conv.js';
import { imageOutShape, type ImageKernel } from '../image-kernels.js';
import type * as CpuImage from './image.js';
import { broadcastStrides, forEachIndex } from './strides.js';

/** The CPU image kernels (cpu/image.ts), installed with the image primitives so apps without image ops do not bundle them. */
let imageKernel: typeof CpuImage.imageKernel | undefined;

/** Installs the CPU image kernels (primitives/image-load.ts does, before any image primitive can run). */
export function installCpuImageKernels(kernel: typeof CpuImage.imageKernel): void {
  imageKernel = kernel;
}

interface CpuData {
  values: TypedArray;
}

/**
 * Reference backend on the CPU. Registered as 'cpu'; `setBackend('cpu')` selects it.
 *
 * ```ts
 * await setBackend('cpu');
 * ```
 */
export class CpuBackend implements Backend {
  readonly name = 'cpu';
  private bytes = 0;
  /** Whether float32 tensors are held (and so computed end to end) in float64. */
  private readonly wide: boolean;

  /**
   * `float64: true` holds float32 tensors in float64 storage, so every kernel computes in float64
   * end to end: a reference for central differences and for deciding float32 disagreements.
   *
   * ```ts
   * ENGINE.registerBackend('cpu64', () => new CpuBackend({ float64: true }));
   * ```
   */
  constructor(options: { float64?: boolean } = {}) {
    this.wide = options.float64 ?? false;
  }

  describe(): string {
    return 'CPU reference (TypeScript)';
  }

  private make(values: TypedArray): DataId {
    this.bytes += values.byteLength;
    return { values } satisfies CpuData;
  }

  /** The values behind a tensor (no copy). */
  values(x: TensorInfo | DataId): TypedArray {
    const id = 'dataId' in x ? (x as TensorInfo).dataId : x;
    return (id as CpuData).values;
  }

  private alloc(dtype: DType, size: number): TypedArray {
    // Wide storage is typed as Float32Array: kernels only index it, and every value fits a float64.
    return this.wide && dtype === 'float32'
      ? (new Float64Array(size) as unknown as Float32Array)
      : makeTypedArray(dtype, size);
  }

  /** A float64 kernel result as this backend stores float32 values. */
  private narrow(acc: Float64Array): TypedArray {
    return this.wide ? (acc as unknown as Float32Array) : Float32Array.from(acc);
  }

  write(values: TypedArray, dtype: DType): DataId {
    const copy = this.alloc(dtype, values.length);
    copy.set(values);
    return this.make(copy);
  }

  async read(dataId: DataId, dtype: DType, size: number): Promise<TypedArray> {
    return this.readSync(dataId, dtype, size);
  }

  readSync(dataId: DataId, _dtype: DType, _size: number): TypedArray {
    return (dataId as CpuData).values.slice();
  }

  disposeData(dataId: DataId): void {
    this.bytes -= (dataId as CpuData).values.byteLength;
  }

  memory() {
    return { numBytesInBackend: this.bytes };
  }

  async sync(): Promise<void> {}

  elementwise(
    kernel: ElementwiseKernel,
    inputs: readonly TensorInfo[],
    outShape: readonly number[],
    outDtype: DType,
  ): DataId {
    const out = this.alloc(outDtype, sizeOf(outShape));
    const xs = inputs.map((x) => this.values(x));
    const f = kernel.cpu;
    const store = outDtype === 'bool' ? (v: number) => (v !== 0 ? 1 : 0) : (v: number) => v;
    const full = inputs.map((x) => shapesEqual(x.shape, outShape));
    const scalar = inputs.map((x) => sizeOf(x.shape) === 1);
    if (full.every(Boolean)) {
      if (xs.length === 1) for (let i = 0; i < out.length; i++) out[i] = store(f(xs[0][i]));
      else if (xs.length === 2) for (let i = 0; i < out.length; i++) out[i] = store(f(xs[0][i], xs[1][i]));
      else if (xs.length === 3)
        for (let i = 0; i < out.length; i++) out[i] = store(f(xs[0][i], xs[1][i], xs[2][i]));
      // Fused chains (jit) may take more arguments.
      else for (let i = 0; i < out.length; i++) out[i] = store(f(...xs.map((x) => x[i])));
    } else if (xs.length === 2 && full[0] && scalar[1]) {
      // Fast paths for a scalar operand (x * 0.5, lr * g): no index arithmetic.
      const b = xs[1][0];
      for (let i = 0; i < out.length; i++) out[i] = store(f(xs[0][i], b));
    } else if (xs.length === 2 && scalar[0] && full[1]) {
      const a = xs[0][0];
      for (let i = 0; i < out.length; i++) out[i] = store(f(a, xs[1][i]));
    } else {
      const strides = inputs.map((x) => broadcastStrides(x.shape, outShape));
      forEachIndex(outShape, strides, (i, o) => {
        out[i] = store(
          xs.length === 1
            ? f(xs[0][o[0]])
            : xs.length === 2
              ? f(xs[0][o[0]], xs[1][o[1]])
              : xs.length === 3
                ? f(xs[0][o[0]], xs[1][o[1]], xs[2][o[2]])
                : f(...xs.map((x, k) => x[o[k]])),
        );
      });
    }
    return this.make(out);
  }

  reduce(op: ReduceOp, x: TensorInfo, outer: number, inner: number, outDtype: DType): DataId {
    const v = this.values(x);
    const out = this.alloc(outDtype, outer);
    for (let o = 0; o < outer; o++) {
      const base = o * inner;
      let acc = op === 'sum' ? 0 : op === 'prod' ? 1 : v[base];
      let idx = 0;
      for (let i = 0; i < inner; i++) {
        const e = v[base + i];
        if (op === 'sum') acc += e;
        else if (op === 'prod') acc *= e;
        else if (op === 'max' || op === 'min') {
          if (Number.isNaN(e) || (op === 'max' ? e > acc : e < acc)) acc = e;
          if (Number.isNaN(acc)) break;
        } else if (op === 'argMax' ? e > acc : e < acc) {
          acc = e;
          idx = i;
        }
      }
      out[o] = op === 'argMax' || op === 'argMin' ? idx : acc;
    }
    return this.make(out);
  }

  matmul(a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean): DataId {
    const [ba, ra, ca] = a.shape;
    const [bb, rb, cb] = b.shape;
    const m = transposeA ? ca : ra;
    const k = transposeA ? ra : ca;
    const n = transposeB ? rb : cb;
    const batch = Math.max(ba, bb);
    const av = this.values(a);
    // The inner loop walks rows of op(B) contiguously: transpose B up front when needed.
    const bv = transposeB ? this.permute(b, [0, 2, 1]) : this.values(b);
    const out = this.alloc(a.dtype, batch * m * n);
    // Strides for element (i, p) of op(A) and (p, j) of op(B).
    const [aRow, aCol] = transposeA ? [1, ca] : [ca, 1];
    const [bRow, bCol] = [n, 1];
    const row = new Float64Array(n);
    for (let t = 0; t < batch; t++) {
      const aOff = ba === 1 ? 0 : t * ra * ca;
      const bOff = bb === 1 ? 0 : t * rb * cb;
      for (let i = 0; i < m; i++) {
        row.fill(0);
        for (let p = 0; p < k; p++) {
          const aip = av[aOff + i * aRow + p * aCol];
          const bBase = bOff + p * bRow;
          for (let j = 0; j < n; j++) row[j] += aip * bv[bBase + j * bCol];
        }
        out.set(row, (t * m + i) * n);
      }
    }
    return this.make(out);
  }

  transpose(x: TensorInfo, perm: readonly number[]): DataId {
    return this.make(this.permute(x, perm));
  }

  private permute(x: TensorInfo, perm: readonly number[]): TypedArray {
    const v = this.values(x);
    const outShape = perm.map((p) => x.shape[p]);
    const own = stridesOf(x.shape);
    const out = this.alloc(x.dtype, v.length);
    forEachIndex(outShape, [perm.map((p) => own[p])], (i, [o]) => {
      out[i] = v[o];
    });
    return out;
  }

  slice(x: TensorInfo, begin: readonly number[], size: readonly number[]): DataId {
    const v = this.values(x);
    const own = stridesOf(x.shape);
    const start = begin.reduce((a, b, i) => a + b * own[i], 0);
    const out = this.alloc(x.dtype, sizeOf(size));
    forEachIndex(size, [own], (i, [o]) => {
      out[i] = v[start + o];
    });
    return this.make(out);
  }

  pad(x: TensorInfo, paddings: readonly (readonly [number, number])[], value: number): DataId {
    const v = this.values(x);
    const outShape = x.shape.map((d, i) => d + paddings[i][0] + paddings[i][1]);
    const outStrides = stridesOf(outShape);
    const out = this.alloc(x.dtype, sizeOf(outShape));
    out.fill(value);
    const start = paddings.reduce((a, p, i) => a + p[0] * outStrides[i], 0);
    forEachIndex(x.shape, [outStrides], (i, [o]) => {
      out[start + o] = v[i];
    });
    return this.make(out);
  }

  concat(inputs: readonly TensorInfo[], outer: number): DataId {
    const inners = inputs.map((x) => sizeOf(x.shape) / Math.max(outer, 1));
    const total = inners.reduce((a, b) => a + b, 0);
    const out = this.alloc(inputs[0].dtype, outer * total);
    let col = 0;
    inputs.forEach((x, k) => {
      const v = this.values(x);
      const w = inners[k];
      for (let o = 0; o < outer; o++) out.set(v.subarray(o * w, (o + 1) * w), o * total + col);
      col += w;
    });
    return this.make(out);
  }

  gather(x: TensorInfo, indices: TensorInfo, outer: number, n: number, inner: number): DataId {
    const v = this.values(x);
    const idx = this.values(indices);
    const k = idx.length;
    const out = this.alloc(x.dtype, outer * k * inner);
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < k; j++) {
        const src = idx[j];
        if (src < 0 || src >= n) throw new Error(`gather: index ${src} out of range [0, ${n})`);
        out.set(v.subarray((o * n + src) * inner, (o * n + src + 1) * inner), (o * k + j) * inner);
      }
    }
    return this.make(out);
  }

  tile(x: TensorInfo, reps: readonly number[]): DataId {
    const v = this.values(x);
    const outShape = x.shape.map((d, i) => d * reps[i]);
    const own = stridesOf(x.shape);
    const out = this.alloc(x.dtype, sizeOf(outShape));
    const rank = outShape.length;
    const counter = new Array<number>(rank).fill(0);
    for (let i = 0; i < out.length; i++) {
      let src = 0;
      for (let d = 0; d < rank; d++) src += (counter[d] % x.shape[d]) * own[d];
      out[i] = v[src];
      for (let d = rank - 1; d >= 0; d--) {
        if (++counter[d] < outShape[d]) break;
        counter[d] = 0;
      }
    }
    return this.make(out);
  }

  random(kind: 'uniform' | 'normal', size: number, seed: number, a: number, b: number): DataId {
    const out = this.alloc('float32', size);
    if (kind === 'uniform') for (let i = 0; i < size; i++) out[i] = a + (b - a) * uniformAt(seed, i);
    else for (let i = 0; i < size; i++) out[i] = a + b * normalAt(seed, i);
    return this.make(out);
  }

  conv2d(x: TensorInfo, f: TensorInfo, info: Conv2DInfo): DataId {
    return this.make(this.narrow(conv.conv2d(this.values(x), this.values(f), info, false)));
  }
  conv2dBackpropInput(dy: TensorInfo, f: TensorInfo, info: Conv2DInfo): DataId {
    return this.make(this.narrow(conv.conv2dBackpropInput(this.values(dy), this.values(f), info, false)));
  }
  conv2dBackpropFilter(x: TensorInfo, dy: TensorInfo, info: Conv2DInfo): DataId {
    return this.make(this.narrow(conv.conv2dBackpropFilter(this.values(x), this.values(dy), info, false)));
  }
  depthwiseConv2d(x: TensorInfo, f: TensorInfo, info: Conv2DInfo): DataId {
    return this.make(this.narrow(conv.conv2d(this.values(x), this.values(f), info, true)));
  }
  depthwiseConv2dBackpropInput(dy: TensorInfo, f: TensorInfo, info: Conv2DInfo): DataId {
    return this.make(this.narrow(conv.conv2dBackpropInput(this.values(dy), this.values(f), info, true)));
  }
  depthwiseConv2dBackpropFilter(x: TensorInfo, dy: TensorInfo, info: Conv2DInfo): DataId {
    return this.make(this.narrow(conv.conv2dBackpropFilter(this.values(x), this.values(dy), info, true)));
  }
  pool(op: 'max' | 'avg', x: TensorInfo, info: Conv2DInfo): DataId {
    return this.make(this.narrow(conv.pool(op, this.values(x), info)));
  }
  maxPoolBackprop(dy: TensorInfo, x: TensorInfo, info: Conv2DInfo): DataId {
    return this.make(this.narrow(conv.maxPoolBackprop(this.values(dy), this.values(x), info)));
  }
  avgPoolBackprop(dy: TensorInfo, info: Conv2DInfo): DataId {
    return this.make(this.narrow(conv.avgPoolBackprop(this.values(dy), info)));
  }
  image(kernel: ImageKernel, inputs: readonly TensorInfo[], outDtype: DType): DataId {
    if (!imageKernel)
      throw new Error(`CpuBackend.image: the image kernels are not loaded (image ops load them)`);
    const size = sizeOf(imageOutShape(kernel));
    const out = this.alloc(outDtype, size);
    imageKernel(
      kernel,
      inputs.map((x) => this.values(x)),
      size,
      out,
    );
    return this.make(out);
  }
}
