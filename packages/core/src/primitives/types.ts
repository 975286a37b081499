// The shape of a primitive's registry entry, and the attributes of every primitive by name.
import type { Backend, Conv2DInfo, DataId, ElementwiseKernel, TensorInfo } from '../backend.js';
import type { SavedOp } from '../engine.js';
import type { Tensor } from '../tensor.js';
import type { DType } from '../types.js';
import type { BinaryName } from './binary.js';
import type { ImageAttrs } from './image.js';
import type { UnaryName } from './unary.js';

/**
 * Shape and dtype of a value flowing between primitives.
 *
 * ```ts
 * const sig: Sig = { shape: [2, 3], dtype: 'float32' };
 * ```
 */
export interface Sig {
  readonly shape: readonly number[];
  readonly dtype: DType;
}

/** A primitive without attributes. */
export type NoAttrs = Record<string, never>;

/** Attributes of a reduction: the trailing `inner` axes of the input are reduced to `outShape`. */
export interface ReduceAttrs {
  inner: number;
  outShape: number[];
}

/** Attributes of convolutions and pooling: the geometry computed by the op function. */
export interface ConvAttrs {
  info: Conv2DInfo;
}

/**
 * Attributes of every primitive, by name: plain data (numbers, strings, arrays, plain objects),
 * never closures, so a graph node `{ primitive, attrs, inputs }` can be hashed, fused and replayed.
 *
 * ```ts
 * const attrs: PrimitiveAttrs['leakyRelu'] = { alpha: 0.2 };
 * runPrimitive('leakyRelu', [tensor([-1, 1])], attrs); // [tensor [-0.2, 1]]
 * ```
 */
export interface PrimitiveAttrs extends Record<BinaryName | UnaryName, NoAttrs>, ImageAttrs {
  leakyRelu: { alpha: number };
  elu: { alpha: number };
  clipByValue: { min: number; max: number };
  cast: { dtype: DType };
  where: NoAttrs;
  sum: ReduceAttrs;
  prod: ReduceAttrs;
  max: ReduceAttrs;
  min: ReduceAttrs;
  argMax: ReduceAttrs;
  argMin: ReduceAttrs;
  reshape: { shape: number[] };
  transpose: { perm: number[] };
  slice: { begin: number[]; size: number[] };
  pad: { paddings: [number, number][]; value: number };
  concat: { axis: number };
  gather: { axis: number };
  tile: { reps: number[] };
  broadcastTo: { shape: number[] };
  matmul: { transposeA: boolean; transposeB: boolean };
  conv2d: ConvAttrs;
  conv2dBackpropInput: ConvAttrs;
  conv2dBackpropFilter: ConvAttrs;
  depthwiseConv2d: ConvAttrs;
  depthwiseConv2dBackpropInput: ConvAttrs;
  depthwiseConv2dBackpropFilter: ConvAttrs;
  maxPool: ConvAttrs;
  avgPool: ConvAttrs;
  maxPoolBackprop: ConvAttrs;
  avgPoolBackprop: ConvAttrs;
  randomUniform: { shape: number[]; minval: number; maxval: number; seed: number };
  randomNormal: { shape: number[]; mean: number; stddev: number; seed: number };
  stopGradient: NoAttrs;
  assign: NoAttrs;
}

/**
 * Name of a primitive.
 *
 * ```ts
 * const names: PrimitiveName[] = listPrimitives().map((p) => p.name);
 * ```
 */
export type PrimitiveName = keyof PrimitiveAttrs;

/**
 * What kind of computation a primitive is (fusion passes group `elementwise` ones).
 *
 * ```ts
 * const kind: PrimitiveKind = 'elementwise';
 * listPrimitives().filter((p) => p.kind === kind).length; // the ops jit may fuse
 * ```
 */
export type PrimitiveKind = 'elementwise' | 'reduce' | 'layout' | 'matmul' | 'conv' | 'random' | 'identity';

/** Gradient rule: output gradients, the saved inputs/outputs and the attrs give one gradient (or null) per input. */
export type GradRule<A> = (dys: Tensor[], saved: SavedOp, attrs: A) => (Tensor | null)[];

/**
 * One input of an example call: a shape, a dtype and the range random test values are drawn from.
 *
 * ```ts
 * const input: ExampleInput = { shape: [4], dtype: 'int32', range: [0, 10] }; // indices in [0, 10)
 * ```
 */
export interface ExampleInput extends Sig {
  /** Values are drawn uniformly from [lo, hi) (integers for int32, e.g. gather indices). Default [-2, 2). */
  readonly range?: readonly [number, number];
}

/**
 * A valid call of a primitive, for fuzzers and table-driven tests.
 *
 * ```ts
 * const info = listPrimitives().find((p) => p.name === 'add')!;
 * const ex: Example<unknown> = info.example();
 * ex.inputs.map((i) => i.shape); // shapes of a valid call
 * ```
 */
export interface Example<A> {
  readonly inputs: readonly ExampleInput[];
  readonly attrs: A;
}

/**
 * One registry entry: everything about a primitive.
 *
 * - `infer`: the shape/dtype rule (the op function has validated the arguments and named its
 *   errors; `infer` gives the outputs).
 * - `kernel`: runs it on a backend; run on the CPU backend it is the float64-checked reference
 *   (elementwise primitives also carry their scalar function in `expr`: `cpu` in float64 and
 *   `wgsl` as an expression, which fusion passes inline).
 * - `grad`: written with tensor ops (so it differentiates again), or `'none'`.
 * - `dynamic`: attrs that may change per call without changing a compiled graph (a random seed).
 *
 * ```ts
 * const arityOf = <A>(def: PrimitiveDef<A>) => def.arity; // -1 for concat
 * ```
 */
export interface PrimitiveDef<A> {
  readonly kind: PrimitiveKind;
  /** Number of tensor inputs; -1 for any number (concat). */
  readonly arity: number;
  readonly infer: (inputs: readonly Sig[], attrs: A) => Sig[];
  /** Computes the outputs (whose shapes and dtypes `infer` gave) on a backend. */
  readonly kernel: (b: Backend, xs: readonly TensorInfo[], attrs: A, outs: readonly Sig[]) => DataId[];
  readonly expr?: (attrs: A) => ElementwiseKernel;
  readonly grad: GradRule<A> | 'none';
  readonly dynamic?: readonly (keyof A & string)[];
  readonly example: () => Example<A>;
}

/** The exhaustive registry type: a missing primitive, kernel or gradient is a compile error. */
export type Registry = { readonly [P in PrimitiveName]: PrimitiveDef<PrimitiveAttrs[P]> };
