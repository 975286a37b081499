// Direct calls of a compiled graph (jit's `direct` option): fn's JavaScript is not run again. What
// a shadow run would collect comes from elsewhere: external storage from the arguments and the
// captured tensors (Variables read now, so writes from outside are seen), host constants from the
// declared host scalars (host.ts), Variable writes from the trace. A plan exists only for graphs
// where that is all a call can change: no result or one computed tensor, no other tensor kept, no
// random seeds, and every constant that changed between the trace and the verifying shadow run
// declared.
import type { DataId } from '../backend.js';
import { ENGINE } from '../engine.js';
import { primitive } from '../primitives/registry.js';
import { Tensor } from '../tensor.js';
import type { TypedArray } from '../types.js';
import { constDtype, slotOf, type PrimNode } from './graph.js';
import type { HostStep } from './host.js';
import type { CallState, Compiled } from './recorded.js';
import type { ShadowRecorder } from './shadow.js';
import type { WriteEntry } from './trace.js';

/** Where an external slot's storage comes from on a direct call. */
type SlotSource = { readonly arg: number } | { readonly tensor: Tensor };

/** How to call a compiled graph without running fn. */
export interface DirectPlan {
  readonly slots: readonly SlotSource[];
  /** The Variables a call writes, by id (the shadow run's map, kept). */
  readonly writes: ReadonlyMap<number, WriteEntry>;
  readonly hostSteps: readonly HostStep[];
  /** Tensors among the (flattened) arguments of the traced call. */
  readonly numArgs: number;
  /** The value fn returns as one tensor, or -1 when it returns nothing. */
  readonly result: number;
}

/** The tensors of a call's arguments, in the order `signature` visits them. */
export function argTensors(value: unknown, out: Tensor[] = [], depth = 0): Tensor[] {
  if (value instanceof Tensor) out.push(value);
  else if (depth < 4 && Array.isArray(value)) for (const v of value) argTensors(v, out, depth + 1);
  else if (depth < 4 && value !== null && typeof value === 'object') {
    if (Object.getPrototypeOf(value) === Object.prototype)
      for (const v of Object.values(value)) argTensors(v, out, depth + 1);
  }
  return out;
}

const distinct = (ts: readonly Tensor[]) => new Set(ts).size === ts.length;

/**
 * The plan for direct calls, from the trace's external tensors and a shadow run that matched it,
 * or null where a direct call could differ from running fn.
 */
export function planDirect(
  c: Compiled,
  traced: { readonly extTensors: readonly Tensor[]; readonly args: readonly Tensor[] },
  rec: ShadowRecorder,
  args: readonly Tensor[],
  result: unknown,
): DirectPlan | null {
  const g = c.graph;
  const out = result instanceof Tensor && g.outputs.length === 1 && rec.madeHere(result) ? g.outputs[0] : -1;
  if (result instanceof Tensor ? out < 0 : result !== undefined || g.outputs.length > 0) return null;
  // Nothing but the result may keep a value of the call.
  const held = rec.heldValues(result instanceof Tensor ? [result] : []);
  if (held.some((v) => v !== out)) return null;
  if (g.nodes.some((n) => n.op === 'prim' && (primitive(n.prim).dynamic?.length ?? 0) > 0)) return null;
  if (!distinct(args) || args.length !== traced.args.length || !distinct(traced.args)) return null;
  const scalars = new Set<number>();
  for (const h of rec.hostSteps) {
    if (h.kind !== 'scalar') continue;
    if (constDtype(g, h.index) !== 'float32') return null;
    scalars.add(h.index);
  }
  for (const i of rec.constNow.keys()) if (!scalars.has(i)) return null;
  const slots: SlotSource[] = [];
  for (let s = 0; s < rec.extTensors.length; s++) {
    const t = rec.extTensors[s];
    const arg = args.indexOf(t);
    const then = traced.extTensors[s];
    if (arg >= 0) {
      if (traced.args.indexOf(then) !== arg) return null;
      slots.push({ arg });
    } else {
      // A captured tensor: the same one on both calls (a Variable, a weight), never an argument.
      if (then !== t || traced.args.includes(then)) return null;
      slots.push({ tensor: t });
    }
  }
  return {
    slots,
    writes: new Map(rec.writes),
    hostSteps: [...rec.hostSteps],
    numArgs: args.length,
    result: out,
  };
}

/** One direct call's state: the written Variables and the result (made once its storage is known). */
export class DirectCall implements CallState {
  /** The call's result tensor, after `bind` (plans with a result). */
  result: Tensor | undefined;
  constructor(
    private readonly c: Compiled,
    private readonly plan: DirectPlan,
    readonly extData: readonly DataId[],
    readonly constNow: ReadonlyMap<number, TypedArray>,
  ) {}
  get writes(): ReadonlyMap<number, WriteEntry> {
    return this.plan.writes;
  }
  attrsOf(_k: number, node: PrimNode): object {
    return node.attrs;
  }
  heldValues(): number[] {
    return this.plan.result >= 0 ? [this.plan.result] : [];
  }
  escapes(): number[] {
    const out = this.heldValues();
    for (const w of this.writes.values()) if (w.ref >= 0) out.push(w.ref);
    return out;
  }
  realStorage(variable: Tensor): DataId {
    return variable.dataId;
  }
  bind(dataOf: readonly DataId[], inPlace: ReadonlySet<Tensor> = new Set()): void {
    const v = this.plan.result;
    if (v >= 0) {
      const { shape, dtype } = this.c.graph.valueSigs[v];
      this.result = ENGINE.makeTensor({ dataId: dataOf[v], shape, dtype }, this.c.backend);
    }
    for (const { variable, ref } of this.writes.values()) {
      if (inPlace.has(variable)) continue;
      variable.moveTo(this.c.backend, ref >= 0 ? dataOf[ref] : this.extData[slotOf(ref)]);
    }
  }
}

/**
 * This call's state, having run the declared host steps; null (having run nothing) when some
 * tensor it needs is gone or the arguments do not fit the plan (then fn runs as a shadow run).
 */
export function directCall(c: Compiled, plan: DirectPlan, args: readonly Tensor[]): DirectCall | null {
  if (args.length !== plan.numArgs || !distinct(args)) return null;
  const extData: DataId[] = [];
  for (const s of plan.slots) {
    const t = 'arg' in s ? args[s.arg] : s.tensor;
    if (t.isDisposed || t.backend !== c.backend) return null;
    extData.push(t.dataId);
  }
  for (const w of plan.writes.values()) if (w.variable.isDisposed) return null;
  const constNow = new Map<number, TypedArray>();
  for (const h of plan.hostSteps) {
    if (h.kind === 'effect') h.run();
    else constNow.set(h.index, Float32Array.of(h.read()));
  }
  return new DirectCall(c, plan, extData, constNow);
}
