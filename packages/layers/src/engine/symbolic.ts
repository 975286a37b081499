// Symbolic tensors and graph nodes: what a layer returns when applied to an Input (the functional API).
import type { DType } from '@webdl/core';
import { formatShape } from './format.js';
import type { CallArgs, Layer, Shape } from './layer.js';

let symbolicCounter = 0;

/**
 * A placeholder with a shape (batch dimension null) that records how it was computed; applying
 * layers to it builds the graph that `new Model({ inputs, outputs })` runs.
 *
 * ```ts
 * const x = new Input({ shape: [784] });
 * const y = new layers.Dense(10).apply(x) as SymbolicTensor; // y.shape: [null, 10]
 * ```
 */
export class SymbolicTensor {
  readonly id = symbolicCounter++;
  constructor(
    readonly shape: Shape,
    readonly dtype: DType,
    /** The layer whose output this is. */
    readonly sourceLayer: Layer,
    /** Which of sourceLayer's inbound nodes produced it. */
    readonly nodeIndex: number,
    /** Which output of that node it is. */
    readonly tensorIndex: number,
    readonly name = `${sourceLayer.name}/out${tensorIndex === 0 ? '' : `_${tensorIndex}`}`,
  ) {}

  /** Rank of the tensor. */
  get rank(): number {
    return this.shape.length;
  }

  /** 'SymbolicTensor dense/out [None,10]' */
  toString(): string {
    return `SymbolicTensor ${this.name} ${formatShape(this.shape)}`;
  }

  /** Node's console.log shows the toString line, not the graph internals. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

/** One application of a layer in the functional graph: the symbolic inputs it read and outputs it made. */
export interface Node {
  layer: Layer;
  inputs: SymbolicTensor[];
  outputs: SymbolicTensor[];
  /** The layer was given a list (so call receives an array even for one input). */
  inputIsList: boolean;
  /** The layer returned a list. */
  outputIsList: boolean;
  callArgs: CallArgs;
}

/** Whether a value is a SymbolicTensor or an array of them. */
export function isSymbolic(x: unknown): x is SymbolicTensor | SymbolicTensor[] {
  return (
    x instanceof SymbolicTensor ||
    (Array.isArray(x) && x.length > 0 && x.every((e) => e instanceof SymbolicTensor))
  );
}
