// Registry entries of the elementwise primitives (binary, unary, cast, where), built from their
// scalar definitions; inputs arrive promoted to one dtype and broadcast by the backend.
import type { ElementwiseKernel } from '../backend.js';
import { broadcastShapes } from '../shape.js';
import type { Tensor } from '../tensor.js';
import type { DType } from '../types.js';
import { sumToShape } from '../ops/operand.js';
import { where } from '../ops/elementwise.js';
import { BINARY, type BinaryName } from './binary.js';
import type { ExampleInput, GradRule, PrimitiveAttrs, PrimitiveDef, Sig } from './types.js';
import { PARAM_UNARY, UNARY, nanW, type DtypeRule, type UnaryDef, type UnaryName } from './unary.js';

const kernelCache = new Map<string, ElementwiseKernel>();

/** The backend kernel of a scalar function, cached by key (the name plus any attribute values). */
export function kernelOf(
  key: string,
  arity: 1 | 2 | 3,
  cpu: ElementwiseKernel['cpu'],
  wgsl: ElementwiseKernel['wgsl'],
  handlesNaN = false,
): ElementwiseKernel {
  let k = kernelCache.get(key);
  if (!k) kernelCache.set(key, (k = { key, arity, cpu, wgsl, handlesNaN }));
  return k;
}

/** Output dtype of an elementwise rule given the (promoted) input dtype. */
export function outDtypeOf(rule: DtypeRule, input: DType): DType {
  if (rule === 'float') return 'float32';
  if (rule === 'bool' || rule === 'logical') return 'bool';
  return input === 'bool' ? 'int32' : input;
}

function broadcastAll(name: string, inputs: readonly Sig[]): number[] {
  let shape = [...inputs[0].shape];
  for (const x of inputs.slice(1)) shape = broadcastShapes(name, shape, x.shape);
  return shape;
}

/** Wraps per-input gradients: skips unwanted ones and sums broadcast ones back to the input shapes. */
function foldGrad<A>(f: (dy: Tensor, xs: Tensor[], y: Tensor, attrs: A) => (Tensor | null)[]): GradRule<A> {
  return ([dy], s, attrs) =>
    f(dy, s.inputs, s.outputs[0], attrs).map((g, i) =>
      g && s.needs[i] ? sumToShape(g, s.inputs[i].shape) : null,
    );
}

const attrKey = (name: string, attrs: object) => {
  const vals = Object.values(attrs);
  return vals.length === 0 ? name : `${name}:${vals.join(':')}`;
};

function elementwiseDef<A extends object>(
  name: string,
  arity: 1 | 2 | 3,
  outDtype: (inputs: readonly Sig[], attrs: A) => DType,
  expr: (attrs: A) => ElementwiseKernel,
  grad: GradRule<A> | 'none',
  example: () => { inputs: ExampleInput[]; attrs: A },
): PrimitiveDef<A> {
  return {
    kind: 'elementwise',
    arity,
    infer: (inputs, attrs) => [{ shape: broadcastAll(name, inputs), dtype: outDtype(inputs, attrs) }],
    kernel: (b, xs, attrs, [out]) => [b.elementwise(expr(attrs), xs, out.shape, out.dtype)],
    expr,
    grad,
    example,
  };
}

/** Inputs an example call draws from: positive where the function needs it, bool for logic. */
function exampleInputs(name: string, rule: DtypeRule, arity: number): ExampleInput[] {
  const dtype: DType = rule === 'logical' ? 'bool' : 'float32';
  const positive = ['log', 'sqrt', 'rsqrt', 'log1p', 'reciprocal', 'pow'].includes(name);
  const range = positive ? ([0.5, 2] as const) : undefined;
  const shapes = arity === 1 ? [[2, 3]] : [[2, 3], [3]];
  return shapes.map((shape) => ({ shape, dtype, range }));
}

function binaryDef(name: BinaryName): PrimitiveDef<PrimitiveAttrs[BinaryName]> {
  const d = BINARY[name];
  const kernel = kernelOf(name, 2, d.cpu, ([a, b], t) => d.wgsl(a, b, t), 'handlesNaN' in d);
  const g = d.grad;
  return elementwiseDef(
    name,
    2,
    ([x]) => outDtypeOf(d.dtype, x.dtype),
    () => kernel,
    g === 'none' ? 'none' : foldGrad((dy, [a, b], y) => g(dy, a, b, y)),
    () => ({ inputs: exampleInputs(name, d.dtype, 2), attrs: {} }),
  );
}

function unaryDef<A extends object>(name: string, d: UnaryDef<A>, sample: A): PrimitiveDef<A> {
  const g = d.grad;
  return elementwiseDef(
    name,
    1,
    ([x]) => outDtypeOf(d.dtype, x.dtype),
    (attrs) =>
      kernelOf(
        attrKey(name, attrs),
        1,
        (v) => d.cpu(v, attrs),
        ([v], t) => d.wgsl(v, t, attrs),
      ),
    g === 'none' ? 'none' : foldGrad((dy, [x], y, attrs) => [g(dy, x, y, attrs)]),
    () => ({ inputs: exampleInputs(name, d.dtype, 1), attrs: sample }),
  );
}

const castKernels: Record<DType, ElementwiseKernel> = {
  float32: kernelOf(
    'cast:float32',
    1,
    (v) => v,
    ([v]) => v,
    true,
  ),
  // Toward zero, saturating at the int32 range (as WGSL's conversion), NaN to 0 (the same on every backend).
  int32: kernelOf(
    'cast:int32',
    1,
    (v) => (Number.isNaN(v) ? 0 : Math.min(2147483647, Math.max(-2147483648, Math.trunc(v)))),
    ([v], t) => (t === 'f32' ? `select(trunc(${v}), 0.0, ${nanW(v)})` : v),
    true,
  ),
  bool: kernelOf(
    'cast:bool',
    1,
    (v) => Number(v !== 0),
    // NaN is non-zero, so true (tested on the bits: WGSL may assume no NaN).
    ([v], t) => `select(${t}(0), ${t}(1), (${v} != ${t}(0))${t === 'f32' ? ` | ${nanW(v)}` : ''})`,
  ),
};

const whereKernel = kernelOf(
  'where',
  3,
  (c, a, b) => (c !== 0 ? a : b),
  // A NaN condition is non-zero, so true (tested on the bits: WGSL may assume no NaN; the fuzzer
  // found SwiftShader taking the false branch).
  ([c, a, b], t) => `select(${b}, ${a}, (${c} != ${t}(0))${t === 'f32' ? ` | ${nanW(c)}` : ''})`,
  true,
);

const castDef: PrimitiveDef<PrimitiveAttrs['cast']> = {
  kind: 'elementwise',
  arity: 1,
  infer: ([x], { dtype }) => [{ shape: x.shape, dtype }],
  // A cast to the same dtype is the input itself.
  kernel: (b, [x], { dtype }) => [
    x.dtype === dtype ? x.dataId : b.elementwise(castKernels[dtype], [x], x.shape, dtype),
  ],
  expr: ({ dtype }) => castKernels[dtype],
  // Only float -> float casts are taped (the engine tapes float outputs only, and an int input has no gradient).
  grad: ([dy], s) => [s.needs[0] ? dy : null],
  example: () => ({ inputs: [{ shape: [2, 3], dtype: 'float32' }], attrs: { dtype: 'int32' } }),
};

const whereDef: PrimitiveDef<PrimitiveAttrs['where']> = elementwiseDef(
  'where',
  3,
  ([, a]) => a.dtype,
  () => whereKernel,
  ([dy], s) => {
    const mask = s.inputs[0].cast('bool');
    return [
      null,
      s.needs[1] ? sumToShape(where(mask, dy, 0), s.inputs[1].shape) : null,
      s.needs[2] ? sumToShape(where(mask, 0, dy), s.inputs[2].shape) : null,
    ];
  },
  () => ({
    inputs: [
      { shape: [2, 3], dtype: 'float32', range: [0, 2] },
      { shape: [2, 3], dtype: 'float32' },
      { shape: [3], dtype: 'float32' },
    ],
    attrs: {},
  }),
);

type ElementwiseName = BinaryName | UnaryName | keyof typeof PARAM_UNARY | 'cast' | 'where';

/** Registry entries of every elementwise primitive. */
export function elementwisePrimitives(): { [P in ElementwiseName]: PrimitiveDef<PrimitiveAttrs[P]> } {
  const binary = Object.fromEntries((Object.keys(BINARY) as BinaryName[]).map((n) => [n, binaryDef(n)])) as {
    [P in BinaryName]: PrimitiveDef<PrimitiveAttrs[P]>;
  };
  const unary = Object.fromEntries(
    (Object.keys(UNARY) as UnaryName[]).map((n) => [n, unaryDef(n, UNARY[n] as UnaryDef, {})]),
  ) as { [P in UnaryName]: PrimitiveDef<PrimitiveAttrs[P]> };
  return {
    ...binary,
    ...unary,
    leakyRelu: unaryDef('leakyRelu', PARAM_UNARY.leakyRelu, { alpha: 0.2 }),
    elu: unaryDef('elu', PARAM_UNARY.elu, { alpha: 1 }),
    clipByValue: unaryDef('clipByValue', PARAM_UNARY.clipByValue, { min: -1, max: 1 }),
    cast: castDef,
    where: whereDef,
  };
}
