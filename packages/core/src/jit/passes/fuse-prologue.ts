// Prologue fusion: a float32 sum/prod/max/min whose input is an elementwise kernel read by nothing
// else (mean of squares, logSumExp's exp(x - max)) computes that kernel as it reads, so the
// intermediate is never stored. Backends without `reducePrologue` run the two kernels in a row.
import type { Backend, DataId, ReduceOp, TensorInfo } from '../../backend.js';
import type { ReduceAttrs, Sig } from '../../primitives/types.js';
import { sizeOf } from '../../shape.js';
import type { Ref } from '../graph.js';
import { elementwiseOf } from './fuse-epilogue.js';
import { stepInputs, stepOutputs, type ExecStep, type PrologueStep } from './plan.js';

/** Most tensors a prologue reads (storage bindings next to the output). */
export const MAX_PROLOGUE_INPUTS = 7;

const FUSIBLE = new Set(['sum', 'prod', 'max', 'min']);

/**
 * Merges each float32 sum/prod/max/min with the elementwise step producing its input when that is
 * the input's only reader, writes float32 and reads at most `maxInputs` tensors.
 *
 * ```ts
 * steps = fusePrologues(fuseElementwise(steps, sigs, kept), sigs, kept);
 * ```
 */
export function fusePrologues(
  steps: readonly ExecStep[],
  sigs: readonly Sig[],
  kept: ReadonlySet<number>,
  maxInputs = MAX_PROLOGUE_INPUTS,
): ExecStep[] {
  const readers = new Map<number, number>();
  const producer = new Map<number, number>();
  steps.forEach((s, k) => {
    for (const r of new Set(stepInputs(s))) if (r >= 0) readers.set(r, (readers.get(r) ?? 0) + 1);
    for (const v of stepOutputs(s)) producer.set(v, k);
  });
  const absorbed = new Set<number>();
  const merged = new Map<number, PrologueStep>();
  steps.forEach((s, k) => {
    if (s.op !== 'node' || s.node.op !== 'prim' || !FUSIBLE.has(s.node.prim)) return;
    const v = s.node.inputs[0];
    const p = producer.get(v);
    if (v < 0 || p === undefined || absorbed.has(p) || readers.get(v) !== 1 || kept.has(v)) return;
    const ew = elementwiseOf(steps[p]);
    if (!ew || sigs[v].dtype !== 'float32' || ew.inputs.length > maxInputs) return;
    const from = steps[p];
    merged.set(k, {
      op: 'prologue',
      node: s.node,
      kernel: ew.kernel,
      inputs: ew.inputs,
      output: s.node.outputs[0],
      fused: [...(from.op === 'fused' ? from.fused : [(from as { at: number }).at]), s.at],
    });
    absorbed.add(p);
  });
  return steps.flatMap((s, k) => (absorbed.has(k) ? [] : [merged.get(k) ?? s]));
}

/**
 * Runs a prologue step: in one kernel where the backend has `reducePrologue`, else as the
 * elementwise kernel followed by the reduction (its temporary freed at once).
 */
export function runPrologue(
  backend: Backend,
  s: PrologueStep,
  info: (r: Ref) => TensorInfo,
  sigs: readonly Sig[],
): DataId {
  const op = (s.node as { prim: ReduceOp }).prim;
  const { inner } = s.node.attrs as ReduceAttrs;
  const shape = sigs[s.node.inputs[0]].shape;
  const n = sizeOf(shape.slice(shape.length - inner));
  const outer = sizeOf(shape.slice(0, shape.length - inner));
  const inputs = s.inputs.map(info);
  if (backend.reducePrologue)
    return backend.reducePrologue(op, { kernel: s.kernel, inputs, shape }, outer, n);
  const x: TensorInfo = {
    dataId: backend.elementwise(s.kernel, inputs, shape, 'float32'),
    shape,
    dtype: 'float32',
  };
  const out = backend.reduce(op, x, outer, n, 'float32');
  backend.disposeData(x.dataId);
  return out;
}
