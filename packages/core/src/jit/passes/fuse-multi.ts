// Multi-output fusion: elementwise steps (fused chains or single primitives) of one float32 output
// shape, where one reads another's result, become one kernel storing every member's result that is
// read outside the group or kept (Adam's m, u and v updates; a value read inside and outside a
// chain). Inputs plus stored outputs stay within the backend's storage-binding limit.
import type { Backend, DataId, TensorInfo } from '../../backend.js';
import { primitive } from '../../primitives/registry.js';
import type { Sig } from '../../primitives/types.js';
import { shapesEqual } from '../../shape.js';
import type { Ref } from '../graph.js';
import { elementwiseOf } from './fuse-epilogue.js';
import { chainKernel, type ChainStep } from './fuse-elementwise.js';
import { stepInputs, stepLinks, stepOutputs, type ExecStep, type FusedStep, type MultiStep } from './plan.js';

/** Storage buffers a kernel may bind where the backend does not say (WebGPU's default limit). */
export const DEFAULT_STORAGE_BINDINGS = 8;

/** Scalar constants a kernel reads from its parameters instead of storage: up to `max` of `refs`. */
export interface ParamScalars {
  readonly refs: ReadonlySet<Ref>;
  readonly max: number;
}

/** The storage buffers one fused kernel may bind, and the scalar constants it reads from parameters instead. */
export interface BindingBudget {
  readonly max: number;
  readonly scalars?: ParamScalars;
}

/** The budget where the backend states no limit. */
export const DEFAULT_BUDGET: BindingBudget = { max: DEFAULT_STORAGE_BINDINGS };

/**
 * Whether a kernel reading `inputs` (scalar constants read as parameters aside) and binding `others`
 * further buffers (its outputs and stored values) exceeds `budget`.
 *
 * ```ts
 * overBudget({ max: 3, scalars: { refs: new Set([4]), max: 16 } }, [-1, 4, 7], 1); // false: 2 + 1 bindings
 * ```
 */
export function overBudget(budget: BindingBudget, inputs: readonly Ref[], others: number): boolean {
  const { scalars } = budget;
  const free = scalars ? Math.min(inputs.filter((r) => scalars.refs.has(r)).length, scalars.max) : 0;
  return inputs.length - free + others > budget.max;
}

/** What a checked group reads, stores, and which identity steps move after it. */
interface Plan {
  inputs: Ref[];
  stores: number[];
  moved: number[];
}

/**
 * Merges groups of elementwise steps linked by their results into one step each (a `MultiStep`
 * storing several values, or a `FusedStep` when one value is stored), placed where the group's
 * last member was. Identity steps (a Variable's `assign`) reading a member's result move after the
 * group. A group reads and stores at most `budget.max` tensors (its parameter scalars aside).
 *
 * ```ts
 * steps = fuseMultiOutput(fuseElementwise(steps, sigs, kept), sigs, kept, { max: backend.maxStorageBindings ?? 8 });
 * ```
 */
export function fuseMultiOutput(
  steps: readonly ExecStep[],
  sigs: readonly Sig[],
  kept: ReadonlySet<number>,
  budget: BindingBudget = DEFAULT_BUDGET,
): ExecStep[] {
  const { readers, producer } = stepLinks(steps);
  const identity = (k: number | undefined): number | null => {
    const s = k === undefined ? undefined : steps[k];
    if (s?.op !== 'node' || s.node.op !== 'prim' || primitive(s.node.prim).kind !== 'identity') return null;
    return s.node.inputs[0] >= 0 ? s.node.inputs[0] : null;
  };
  /** The value r stands for through identity steps. */
  const source = (r: Ref): Ref => {
    for (let i = identity(producer.get(r)); i !== null; i = identity(producer.get(r))) r = i;
    return r;
  };
  const candidate = (k: number): readonly number[] | null => {
    const ew = elementwiseOf(steps[k]);
    if (!ew) return null;
    const sig = sigs[stepOutputs(steps[k])[0]];
    return sig.dtype === 'float32' ? sig.shape : null;
  };
  const outputOf = (k: number) => stepOutputs(steps[k])[0];

  /** The plan of members `m` (sorted), or null when a reader outside runs too early or bindings overflow. */
  const check = (m: readonly number[]): Plan | null => {
    const last = m[m.length - 1];
    const member = new Set(m);
    const outs = new Set(m.map(outputOf));
    const moved: number[] = [];
    const stores: number[] = [];
    // Results (and identity aliases of them) read outside the group must be read after it runs.
    const visit = (v: number): boolean => {
      let outside = kept.has(v);
      for (const r of readers.get(v) ?? []) {
        if (member.has(r)) continue;
        outside = true;
        if (identity(r) !== null) {
          if (r < last) moved.push(r);
          if (!visit(outputOf(r))) return false;
        } else if (r < last) return false;
      }
      if (outside && outs.has(v)) stores.push(v);
      return true;
    };
    for (const k of m) if (!visit(outputOf(k))) return null;
    const inputs: Ref[] = [];
    for (const k of m)
      for (const r of (elementwiseOf(steps[k]) as { inputs: readonly Ref[] }).inputs)
        if (!outs.has(source(r)) && !inputs.includes(r)) inputs.push(r);
    if (overBudget(budget, inputs, stores.length)) return null;
    return { inputs, stores, moved: moved.sort((a, b) => a - b) };
  };

  // Each step's group (sorted members); a group is emitted where its last member was.
  const groupOf = new Map<number, number[]>();
  const join = (a: readonly number[], b: readonly number[]): number[] | null => {
    const m = [...new Set([...a, ...b])].sort((x, y) => x - y);
    if (!check(m)) return null;
    for (const k of m) groupOf.set(k, m);
    return m;
  };
  steps.forEach((s, k) => {
    const shape = candidate(k);
    if (!shape) return;
    let group = [k];
    groupOf.set(k, group);
    // Producers' groups join the reader's; those that cannot (bindings) join one another (siblings).
    const left: number[][] = [];
    for (const r of stepInputs(s)) {
      const p = r >= 0 ? producer.get(source(r)) : undefined;
      const from = p === undefined ? undefined : groupOf.get(p);
      const pShape = p === undefined ? null : candidate(p);
      if (
        !from ||
        !pShape ||
        !shapesEqual(pShape, shape) ||
        group.includes(p as number) ||
        left.includes(from)
      )
        continue;
      const merged = join(from, group);
      if (merged) group = merged;
      else left.push(from);
    }
    if (left.length > 1) left.reduce((a, b) => join(a, b) ?? b);
  });
  const roots = new Map<number, Plan>();
  for (const m of new Set(groupOf.values())) if (m.length > 1) roots.set(m[m.length - 1], check(m) as Plan);

  const replaced = new Set<number>();
  for (const [k, plan] of roots) {
    for (const m of groupOf.get(k) as number[]) replaced.add(m);
    for (const i of plan.moved) replaced.add(i);
  }
  const out: ExecStep[] = [];
  steps.forEach((s, k) => {
    const plan = roots.get(k);
    if (plan)
      out.push(
        groupStep(steps, groupOf.get(k) as number[], plan, sigs, source),
        ...plan.moved.map((i) => steps[i]),
      );
    else if (!replaced.has(k)) out.push(s);
  });
  return out;
}

/** The step computing `members` in one kernel. */
function groupStep(
  steps: readonly ExecStep[],
  members: readonly number[],
  plan: Plan,
  sigs: readonly Sig[],
  source: (r: Ref) => Ref,
): MultiStep | FusedStep {
  const slot = new Map<Ref, number>(plan.inputs.map((r, i) => [r, i]));
  const list: ChainStep[] = [];
  const slotOf = (r: Ref) => slot.get(r) ?? (slot.get(source(r)) as number);
  const fused: number[] = [];
  for (const k of members) {
    const s = steps[k];
    const { kernel, inputs } = elementwiseOf(s) as NonNullable<ReturnType<typeof elementwiseOf>>;
    const out = stepOutputs(s)[0];
    const base = plan.inputs.length + list.length;
    const args = inputs.map(slotOf);
    if (kernel.steps)
      for (const st of kernel.steps)
        list.push({
          ...st,
          args: st.args.map((a) => (a < kernel.arity ? args[a] : base + a - kernel.arity)),
        });
    else list.push({ kernel, args, outDtype: sigs[out].dtype });
    slot.set(out, plan.inputs.length + list.length - 1);
    fused.push(...(s.op === 'fused' ? s.fused : [(s as { at: number }).at]));
  }
  const kernel = chainKernel(list, plan.inputs.length);
  fused.sort((a, b) => a - b);
  const stores = plan.stores.map((v) => slot.get(v) as number);
  if (stores.length === 1 && stores[0] === plan.inputs.length + list.length - 1)
    return { op: 'fused', kernel, inputs: plan.inputs, output: plan.stores[0], fused };
  return { op: 'multi', kernel, inputs: plan.inputs, outputs: plan.stores, stores, fused };
}

/**
 * Runs a multi-output step: one kernel where the backend has `elementwiseMulti`, else one
 * elementwise kernel per stored value (the chain up to it).
 */
export function runMulti(
  backend: Backend,
  s: MultiStep,
  info: (r: Ref) => TensorInfo,
  sigs: readonly Sig[],
): DataId[] {
  const shape = sigs[s.outputs[0]].shape;
  const inputs = s.inputs.map(info);
  if (backend.elementwiseMulti)
    return backend.elementwiseMulti({ kernel: s.kernel, stores: s.stores }, inputs, shape);
  const { arity, steps } = s.kernel;
  return s.stores.map((i) =>
    backend.elementwise(chainKernel((steps ?? []).slice(0, i - arity + 1), arity), inputs, shape, 'float32'),
  );
}
