// @webdl/core: tensors, ops, memory management, GradientTape and the CPU reference backend.
import { ENGINE } from './engine.js';
import { installTensorMethods } from './ops/methods.js';

// The one side effect in the packages (package.json lists this file in sideEffects, so bundlers keep it).
installTensorMethods();

/**
 * Selects a registered backend ('cpu', or 'webgpu' once `registerWebGPU()` from `@webdl/webgpu` ran;
 * the `webdl` package does that for you).
 *
 * ```ts
 * await setBackend('cpu');
 * ```
 */
export function setBackend(name: string): Promise<void> {
  return ENGINE.setBackend(name);
}

/**
 * Name of the current backend.
 *
 * ```ts
 * await ready();
 * getBackend(); // 'webgpu' or 'cpu'
 * ```
 */
export function getBackend(): string {
  return ENGINE.backendName;
}

/**
 * Initializes the best registered backend if none is set yet (the highest priority that starts).
 *
 * ```ts
 * await ready();
 * ```
 */
export function ready(): Promise<void> {
  return ENGINE.ready();
}

export { ENGINE } from './engine.js';
export type { MemoryInfo, GradFn, SavedOp } from './engine.js';
export type { LeakedTensor } from './leaks.js';
export type {
  Backend,
  BackendMemory,
  Conv2DInfo,
  DataId,
  ElementwiseKernel,
  Epilogue,
  MultiOutput,
  Prologue,
  ReduceOp,
  TensorInfo,
} from './backend.js';
export type { CaptureSpec, ProgramRun, ReplayCapture, ReplayProgram } from './backend-program.js';
export { CpuBackend } from './cpu/backend.js';
export { Tensor } from './tensor.js';
export { Variable } from './variable.js';
export type { TensorMethods } from './ops/methods.js';
export type { PrimitiveInfo } from './primitives/registry.js';
export { runPrimitive, listPrimitives } from './primitives/public.js';
export type {
  PrimitiveAttrs,
  PrimitiveName,
  PrimitiveKind,
  PrimitiveDef,
  Example,
  ExampleInput,
  Sig,
} from './primitives/types.js';
export { GradientTape } from './tape.js';
export { jit, type JitFunction, type JitOptions } from './jit/jit.js';
export { hostEffect, hostScalar, untraced } from './jit/host.js';
export { grad, valueAndGrad, customGradient, type CustomGradientResult } from './autodiff.js';
export * from './ops/index.js';
export { randomBits, uniformAt, normalAt, pcgHash } from './random.js';
export { broadcastShapes, sizeOf, stridesOf, fmtShape } from './shape.js';
export { formatTensor } from './format.js';
export type { DType, TypedArray, NestedArray, TensorLike } from './types.js';
export type * from './image-kernels.js';
export { imageOutShape } from './image-kernels.js';
export type { GPUTypeMap, GPUBufferHandle, GPUData, GPUDataSource } from './gpu-data.js';
export * from './browser/index.js';
