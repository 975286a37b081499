// The graph a jit trace records: primitive nodes { prim, attrs, inputs } and host constants, over
// numbered values; references to tensors from outside the call (arguments, Variables, captured
// tensors) are external slots.
import type { DataId } from '../backend.js';
import type { Tensor } from '../tensor.js';
import type { TypedArray } from '../types.js';
import { primitive } from '../primitives/registry.js';
import type { PrimitiveName, Sig } from '../primitives/types.js';

/** A value of the graph (>= 0), or external slot s as -(s + 1). */
export type Ref = number;

export const extRef = (slot: number): Ref => -(slot + 1);
export const slotOf = (ref: Ref): number => -ref - 1;

/** A primitive application. `key` identifies prim and static attrs (dynamic ones, a seed, excluded). */
export interface PrimNode {
  readonly op: 'prim';
  readonly prim: PrimitiveName;
  readonly attrs: object;
  readonly key: string;
  readonly inputs: readonly Ref[];
  readonly outputs: readonly number[];
}

/** Host values that became a tensor inside the function (may differ between calls: Adam's step size). */
export interface ConstNode {
  readonly op: 'const';
  readonly index: number;
  readonly output: number;
  readonly shape: readonly number[];
  readonly dtype: Sig['dtype'];
}

export type GraphNode = PrimNode | ConstNode;

/** A recorded Variable write: the Variable's tensor id and the ref it takes. */
export interface GraphWrite {
  readonly variableId: number;
  readonly ref: Ref;
}

/** A traced function as data. */
export interface Graph {
  readonly nodes: readonly GraphNode[];
  /** Shapes and dtypes of the values and of the external slots. */
  readonly valueSigs: readonly Sig[];
  readonly extSigs: readonly Sig[];
  /** Values of the constants at trace time. */
  readonly constValues: readonly TypedArray[];
  /** The function's result, flattened (refs), and the Variable writes, in order of first write. */
  readonly outputs: readonly Ref[];
  readonly writes: readonly GraphWrite[];
  /** Values some tensor still refers to after the call (outputs, kept tensors, tape copies). */
  readonly escapes: readonly number[];
}

/** The key of a node: primitive name and attrs without the dynamic ones. */
export function nodeKey(prim: PrimitiveName, attrs: object): string {
  const dynamic = primitive(prim).dynamic;
  if (!dynamic || dynamic.length === 0) return `${prim}${JSON.stringify(attrs)}`;
  const rest = Object.fromEntries(Object.entries(attrs).filter(([k]) => !dynamic.includes(k as never)));
  return `${prim}${JSON.stringify(rest)}`;
}

/** Plain-data equality (numbers by Object.is, arrays, typed arrays, plain objects with the same keys). */
function samePlain(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || ArrayBuffer.isView(a)) {
    const x = a as ArrayLike<unknown>;
    const y = b as ArrayLike<unknown>;
    if (Array.isArray(a) !== Array.isArray(b) || ArrayBuffer.isView(a) !== ArrayBuffer.isView(b))
      return false;
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (!samePlain(x[i], y[i])) return false;
    return true;
  }
  return sameAttrs(a, b);
}

/**
 * Whether two attrs objects are the same plain data, keys in `skip` (dynamic attrs) aside: what
 * equal node keys mean, without building the strings (a shadow run checks every primitive).
 */
export function sameAttrs(a: object, b: object, skip?: readonly string[]): boolean {
  if (a === b) return true;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  for (const k of ka) {
    if (!Object.prototype.hasOwnProperty.call(b, k)) return false;
    if (skip?.includes(k)) continue;
    if (!samePlain(ra[k], rb[k])) return false;
  }
  return true;
}

/** Virtual storage standing for value `value` during a shadow run. */
export class Placeholder {
  constructor(readonly value: number) {}
}

/** The Placeholder behind a tensor's storage, if any. */
export function placeholderOf(t: Tensor): Placeholder | undefined {
  const d: DataId = t.dataId;
  return d instanceof Placeholder ? d : undefined;
}

/** Number of references from node inputs to each value. */
export function useCounts(g: Graph): number[] {
  const uses = new Array<number>(g.valueSigs.length).fill(0);
  for (const n of g.nodes) if (n.op === 'prim') for (const r of n.inputs) if (r >= 0) uses[r]++;
  return uses;
}

/** Dtype of constant `index`. */
export function constDtype(g: Graph, index: number): Sig['dtype'] {
  for (const n of g.nodes) if (n.op === 'const' && n.index === index) return n.dtype;
  throw new Error(`jit: no constant ${index} in the graph`);
}
