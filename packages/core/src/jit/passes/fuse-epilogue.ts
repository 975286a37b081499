// Epilogue fusion: a float32 matmul or conv2d whose only reader is an elementwise kernel of the
// same output shape (bias add, activation, scale, or a whole fused chain) becomes one step: the
// chain runs in the producer kernel's store. Backends without `matmulEpilogue` / `conv2dEpilogue`
// run the two kernels in a row.
import type { Backend, DataId, ElementwiseKernel, TensorInfo } from '../../backend.js';
import { primitive } from '../../primitives/registry.js';
import type { PrimitiveAttrs, PrimitiveName, Sig } from '../../primitives/types.js';
import { shapesEqual } from '../../shape.js';
import type { Ref } from '../graph.js';
import { stepLinks, stepOutputs, type EpilogueStep, type ExecStep } from './plan.js';

/** Most tensors an epilogue reads besides the matmul's result (storage bindings next to out, a, b). */
export const MAX_EPILOGUE_INPUTS = 4;

/** The kernel and inputs of an elementwise step (fused, or one primitive), else null. */
export function elementwiseOf(s: ExecStep): { kernel: ElementwiseKernel; inputs: readonly Ref[] } | null {
  if (s.op === 'fused') return { kernel: s.kernel, inputs: s.inputs };
  if (s.op !== 'node' || s.node.op !== 'prim') return null;
  const def = primitive(s.node.prim);
  if (def.kind !== 'elementwise' || !def.expr || s.node.outputs.length !== 1) return null;
  const expr = def.expr as (a: PrimitiveAttrs[PrimitiveName]) => ElementwiseKernel;
  return { kernel: expr(s.node.attrs as PrimitiveAttrs[PrimitiveName]), inputs: s.node.inputs };
}

/** `kernel` re-indexed so that argument 0 is `value` and the others are `extras` in order. */
function rebased(
  kernel: ElementwiseKernel,
  inputs: readonly Ref[],
  value: number,
  extras: Ref[],
): ElementwiseKernel {
  const index = inputs.map((r) => (r === value ? 0 : extras.indexOf(r) + 1));
  const arity = extras.length + 1;
  const moved = (i: number) => (i < inputs.length ? index[i] : i - inputs.length + arity);
  return {
    key: `epilogue(${kernel.key}|${index.join(',')})`,
    arity,
    // Each step applies its own NaN rule.
    handlesNaN: true,
    steps: kernel.steps
      ? kernel.steps.map((s) => ({ ...s, args: s.args.map(moved) }))
      : [{ kernel, args: index, outDtype: 'float32' }],
    cpu: (...a: number[]) => kernel.cpu(...index.map((i) => a[i])),
    wgsl: (args, t) =>
      kernel.wgsl(
        index.map((i) => args[i]),
        t,
      ),
  };
}

const PRODUCERS = new Set(['matmul', 'conv2d']);

/**
 * Merges each float32 matmul or conv2d with its only reader when that reader is elementwise, writes float32
 * with the producer's output shape and reads at most `maxInputs` other tensors. The merged step
 * runs where the reader was (every input is ready by then).
 *
 * ```ts
 * steps = fuseEpilogues(fuseElementwise(steps, sigs, kept), sigs, kept);
 * ```
 */
export function fuseEpilogues(
  steps: readonly ExecStep[],
  sigs: readonly Sig[],
  kept: ReadonlySet<number>,
  maxInputs = MAX_EPILOGUE_INPUTS,
): ExecStep[] {
  const { readers } = stepLinks(steps);
  const merged = new Map<number, EpilogueStep>();
  const absorbed = new Set<number>();
  steps.forEach((s, k) => {
    if (s.op !== 'node' || s.node.op !== 'prim' || !PRODUCERS.has(s.node.prim)) return;
    const node = s.node;
    const v = node.outputs[0];
    const sig = sigs[v];
    const only = readers.get(v);
    if (sig.dtype !== 'float32' || kept.has(v) || only?.length !== 1) return;
    const reader = steps[only[0]];
    const ew = elementwiseOf(reader);
    const [out] = stepOutputs(reader);
    if (
      !ew ||
      merged.has(only[0]) ||
      sigs[out].dtype !== 'float32' ||
      !shapesEqual(sigs[out].shape, sig.shape)
    )
      return;
    const extras = [...new Set(ew.inputs.filter((r) => r !== v))];
    if (extras.length > maxInputs) return;
    const fused = reader.op === 'fused' ? reader.fused : [(reader as { at: number }).at];
    merged.set(only[0], {
      op: 'epilogue',
      node,
      kernel: rebased(ew.kernel, ew.inputs, v, extras),
      inputs: extras,
      output: out,
      fused: [s.at, ...fused],
    });
    absorbed.add(k);
  });
  return steps.flatMap((s, k) => (absorbed.has(k) ? [] : [merged.get(k) ?? s]));
}

/**
 * Runs an epilogue step: in one kernel where the backend has `matmulEpilogue` / `conv2dEpilogue`
 * (a conv2d's extra inputs must be whole outputs or broadcast only along channels), else as the
 * producer followed by the elementwise kernel (its temporary freed at once).
 */
export function runEpilogue(
  backend: Backend,
  s: EpilogueStep,
  info: (r: Ref) => TensorInfo,
  sigs: readonly Sig[],
): DataId {
  const outShape = sigs[s.output].shape;
  const extras = s.inputs.map(info);
  const [a, b] = s.node.inputs.map(info);
  let produced: DataId;
  if (s.node.prim === 'conv2d') {
    const { info: ci } = s.node.attrs as PrimitiveAttrs['conv2d'];
    const rows = outShape.slice(0, -1).reduce((x, y) => x * y, 1);
    const flat = extras.map((e) => asRows(e, outShape, rows));
    if (backend.conv2dEpilogue && flat.every((e) => e !== null)) {
      const epilogue = { kernel: s.kernel, inputs: flat, outShape: [rows, ci.outChannels] };
      return backend.conv2dEpilogue(a, b, ci, epilogue);
    }
    produced = backend.conv2d(a, b, ci);
  } else {
    const { transposeA, transposeB } = s.node.attrs as PrimitiveAttrs['matmul'];
    if (backend.matmulEpilogue) {
      const epilogue = { kernel: s.kernel, inputs: extras, outShape };
      return backend.matmulEpilogue(as3(a), as3(b), transposeA, transposeB, epilogue);
    }
    produced = backend.matmul(as3(a), as3(b), transposeA, transposeB);
  }
  const y: TensorInfo = { dataId: produced, shape: outShape, dtype: 'float32' };
  const out = backend.elementwise(s.kernel, [y, ...extras], outShape, 'float32');
  backend.disposeData(produced);
  return out;
}

/** An input broadcast to a conv2d output [N, H, W, C] as a view over its [N*H*W, C] rows, or null. */
function asRows(t: TensorInfo, outShape: readonly number[], rows: number): TensorInfo | null {
  const lead = t.shape.slice(0, -1);
  const channels = t.shape.length > 0 ? t.shape[t.shape.length - 1] : 1;
  if (lead.every((d) => d === 1)) return { ...t, shape: [1, channels] };
  return shapesEqual(t.shape, outShape) ? { ...t, shape: [rows, channels] } : null;
}

/** A [..., M, N] operand as the [batch, M, N] the matmul kernels take. */
export function as3(t: TensorInfo): TensorInfo {
  const batch = t.shape.slice(0, -2).reduce((x, y) => x * y, 1);
  return { dataId: t.dataId, dtype: t.dtype, shape: [batch, ...t.shape.slice(-2)] };
}
