// @webdl/core: tensors, ops, memory management, GradientTape and the CPU reference backend.
import { ENGINE } from './engine.js';
import { CpuBackend } from './cpu/backend.js';

ENGINE.registerBackend('cpu', () => new CpuBackend(), 1);

/**
 * Selects a registered backend ('cpu', or 'webgpu' once `@webdl/webgpu` is imported).
 *
 * ```ts
 * await setBackend('cpu');
 * ```
 */
export function setBackend(name: string): Promise<void> {
  return ENGINE.setBackend(name);
}

/** Name of the current backend. */
export function getBackend(): string {
  return ENGINE.backendName;
}

/** Initializes the best registered backend if none is set yet. */
export function ready(): Promise<void> {
  return ENGINE.ready();
}

export { ENGINE } from './engine.js';
export type { MemoryInfo, GradFn, SavedOp } from './engine.js';
export type {
  Backend,
  BackendMemory,
  Conv2DInfo,
  DataId,
  ElementwiseKernel,
  ReduceOp,
  TensorInfo,
} from './backend.js';
export { CpuBackend } from './cpu/backend.js';
export { Tensor, Variable } from './tensor.js';
export { GradientTape } from './tape.js';
export { grad, valueAndGrad, customGradient, type CustomGradientResult } from './autodiff.js';
export * from './ops/index.js';
export { randomBits, uniformAt, normalAt, pcgHash } from './random.js';
export { broadcastShapes, sizeOf, stridesOf, fmtShape } from './shape.js';
export { formatTensor } from './format.js';
export type { DType, TypedArray, NestedArray, TensorLike } from './types.js';
export type * from './image-kernels.js';
export { imageOutShape } from './image-kernels.js';
export type { GPUTypeMap, GPUBufferHandle, GPUData, GPUDataSource } from './gpu-data.js';
