// Dataset elements as nested structures of tensors and numbers: finding their tensors, disposing them, batching them.
import { stack, Tensor, tensor } from '@webdl/core';

/** What a pipeline element may hold: tensors, numbers and number arrays, nested in arrays and plain objects. */
export type Element =
  | Tensor
  | number
  | boolean
  | string
  | null
  | undefined
  | readonly Element[]
  | { readonly [key: string]: Element };

/** Every tensor inside an element (depth first). */
export function tensorsOf(el: unknown, out: Tensor[] = []): Tensor[] {
  if (el instanceof Tensor) out.push(el);
  else if (Array.isArray(el)) for (const e of el) tensorsOf(e, out);
  else if (isPlainObject(el)) for (const e of Object.values(el)) tensorsOf(e, out);
  return out;
}

/** Disposes the tensors of `el` that are not also in `keep` (what a stage consumed but did not pass on). */
export function disposeElement(el: unknown, keep?: unknown): void {
  const kept = new Set(keep === undefined ? [] : tensorsOf(keep));
  for (const t of tensorsOf(el)) if (!kept.has(t) && !t.isDisposed) t.dispose();
}

/** A view of each tensor (shared storage), so the pipeline may dispose its copy without touching the caller's. */
export function viewOf<T>(el: T): T {
  if (el instanceof Tensor) return el.reshape([...el.shape]) as T;
  if (Array.isArray(el)) return el.map((e) => viewOf(e)) as T;
  if (isPlainObject(el)) return Object.fromEntries(Object.entries(el).map(([k, v]) => [k, viewOf(v)])) as T;
  return el;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v) || v instanceof Tensor) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/** A non-empty, rectangular nest of arrays with numbers at every leaf (a [x, y] tuple with mixed parts is not). */
function isNumberArray(v: unknown): v is number[] {
  if (!Array.isArray(v) || v.length === 0) return false;
  if (v.every((x) => typeof x === 'number')) return true;
  return v.every((x) => isNumberArray(x));
}

/**
 * Stacks `n` elements of the same structure into one: tensors along a new first axis, numbers
 * (and arrays of numbers) into float32 tensors; other arrays and objects position by position.
 * Throws naming the path where the elements differ.
 */
export function collate(elems: readonly unknown[], path = 'element'): unknown {
  const first = elems[0];
  if (first instanceof Tensor) {
    elems.forEach((e, i) => {
      if (!(e instanceof Tensor)) throw new Error(`${path} of item ${i} is not a tensor like item 0`);
      if (e.shape.join() !== first.shape.join() || e.dtype !== first.dtype)
        throw new Error(
          `${path}: item ${i} is ${e.dtype} [${e.shape.join(',')}], item 0 is ${first.dtype} [${first.shape.join(',')}] (batch needs equal shapes)`,
        );
    });
    return stack(elems as Tensor[], 0);
  }
  if (typeof first === 'number' || typeof first === 'boolean') {
    elems.forEach((e, i) => {
      if (typeof e !== typeof first)
        throw new Error(`${path} of item ${i} is not a ${typeof first} like item 0`);
    });
    return tensor(
      elems.map((e) => Number(e)),
      [elems.length],
      typeof first === 'boolean' ? 'bool' : 'float32',
    );
  }
  if (isNumberArray(first)) {
    const shape = JSON.stringify(shapeOfNested(first));
    elems.forEach((e, i) => {
      if (!isNumberArray(e) || JSON.stringify(shapeOfNested(e)) !== shape)
        throw new Error(`${path}: item ${i} is not an array of numbers shaped like item 0 (${shape})`);
    });
    return tensor(elems as number[][]);
  }
  if (Array.isArray(first)) {
    return first.map((_, k) =>
      collate(
        elems.map((e, i) => {
          if (!Array.isArray(e) || e.length !== first.length)
            throw new Error(`${path}: item ${i} is not an array of ${first.length} like item 0`);
          return e[k] as unknown;
        }),
        `${path}[${k}]`,
      ),
    );
  }
  if (isPlainObject(first)) {
    return Object.fromEntries(
      Object.keys(first).map((key) => [
        key,
        collate(
          elems.map((e, i) => {
            if (!isPlainObject(e) || !(key in e)) throw new Error(`${path}: item ${i} has no key '${key}'`);
            return e[key];
          }),
          `${path}.${key}`,
        ),
      ]),
    );
  }
  throw new Error(`${path}: cannot batch a ${first === null ? 'null' : typeof first}`);
}

function shapeOfNested(v: unknown): number[] {
  const shape: number[] = [];
  let cur = v;
  while (Array.isArray(cur)) {
    shape.push(cur.length);
    cur = cur[0];
  }
  return shape;
}
