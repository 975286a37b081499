// The registry's public entry points, runPrimitive and listPrimitives, with every primitive: the image primitives (and
// the CPU image kernels) load on first use here or in an image op, so apps without image ops do not bundle them.
import { installCpuImageKernels } from '../cpu/backend.js';
import { imageKernel } from '../cpu/image.js';
import type { Tensor } from '../tensor.js';
import { imagePrimitives } from './image.js';
import {
  addImagePrimitives,
  listPrimitives as listLoaded,
  runPrimitive as runLoaded,
  type PrimitiveInfo,
} from './registry.js';
import type { PrimitiveAttrs, PrimitiveName } from './types.js';

let imageLoaded = false;

/** Adds the image primitives to the registry and their kernels to the CPU backend (once). */
export function loadImagePrimitives(): void {
  if (imageLoaded) return;
  imageLoaded = true;
  installCpuImageKernels(imageKernel);
  addImagePrimitives(imagePrimitives());
}

/**
 * Runs a primitive on the current backend: outputs from its shape rule, storage from its kernel;
 * taped (when differentiable) and traced like every op.
 *
 * ```ts
 * const [y] = runPrimitive('transpose', [x], { perm: [1, 0] });
 * ```
 */
export function runPrimitive<P extends PrimitiveName>(
  name: P,
  inputs: Tensor[],
  attrs: PrimitiveAttrs[P],
): Tensor[] {
  loadImagePrimitives();
  return runLoaded(name, inputs, attrs);
}

/**
 * Every primitive of the registry, with what a fuzzer needs to call it through `runPrimitive`.
 *
 * ```ts
 * listPrimitives().filter((p) => p.kind === 'elementwise').map((p) => p.name);
 * ```
 */
export function listPrimitives(): PrimitiveInfo[] {
  loadImagePrimitives();
  return listLoaded();
}
