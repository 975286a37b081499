// Shape and layout ops: reshape, transpose, slicing, padding, concatenation, gather, tile, broadcast.
import { assertShape, broadcastShapes, fmtShape, normAxis, shapesEqual, sizeOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import { tensor } from './creation.js';
import { ENGINE } from '../engine.js';
import { runPrimitive } from '../primitives/registry.js';

/**
 * Same values, new shape (one dimension may be -1). `reshape(x, [2, -1])`
 *
 * ```ts
 * reshape(tensor([1, 2, 3, 4, 5, 6]), [2, -1]); // shape [2, 3]
 * ```
 */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  const unknown = shape.filter((d) => d === -1).length;
  if (unknown > 1) throw new Error(`reshape: at most one -1 in ${fmtShape(shape)}`);
  const known = sizeOf(shape.filter((d) => d !== -1));
  let out = [...shape];
  if (unknown === 1) {
    if (known === 0 || x.size % known !== 0)
      throw new Error(`reshape: cannot reshape ${fmtShape(x.shape)} to ${fmtShape(shape)}`);
    out = shape.map((d) => (d === -1 ? x.size / known : d));
  }
  assertShape('reshape', out);
  if (sizeOf(out) !== x.size) {
    throw new Error(
      `reshape: cannot reshape ${fmtShape(x.shape)} (${x.size} elements) to ${fmtShape(shape)} (${sizeOf(out)} elements)`,
    );
  }
  return runPrimitive('reshape', [x], { shape: out })[0];
}

/**
 * Flattens to 1-D.
 *
 * ```ts
 * flatten(zeros([2, 3, 4])); // shape [24]
 * ```
 */
export function flatten(x: Tensor): Tensor {
  x.assertAlive('flatten');
  return reshape(x, [x.size]);
}

/**
 * Inserts a size-1 axis. `expandDims(x, 0)`
 *
 * ```ts
 * expandDims(tensor([1, 2]), 1); // [[1], [2]]
 * ```
 */
export function expandDims(x: Tensor, axis = 0): Tensor {
  const ax = normAxis('expandDims', axis, x.rank + 1);
  const shape = [...x.shape];
  shape.splice(ax, 0, 1);
  return reshape(x, shape);
}

/**
 * Removes size-1 axes (all, or the given ones).
 *
 * ```ts
 * squeeze(zeros([1, 3, 1])); // shape [3]
 * ```
 */
export function squeeze(x: Tensor, axis?: number | readonly number[]): Tensor {
  const axes =
    axis === undefined
      ? x.shape.flatMap((d, i) => (d === 1 ? [i] : []))
      : (typeof axis === 'number' ? [axis] : [...axis]).map((a) => normAxis('squeeze', a, x.rank));
  for (const a of axes) {
    if (x.shape[a] !== 1)
      throw new Error(`squeeze: axis ${a} of ${fmtShape(x.shape)} has size ${x.shape[a]}, not 1`);
  }
  return reshape(
    x,
    x.shape.filter((_, i) => !axes.includes(i)),
  );
}

/**
 * Permutes axes (reverses them by default). `transpose(x, [1, 0])`
 *
 * ```ts
 * transpose(tensor([[1, 2, 3]])); // [[1], [2], [3]]
 * ```
 */
export function transpose(x: Tensor, perm?: readonly number[]): Tensor {
  const p = perm ? [...perm] : x.shape.map((_, i) => x.rank - 1 - i);
  if (
    p.length !== x.rank ||
    new Set(p).size !== p.length ||
    p.some((a) => !Number.isInteger(a) || a < 0 || a >= x.rank)
  ) {
    throw new Error(
      `transpose: perm [${p.join(',')}] is not a permutation of the ${x.rank} axes of ${fmtShape(x.shape)}`,
    );
  }
  return runPrimitive('transpose', [x], { perm: p })[0];
}

/**
 * A block of x starting at begin with the given size (-1 = to the end). `slice(x, [0, 1], [2, -1])`
 *
 * ```ts
 * slice(tensor([[1, 2, 3], [4, 5, 6]]), [0, 1], [2, -1]); // [[2, 3], [5, 6]]
 * ```
 */
export function slice(
  x: Tensor,
  begin: number | readonly number[],
  size?: number | readonly number[],
): Tensor {
  const b =
    typeof begin === 'number' ? [begin, ...new Array<number>(Math.max(0, x.rank - 1)).fill(0)] : [...begin];
  const s0 = size === undefined ? [] : typeof size === 'number' ? [size] : [...size];
  if (b.length !== x.rank)
    throw new Error(`slice: begin [${b.join(',')}] does not match rank ${x.rank} of ${fmtShape(x.shape)}`);
  const s = x.shape.map((d, i) => (s0[i] === undefined || s0[i] === -1 ? d - b[i] : s0[i]));
  x.shape.forEach((d, i) => {
    if (!Number.isInteger(b[i]) || b[i] < 0 || s[i] < 0 || b[i] + s[i] > d) {
      throw new Error(
        `slice: begin [${b.join(',')}] size [${s.join(',')}] out of bounds for ${fmtShape(x.shape)}`,
      );
    }
  });
  return runPrimitive('slice', [x], { begin: b, size: s })[0];
}

/**
 * Pads with a constant. `pad(x, [[1, 1], [0, 2]])`
 *
 * ```ts
 * pad(tensor([[1, 2]]), [[1, 1], [0, 0]]); // [[0, 0], [1, 2], [0, 0]]
 * ```
 */
export function pad(x: Tensor, paddings: readonly (readonly [number, number])[], value = 0): Tensor {
  if (
    paddings.length !== x.rank ||
    paddings.some((p) => p.length !== 2 || p.some((v) => !Number.isInteger(v) || v < 0))
  ) {
    throw new Error(
      `pad: paddings ${JSON.stringify(paddings)} must be ${x.rank} pairs of non-negative integers for ${fmtShape(x.shape)}`,
    );
  }
  return runPrimitive('pad', [x], { paddings: paddings.map(([lo, hi]) => [lo, hi]), value })[0];
}

/**
 * Joins tensors along an axis. `concat([a, b], 1)`
 *
 * ```ts
 * concat([tensor([[1]]), tensor([[2]])], 1); // [[1, 2]]
 * ```
 */
export function concat(tensors: readonly Tensor[], axis = 0): Tensor {
  if (tensors.length === 0) throw new Error('concat: needs at least one tensor');
  const rank = tensors[0].rank;
  const ax = normAxis('concat', axis, rank);
  const dtype = tensors[0].dtype;
  for (const t of tensors) {
    const ok =
      t.rank === rank && t.dtype === dtype && t.shape.every((d, i) => i === ax || d === tensors[0].shape[i]);
    if (!ok)
      throw new Error(
        `concat: shapes ${tensors.map((u) => `${u.dtype} ${fmtShape(u.shape)}`).join(', ')} differ off axis ${ax}`,
      );
  }
  return runPrimitive('concat', [...tensors], { axis: ax })[0];
}

/**
 * Stacks same-shape tensors along a new axis. `stack([a, b])`
 *
 * ```ts
 * stack([tensor([1, 2]), tensor([3, 4])]); // [[1, 2], [3, 4]]
 * ```
 */
export function stack(tensors: readonly Tensor[], axis = 0): Tensor {
  if (tensors.length === 0) throw new Error('stack: needs at least one tensor');
  const shape = tensors[0].shape;
  for (const t of tensors) {
    if (!shapesEqual(t.shape, shape) || t.dtype !== tensors[0].dtype)
      throw new Error(
        `stack: shapes ${tensors.map((u) => `${u.dtype} ${fmtShape(u.shape)}`).join(', ')} differ`,
      );
  }
  return ENGINE.tidy(() =>
    concat(
      tensors.map((t) => expandDims(t, normAxis('stack', axis, shape.length + 1))),
      axis,
    ),
  );
}

/**
 * Splits into n equal parts or parts of the given sizes along an axis. `split(x, 2, 1)`
 *
 * ```ts
 * const [left, right] = split(tensor([[1, 2, 3, 4]]), 2, 1); // [[1, 2]] and [[3, 4]]
 * ```
 */
export function split(x: Tensor, numOrSizes: number | readonly number[], axis = 0): Tensor[] {
  const ax = normAxis('split', axis, x.rank);
  const d = x.shape[ax];
  let sizes: number[];
  if (typeof numOrSizes === 'number') {
    if (!Number.isInteger(numOrSizes) || numOrSizes <= 0 || d % numOrSizes !== 0) {
      throw new Error(
        `split: axis ${ax} of ${fmtShape(x.shape)} (size ${d}) cannot be split into ${numOrSizes} equal parts`,
      );
    }
    sizes = new Array<number>(numOrSizes).fill(d / numOrSizes);
  } else {
    sizes = [...numOrSizes];
    const unknown = sizes.indexOf(-1);
    if (unknown >= 0) sizes[unknown] = d - sizes.reduce((a, v) => (v === -1 ? a : a + v), 0);
    if (sizes.reduce((a, v) => a + v, 0) !== d || sizes.some((v) => v < 0)) {
      throw new Error(
        `split: sizes [${numOrSizes.join(',')}] do not add up to ${d} (axis ${ax} of ${fmtShape(x.shape)})`,
      );
    }
  }
  let offset = 0;
  return sizes.map((n) => {
    const begin = x.shape.map((_, i) => (i === ax ? offset : 0));
    const size = x.shape.map((v, i) => (i === ax ? n : v));
    offset += n;
    return slice(x, begin, size);
  });
}

/**
 * Picks slices along an axis by int32 indices. `gather(x, [2, 0], 1)`
 *
 * ```ts
 * gather(tensor([[1, 2, 3]]), [2, 0], 1); // [[3, 1]]
 * ```
 */
export function gather(x: Tensor, indices: Tensor | readonly number[], axis = 0): Tensor {
  const ax = normAxis('gather', axis, x.rank);
  // Indices given as numbers are checked here; tensor indices are checked by the backend where it can.
  const bad =
    indices instanceof Tensor
      ? undefined
      : indices.find((i) => !Number.isInteger(i) || i < 0 || i >= x.shape[ax]);
  if (bad !== undefined)
    throw new Error(
      `gather: index ${bad} is out of range [0, ${x.shape[ax]}) for axis ${ax} of ${fmtShape(x.shape)}`,
    );
  const idx = indices instanceof Tensor ? indices : tensor(indices as number[], undefined, 'int32');
  if (idx.dtype !== 'int32') throw new Error(`gather: indices must be int32, got ${idx.dtype}`);
  try {
    return runPrimitive('gather', [x, idx], { axis: ax })[0];
  } finally {
    if (!(indices instanceof Tensor)) idx.dispose();
  }
}

/**
 * Repeats x reps[i] times along each axis. `tile(x, [2, 1])`
 *
 * ```ts
 * tile(tensor([[1, 2]]), [2, 1]); // [[1, 2], [1, 2]]
 * ```
 */
export function tile(x: Tensor, reps: readonly number[]): Tensor {
  if (reps.length !== x.rank || reps.some((r) => !Number.isInteger(r) || r < 0)) {
    throw new Error(
      `tile: reps [${reps.join(',')}] must be ${x.rank} non-negative integers for ${fmtShape(x.shape)}`,
    );
  }
  return runPrimitive('tile', [x], { reps: [...reps] })[0];
}

/**
 * Broadcasts to a shape (NumPy rules). `broadcastTo(x, [4, 3])`
 *
 * ```ts
 * broadcastTo(tensor([1, 2, 3]), [2, 3]); // [[1, 2, 3], [1, 2, 3]]
 * ```
 */
export function broadcastTo(x: Tensor, shape: readonly number[]): Tensor {
  assertShape('broadcastTo', shape);
  const out = broadcastShapes('broadcastTo', x.shape, shape);
  if (!shapesEqual(out, shape))
    throw new Error(`broadcastTo: cannot broadcast ${fmtShape(x.shape)} to ${fmtShape(shape)}`);
  return runPrimitive('broadcastTo', [x], { shape: [...shape] })[0];
}
