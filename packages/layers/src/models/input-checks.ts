// The model boundary: inputs in the forms Keras takes (dicts by name, nested arrays, TypedArrays), cast and checked against the declared shapes.
import { cast, tensor, Tensor, type TensorLike } from '@webdl/core';
import { formatShape } from '../engine/format.js';
import type { Shape } from '../engine/layer.js';
import type { SymbolicTensor } from '../engine/symbolic.js';

/** One input or target in a form Keras takes: a Tensor, nested number arrays, or a TypedArray. */
export type ArrayData = Tensor | TensorLike;

/**
 * What fit, evaluate and predict take for x or y: one array, one per input/output (a list), or a
 * dict keyed by input/output name (Keras's `{ "image": x1, "meta": x2 }`).
 */
export type DataLike = ArrayData | ArrayData[] | Record<string, ArrayData>;

/** The model facts the boundary needs (kept structural so this module does not import Model). */
export interface BoundaryModel {
  name: string;
  inputs: SymbolicTensor[];
  outputs: SymbolicTensor[];
  outputNames: string[];
  isGraph: boolean;
}

/** Converted tensors plus the ones created here (the caller disposes those when done). */
export interface Adapted {
  tensors: Tensor[];
  owned: Tensor[];
}

const isTensorList = (x: unknown): x is Tensor[] =>
  Array.isArray(x) && x.length > 0 && x.every((e) => e instanceof Tensor);

function isTypedArray(x: unknown): x is ArrayBufferView {
  return ArrayBuffer.isView(x) && !(x instanceof DataView);
}

function isDict(x: unknown): x is Record<string, ArrayData> {
  if (typeof x !== 'object' || x === null || Array.isArray(x) || x instanceof Tensor || isTypedArray(x))
    return false;
  const proto: unknown = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

/**
 * Turns x (or y) into one tensor per model input (or output): dicts are matched by name, arrays and
 * TypedArrays become tensors once (TypedArrays take the declared per-sample shape).
 *
 * ```ts
 * const { tensors, owned } = adaptData(model, { a: xa, b: [[1, 2]] }, 'x');
 * ```
 */
export function adaptData(model: BoundaryModel, data: DataLike, role: 'x' | 'y'): Adapted {
  const owned: Tensor[] = [];
  const specs = role === 'x' ? model.inputs : model.outputs;
  const names = role === 'x' ? model.inputs.map((i) => i.sourceLayer.name) : model.outputNames;
  const what = role === 'x' ? 'input' : 'output';
  let items: unknown[];
  if (isDict(data)) {
    if (!model.isGraph)
      throw new Error(`${model.name}: a dict of ${what}s needs a model with named ${what}s (functional)`);
    const keys = Object.keys(data);
    const extra = keys.filter((k) => !names.includes(k));
    const missing = names.filter((k) => !keys.includes(k));
    if (extra.length || missing.length)
      throw new Error(
        `${model.name}: the ${role} dict has keys [${keys.join(', ')}] but the model's ${what}s are [${names.join(', ')}]` +
          (missing.length ? ` (missing: ${missing.join(', ')})` : ''),
      );
    items = names.map((n) => data[n]);
  } else if (Array.isArray(data) && specs.length > 1 && data.length === specs.length) {
    items = data;
  } else if (isTensorList(data)) {
    items = data;
  } else {
    items = [data];
  }
  const tensors = items.map((item, i) => {
    if (item instanceof Tensor) return item;
    const t = toTensor(item, specs[i]?.shape, `${model.name}: ${what} '${names[i] ?? i}'`);
    owned.push(t);
    return t;
  });
  return { tensors, owned };
}

function toTensor(values: unknown, declared: Shape | undefined, where: string): Tensor {
  if (isTypedArray(values)) {
    const flat = values as unknown as ArrayLike<number>;
    const per = declared?.slice(1);
    if (per && per.length > 0 && per.every((d): d is number => d !== null)) {
      const size = per.reduce((a, b) => a * b, 1);
      if (flat.length % size !== 0)
        throw new Error(
          `${where}: a TypedArray of ${flat.length} values is not a whole number of samples of shape ${formatShape(per)}`,
        );
      return tensor(values as TensorLike, [flat.length / size, ...per]);
    }
    return tensor(values as TensorLike);
  }
  if (typeof values === 'number' || typeof values === 'boolean' || Array.isArray(values)) {
    try {
      return tensor(values as TensorLike);
    } catch (e) {
      throw new Error(`${where}: could not convert the array to a tensor: ${(e as Error).message}`);
    }
  }
  throw new Error(
    `${where}: expected a Tensor, nested number arrays or a TypedArray, got ${values === null ? 'null' : typeof values}`,
  );
}

/**
 * Checks the tensors entering a graph model against its declared inputs (count, rank, known
 * dimensions; the batch may be anything) and casts int32/bool features to the declared float dtype,
 * as Keras's Functional model does.
 *
 * ```ts
 * checkModelInputs(model, [ones([4, 5])]);
 * // Error: functional: input 'input_layer_1' expects shape [None,2], got [4,5]
 * ```
 */
export function checkModelInputs(model: BoundaryModel, xs: Tensor[]): Tensor[] {
  if (!model.isGraph || model.inputs.length === 0) return xs;
  const names = model.inputs.map((i) => i.sourceLayer.name);
  if (xs.length !== model.inputs.length)
    throw new Error(
      `${model.name}: expected ${model.inputs.length} input(s) (${names.join(', ')}), got ${xs.length}`,
    );
  return xs.map((x, i) => {
    if (!(x instanceof Tensor))
      throw new Error(`${model.name}: input '${names[i]}' must be a Tensor, got ${typeof x}`);
    const want = model.inputs[i].shape;
    const got = x.shape;
    const ok = want.length === got.length && want.every((d, j) => d === null || d === got[j]);
    if (!ok) {
      const noBatch =
        got.length === want.length - 1 && want.slice(1).every((d, j) => d === null || d === got[j]);
      throw new Error(
        `${model.name}: input '${names[i]}' expects shape ${formatShape(want)}, got ${formatShape([...got])}` +
          (noBatch ? ' (the batch dimension is missing: add one, e.g. x.expandDims(0))' : ''),
      );
    }
    const dtype = model.inputs[i].dtype;
    return x.dtype !== dtype ? cast(x, dtype) : x;
  });
}

/**
 * Adapts each of several data arguments (undefined stays undefined), runs `run` on the tensor
 * lists, then frees the tensors the adaptation created.
 *
 * ```ts
 * await withAdapted(model, [[x, 'x'], [y, 'y']], ([xs, ys]) => fitModel(model, xs!, ys!, args));
 * ```
 */
export async function withAdapted<T>(
  model: BoundaryModel,
  parts: [DataLike | undefined, 'x' | 'y'][],
  run: (lists: (Tensor[] | undefined)[]) => Promise<T>,
): Promise<T> {
  const owned: Tensor[] = [];
  try {
    const lists = parts.map(([d, role]) => {
      if (d === undefined) return undefined;
      const a = adaptData(model, d, role);
      owned.push(...a.owned);
      return a.tensors;
    });
    return await run(lists);
  } finally {
    for (const t of owned) if (!t.isDisposed) t.dispose();
  }
}
