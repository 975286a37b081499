// Deciding an adjoint primitive's value (conv/pool backprops, image gradients) with float64 central
// differences of its forward primitive: out[i] = d/du_i sum(dy · forward(.., u, ..)), never the adjoint kernel.
import * as dl from '@webdl/core';
import type { PrimitiveName } from '@webdl/core';
import { float64Outputs } from './fd.js';
import type { Call, HostInput } from './gen.js';

/** An adjoint: its forward primitive, where dy is, and the forward's inputs (null: the probed one). */
interface Adjoint {
  forward: PrimitiveName;
  dy: number;
  /** Call inputs feeding the forward, in order; `null` marks the probed input. */
  inputs: (number | null)[];
  /** The call input the probed one starts from (nonlinear forwards), else zeros. */
  base?: number;
  op?: string;
}

const ADJOINTS: Record<string, Adjoint> = {
  conv2dBackpropInput: { forward: 'conv2d', dy: 0, inputs: [null, 1] },
  conv2dBackpropFilter: { forward: 'conv2d', dy: 1, inputs: [0, null] },
  depthwiseConv2dBackpropInput: { forward: 'depthwiseConv2d', dy: 0, inputs: [null, 1] },
  depthwiseConv2dBackpropFilter: { forward: 'depthwiseConv2d', dy: 1, inputs: [0, null] },
  avgPoolBackprop: { forward: 'avgPool', dy: 0, inputs: [null] },
  maxPoolBackprop: { forward: 'maxPool', dy: 0, inputs: [null], base: 1 },
  'image.resizeGrad': { forward: 'image.resize', dy: 0, inputs: [null], op: 'resize' },
  'image.cropAndResizeGradImage': {
    forward: 'image.cropAndResize',
    dy: 0,
    inputs: [null, 1, 2],
    op: 'cropAndResize',
  },
  'image.cropAndResizeGradBoxes': {
    forward: 'image.cropAndResize',
    dy: 0,
    inputs: [1, null, 3],
    base: 2,
    op: 'cropAndResize',
  },
  'image.transformGrad': { forward: 'image.transform', dy: 0, inputs: [null, 1], op: 'transform' },
};

/** Whether `name` is an adjoint this module decides. */
export const isAdjoint = (name: string): boolean => name in ADJOINTS;

/**
 * float64 value of output element i of an adjoint call, by central differences of its forward; null
 * where the probed input element is not finite (no derivative there: conventions differ, e.g. whether a
 * max-pool routes its gradient to a NaN).
 */
export async function adjointAt(call: Call, outShape: readonly number[], i: number): Promise<number | null> {
  const a = ADJOINTS[call.prim.name];
  if (a.base !== undefined && !Number.isFinite(call.inputs[a.base].values[i])) return null;
  const prim = dl.listPrimitives().find((p) => p.name === a.forward);
  if (!prim) throw new Error(`fuzz: no forward primitive ${a.forward}`);
  const size = outShape.reduce((x, y) => x * y, 1);
  const probe: HostInput = {
    shape: [...outShape],
    dtype: 'float32',
    values: a.base === undefined ? new Float32Array(size) : call.inputs[a.base].values,
  };
  const inputs = a.inputs.map((k) => (k === null ? probe : call.inputs[k]));
  const attrs = a.op
    ? { kernel: { method: 'bilinear', ...(call.attrs as { kernel: object }).kernel, op: a.op } }
    : call.attrs;
  const forward: Call = { prim, attrs, inputs, specials: false };
  const h = 2 ** -20;
  const at = a.inputs.indexOf(null);
  const steps = (sign: number) =>
    inputs.map((_, k) => {
      if (k !== at) return null;
      const s = new Float32Array(size);
      s[i] = sign * h;
      return s;
    });
  const [plus] = await float64Outputs(forward, steps(1));
  const [minus] = await float64Outputs(forward, steps(-1));
  const dy = call.inputs[a.dy].values;
  let sum = 0;
  // Only outputs that depend on the probed element count (an infinite dy elsewhere adds nothing).
  for (let j = 0; j < dy.length; j++)
    if (plus[j] !== minus[j]) sum += (dy[j] * (plus[j] - minus[j])) / (2 * h);
  return sum;
}
