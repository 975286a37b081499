// Small helpers shared by the layer zoo: single/multiple input checks and config serialization.
import type { Tensor } from '@webdl/core';
import { isShapeList, type Shape } from '../engine/layer.js';
import {
  getInitializer,
  serializeInitializer,
  type Initializer,
  type InitializerLike,
  nextSeed,
} from '../initializers.js';

/** An initializer option: a name, an instance, a function, or a serialized `{ className, config }` (as in saved configs). */
export type InitializerOption = InitializerLike | { className: string; config?: Record<string, unknown> };

/** Resolves an initializer option (default used when absent). */
export function resolveInitializer(init: InitializerOption | undefined, dflt: string): Initializer {
  return getInitializer(init ?? dflt);
}

/** Serializes an initializer for getConfig (`{ className, config }`, as Keras). */
export function initializerConfig(init: Initializer): { className: string; config: Record<string, unknown> } {
  return serializeInitializer(init);
}

/** The input shape of a single-input layer (throws on a list of shapes). */
export function singleShape(inputShape: Shape | Shape[], layer: string): Shape {
  if (isShapeList(inputShape)) {
    if (inputShape.length !== 1) throw new Error(`${layer}: expects one input, got ${inputShape.length}`);
    return inputShape[0];
  }
  return inputShape;
}

/** The input shapes of a multi-input layer. */
export function shapeList(inputShape: Shape | Shape[], layer: string, min = 2): Shape[] {
  if (!isShapeList(inputShape) || inputShape.length < min) {
    throw new Error(
      `${layer}: expects a list of at least ${min} input shapes, got ${JSON.stringify(inputShape)}`,
    );
  }
  return inputShape;
}

/** The tensor of a single-input layer (throws on a list). */
export function singleTensor(inputs: Tensor | Tensor[], layer: string): Tensor {
  if (Array.isArray(inputs)) {
    if (inputs.length !== 1) throw new Error(`${layer}: expects one input tensor, got ${inputs.length}`);
    return inputs[0];
  }
  return inputs;
}

/** The tensors of a multi-input layer. */
export function tensorList(inputs: Tensor | Tensor[], layer: string, min = 2): Tensor[] {
  if (!Array.isArray(inputs) || inputs.length < min) {
    throw new Error(`${layer}: expects a list of at least ${min} input tensors`);
  }
  return inputs;
}

/** A shape dimension known at build time, or a clear error. */
export function knownDim(d: number | null | undefined, layer: string, what: string): number {
  if (d === null || d === undefined)
    throw new Error(`${layer}: the ${what} dimension of the input must be known`);
  return d;
}

/**
 * The seed of a random layer's n-th call: a fixed seed gives a reproducible sequence of draws
 * (not the same draw every step); no seed follows the global sequence (setRandomSeed) or is fresh.
 */
export function callSeed(seed: number | undefined, call: number): number | undefined {
  return seed === undefined ? nextSeed() : (seed + Math.imul(call, 0x9e3779b9)) >>> 0;
}
