/**
 * The op registry: every primitive of core, one typed entry each, and the one way ops run.
 *
 * The registry is the IR that `jit` traces: a graph node is `{ primitive, attrs, inputs }`, with
 * `attrs` plain data. Op functions (`add`, `conv2d`, ...) check their arguments, naming themselves
 * and the shapes in errors, and then call `runPrimitive`.
 *
 * To enumerate it (fuzzers, table-driven tests), `listPrimitives()` gives each primitive's name,
 * kind, arity, whether it has a gradient, and a valid example call (input shapes, dtypes and value
 * ranges, and attrs) that `runPrimitive` accepts:
 *
 * ```ts
 * for (const p of listPrimitives()) {
 *   const { inputs, attrs } = p.example();
 *   const xs = inputs.map((s) => randomUniform(s.shape, { minval: s.range?.[0] ?? -2, maxval: s.range?.[1] ?? 2 }).cast(s.dtype));
 *   const [y] = runPrimitive(p.name, xs, attrs);
 * }
 * ```
 *
 * Adding a primitive: add its attrs to `PrimitiveAttrs` (primitives/types.ts) and its entry to
 * one of the tables below; the `Registry` type makes a missing entry, kernel or gradient a
 * compile error.
 */
import { ENGINE } from '../engine.js';
import type { Tensor } from '../tensor.js';
import { elementwisePrimitives } from './elementwise.js';
import type { ImageAttrs } from './image.js';
import { layoutPrimitives } from './layout.js';
import { nnPrimitives } from './nn.js';
import { reducePrimitives } from './reduce.js';
import type {
  Example,
  PrimitiveAttrs,
  PrimitiveDef,
  PrimitiveKind,
  PrimitiveName,
  Registry,
} from './types.js';

/** The image primitives' entries: added by primitives/image-load.ts, so that apps without image ops do not bundle them. */
export type ImageTable = { [P in keyof ImageAttrs]: PrimitiveDef<ImageAttrs[P]> };

let base: Omit<Registry, keyof ImageAttrs> | undefined;
let table: Registry | undefined;

/** The registry's entries but the image primitives (built on first use: gradients refer back to op functions). */
function baseTable(): Omit<Registry, keyof ImageAttrs> {
  base ??= {
    ...elementwisePrimitives(),
    ...reducePrimitives(),
    ...layoutPrimitives(),
    ...nnPrimitives(),
  };
  return base;
}

/** The registry: every entry once the image primitives were added, the others before. */
function primitives(): Partial<Registry> {
  return table ?? baseTable();
}

/** Completes the registry with the image primitives (once; primitives/image-load.ts calls it). */
export function addImagePrimitives(entries: ImageTable): void {
  table ??= { ...baseTable(), ...entries };
}

/** The entry of a primitive. */
export function primitive<P extends PrimitiveName>(name: P): PrimitiveDef<PrimitiveAttrs[P]> {
  const def = primitives()[name] as PrimitiveDef<PrimitiveAttrs[P]> | undefined;
  if (!def) throw new Error(`runPrimitive: unknown primitive '${String(name)}'`);
  return def;
}

/**
 * Runs a primitive on the current backend: outputs from its shape rule, storage from its kernel;
 * taped (when differentiable) and traced like every op.
 *
 * ```ts
 * const [y] = runPrimitive('transpose', [x], { perm: [1, 0] });
 * ```
 */
export function runPrimitive<P extends PrimitiveName>(
  name: P,
  inputs: Tensor[],
  attrs: PrimitiveAttrs[P],
): Tensor[] {
  const def = primitive(name);
  if (def.arity >= 0 && inputs.length !== def.arity)
    throw new Error(`runPrimitive: '${name}' takes ${def.arity} inputs, got ${inputs.length}`);
  for (const t of inputs) t.assertAlive(name);
  const outs = def.infer(inputs, attrs);
  const grad = def.grad;
  return ENGINE.run(
    name,
    inputs,
    outs,
    (b, xs) => def.kernel(b, xs, attrs, outs),
    grad === 'none' ? undefined : (dys, saved) => grad(dys, saved, attrs),
    attrs,
  );
}

/**
 * What `listPrimitives` tells about one primitive.
 *
 * ```ts
 * const info: PrimitiveInfo | undefined = listPrimitives().find((p) => p.name === 'matmul');
 * info?.kind; // 'matmul'
 * ```
 */
export interface PrimitiveInfo {
  readonly name: PrimitiveName;
  readonly kind: PrimitiveKind;
  /** Number of tensor inputs; -1 for any number >= 1 (concat). */
  readonly arity: number;
  readonly differentiable: boolean;
  /** Attrs that may change between calls of a compiled graph (a random seed). */
  readonly dynamic: readonly string[];
  /** A valid call: input shapes, dtypes and value ranges, and attrs. */
  readonly example: () => Example<PrimitiveAttrs[PrimitiveName]>;
}

/**
 * Every primitive of the registry, with what a fuzzer needs to call it through `runPrimitive`.
 *
 * ```ts
 * listPrimitives().filter((p) => p.kind === 'elementwise').map((p) => p.name);
 * ```
 */
export function listPrimitives(): PrimitiveInfo[] {
  const reg = primitives() as Registry;
  return (Object.keys(reg) as PrimitiveName[]).map((name) => {
    const def = reg[name] as PrimitiveDef<PrimitiveAttrs[PrimitiveName]>;
    return {
      name,
      kind: def.kind,
      arity: def.arity,
      differentiable: def.grad !== 'none',
      dynamic: def.dynamic ?? [],
      example: def.example,
    };
  });
}
