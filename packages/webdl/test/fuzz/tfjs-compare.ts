// Running a fuzz call on TensorFlow.js and deciding a disagreement with webdl's CPU reference in float64:
// the independent scalar reference for elementwise primitives, the float64 CPU reference for the rest.
import * as tf from '@tensorflow/tfjs';
import { adjointAt, isAdjoint } from './adjoint.js';
import { hasF64, float64At } from './f64.js';
import { close, describeCall, tolerance, type FuzzReport } from './compare.js';
import type { Call } from './gen.js';
import type { TfCall } from './tfjs-map.js';

/** TF.js's output of a call, or null (recorded) where TF.js throws on it. */
export function tfjsOutputs(
  report: FuzzReport,
  call: Call,
  op: TfCall,
): { values: ArrayLike<number>; shape: number[] } | null {
  const refused = (message: string) => {
    const seen = (report.tfjsRefused[call.prim.name] ??= {
      count: 0,
      message: `${describeCall(call)}: ${message}`,
    });
    seen.count++;
    return null;
  };
  try {
    let out: { values: ArrayLike<number>; shape: number[] } | null = null;
    tf.tidy(() => {
      const xs = call.inputs.map((h) => tf.tensor(h.values, h.shape, h.dtype));
      const y = op(xs, call.attrs as Record<string, unknown>);
      out = typeof y === 'string' ? refused(y) : { values: y.dataSync(), shape: y.shape };
    });
    return out;
  } catch (e) {
    return refused((e as Error).message.slice(0, 200));
  }
}

/**
 * TF.js's output differs from webdl's at flat index `bad`: the float64 value decides. Sided with webdl,
 * it counts as a TF.js error; sided with TF.js, or with neither, it is a mismatch (webdl's CPU is wrong).
 */
export async function decideTfjs(
  report: FuzzReport,
  call: Call,
  ys: { values: ArrayLike<number>; shape: number[] },
  webdl: { values: ArrayLike<number>; shape: readonly number[] },
  bad: number,
  float64: () => Promise<Float64Array[]>,
): Promise<void> {
  const [rtol, atol] = tolerance(call);
  const name = call.prim.name;
  const what = `${describeCall(call)} out[${bad}] tfjs ${ys.values[bad]} vs webdl ${webdl.values[bad]}`;
  const wrong = (example: string) => {
    report.tfjsWrong[name] = (report.tfjsWrong[name] ?? 0) + 1;
    report.tfjsWrongExamples[name] ??= example;
  };
  if (ys.values.length !== webdl.values.length) {
    const shapes = `TF.js shape [${ys.shape}] with ${ys.values.length} values, webdl [${webdl.shape}] with ${webdl.values.length}`;
    const right = expectedShape(call);
    if (right && same(right, webdl.shape) && !same(right, ys.shape))
      wrong(`${describeCall(call)}: ${shapes} (NumPy's broadcasting gives [${right}])`);
    else report.mismatches.push({ backend: 'tfjs', what: `${describeCall(call)}: ${shapes}` });
    return;
  }
  const elementwise = call.prim.kind === 'elementwise' && hasF64(name);
  const adjoint = isAdjoint(name);
  const exact = elementwise
    ? float64At(call, ys.shape, bad)
    : adjoint
      ? await adjointAt(call, webdl.shape, bad)
      : (await float64())[0][bad];
  if (exact === null) {
    const seen = (report.undecided[name] ??= { count: 0, example: `${what} at a non-finite input` });
    seen.count++;
    return;
  }
  const by = elementwise
    ? 'float64 scalar reference'
    : adjoint
      ? 'float64 central differences of the forward primitive'
      : 'float64 CPU reference';
  // Central differences carry their own error: a looser tolerance there.
  const [rt, at] = adjoint ? [Math.max(rtol, 1e-3), Math.max(atol, 1e-4)] : [rtol, atol];
  const webdlRight = close([webdl.values[bad]], [exact], rt, at) < 0;
  const tfjsRight = close([ys.values[bad]], [exact], rt, at) < 0;
  if (webdlRight && !tfjsRight) wrong(`${what} (${by} ${exact})`);
  else if (!webdlRight)
    report.mismatches.push({
      backend: tfjsRight ? 'cpu (TF.js right)' : 'tfjs',
      what: `${what} (${by} ${exact})`,
    });
}

const same = (a: readonly number[], b: readonly number[]) =>
  a.length === b.length && a.every((d, i) => d === b[i]);

/**
 * The output shape NumPy's broadcasting rule gives an elementwise call (a 1 stretches to the other
 * side, so 1 against 0 is 0), or a broadcastTo's target; null for other primitives.
 */
function expectedShape(call: Call): number[] | null {
  if (call.prim.name === 'broadcastTo') return (call.attrs as { shape: number[] }).shape;
  if (call.prim.kind !== 'elementwise') return null;
  const rank = Math.max(...call.inputs.map((h) => h.shape.length));
  return Array.from({ length: rank }, (_, d) => {
    const ds = call.inputs.map((h) => h.shape[h.shape.length - rank + d] ?? 1);
    return ds.find((x) => x !== 1) ?? 1;
  });
}
