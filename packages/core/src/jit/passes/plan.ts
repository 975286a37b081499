// What the passes produce: the nodes a replay executes (graph nodes, fused chains with one or more outputs),
// and after which node each value's storage may be freed.
import type { ElementwiseKernel } from '../../backend.js';
import type { GraphNode, PrimNode, Ref } from '../graph.js';

/** A graph node kept as it is; `at` is its index in the traced graph (for per-call attrs). */
export interface Step {
  readonly op: 'node';
  readonly node: GraphNode;
  readonly at: number;
}

/** Several elementwise nodes run as one kernel computing `output` from `inputs`. */
export interface FusedStep {
  readonly op: 'fused';
  readonly kernel: ElementwiseKernel;
  readonly inputs: readonly Ref[];
  readonly output: number;
  /** Traced nodes it replaces, in order. */
  readonly fused: readonly number[];
}

/** A matmul or conv2d node whose output is consumed by an elementwise kernel applied as it is stored (fuse-epilogue.ts). */
export interface EpilogueStep {
  readonly op: 'epilogue';
  /** The matmul or conv2d node. */
  readonly node: PrimNode;
  /** Argument 0 is the producer's result, the others `inputs`. */
  readonly kernel: ElementwiseKernel;
  readonly inputs: readonly Ref[];
  readonly output: number;
  /** Traced nodes it replaces, in order (the producer first). */
  readonly fused: readonly number[];
  /** Further values the kernel stores: `outputs[i]` is chain value `stores[i]` (fuse-epilogue-stores.ts). */
  readonly also?: { readonly outputs: readonly number[]; readonly stores: readonly number[] };
}

/** A reduction node computing its input, an elementwise kernel, as it reads it (fuse-prologue.ts). */
export interface PrologueStep {
  readonly op: 'prologue';
  /** The reduction node. */
  readonly node: PrimNode;
  /** The elementwise kernel over `inputs` giving the reduced tensor. */
  readonly kernel: ElementwiseKernel;
  readonly inputs: readonly Ref[];
  readonly output: number;
  /** Traced nodes it replaces, in order (the reduction last). */
  readonly fused: readonly number[];
  /** Values of the kernel also stored: `outputs[i]` is chain value `stores[i]` (fuse-prologue-stores.ts). */
  readonly also?: { readonly outputs: readonly number[]; readonly stores: readonly number[] };
}

/** Elementwise steps of one output shape run as one kernel storing several values (fuse-multi.ts). */
export interface MultiStep {
  readonly op: 'multi';
  /** The chain over `inputs`; `stores[i]` is the index of the chain value (arity + step) giving `outputs[i]`. */
  readonly kernel: ElementwiseKernel;
  readonly inputs: readonly Ref[];
  readonly outputs: readonly number[];
  readonly stores: readonly number[];
  /** Traced nodes it replaces, in order. */
  readonly fused: readonly number[];
}

export type ExecStep = Step | FusedStep | EpilogueStep | PrologueStep | MultiStep;

/** Inputs (refs) a step reads. */
export function stepInputs(s: ExecStep): readonly Ref[] {
  if (s.op === 'fused' || s.op === 'prologue' || s.op === 'multi') return s.inputs;
  if (s.op === 'epilogue') return [...s.node.inputs, ...s.inputs];
  return s.node.op === 'prim' ? s.node.inputs : [];
}

/** Values a step produces. */
export function stepOutputs(s: ExecStep): readonly number[] {
  if (s.op === 'multi') return s.outputs;
  if ((s.op === 'epilogue' || s.op === 'prologue') && s.also) return [s.output, ...s.also.outputs];
  if (s.op !== 'node') return [s.output];
  return s.node.op === 'prim' ? s.node.outputs : [s.node.output];
}

/**
 * Who reads and who produces each value: `readers` lists, in order and once each, the steps reading
 * a value; `producer` is the step giving it.
 *
 * ```ts
 * const { readers, producer } = stepLinks(steps);
 * ```
 */
export function stepLinks(steps: readonly ExecStep[]): {
  readers: Map<number, number[]>;
  producer: Map<number, number>;
} {
  const readers = new Map<number, number[]>();
  const producer = new Map<number, number>();
  steps.forEach((s, k) => {
    for (const r of new Set(stepInputs(s)))
      if (r >= 0) (readers.get(r) ?? readers.set(r, []).get(r))?.push(k);
    for (const v of stepOutputs(s)) producer.set(v, k);
  });
  return { readers, producer };
}

/** The traced graph's nodes as steps (no pass applied). */
export function asSteps(nodes: readonly GraphNode[]): ExecStep[] {
  return nodes.map((node, at) => ({ op: 'node', node, at }));
}
