// The differential op fuzzer: random calls of every primitive in core's registry, run on the CPU
// reference, on WebGPU and on TensorFlow.js (every primitive it has, tfjs-map.ts). Outputs are compared
// with the CPU reference; TF.js disagreements are decided in float64; first-order gradients on WebGPU
// and the CPU are checked against float64 central differences.
import { appendFileSync } from 'node:fs';
import * as dl from '@webdl/core';
import type { PrimitiveName, Tensor } from '@webdl/core';
import * as tf from '@tensorflow/tfjs';
import { checkAgainstFd, float64Outputs, lossWeights, registerCpu64 } from './fd.js';
import { makeCall, rng, type Call, type HostInput } from './gen.js';
import { decideTfjs, tfjsOutputs } from './tfjs-compare.js';
import { tfjsCall } from './tfjs-map.js';
import { close, describeCall, tolerance } from './compare.js';

export type { FuzzReport } from './compare.js';
import type { FuzzReport } from './compare.js';

const toTensor = (h: HostInput) => dl.tensor(h.values, h.shape, h.dtype);

/** Outputs (and gradients of sum(y·w) with respect to the float inputs) on the current backend. */
async function evaluate(
  call: Call,
  watch: 'all' | 'first' | 'none',
): Promise<{ outs: ArrayLike<number>[]; shapes: number[][]; grads: ArrayLike<number>[] | null }> {
  const xs = call.inputs.map(toTensor);
  const tape = new dl.GradientTape({ persistent: false });
  const floats = xs.filter((x) => x.dtype === 'float32').slice(0, watch === 'first' ? 1 : undefined);
  tape.watch(floats);
  let ys: Tensor[] = [];
  let gs: (Tensor | null)[] | null = null;
  try {
    ys = tape.record(() => dl.runPrimitive(call.prim.name as PrimitiveName, xs, call.attrs as never));
    if (watch !== 'none' && ys[0].dtype === 'float32' && floats.length > 0 && ys[0].size > 0) {
      const w = dl.tensor(lossWeights(ys[0].size), ys[0].shape);
      const loss = tape.record(() => dl.sum(dl.mul(ys[0], w)));
      gs = tape.gradient(loss, floats);
      dl.dispose([w, loss]);
    } else tape.dispose();
    const outs = await Promise.all(ys.map((y) => y.data()));
    const grads = gs
      ? await Promise.all(gs.map((g, k) => (g ? g.data() : new Float32Array(floats[k].size))))
      : null;
    return { outs, shapes: ys.map((y) => [...y.shape]), grads };
  } finally {
    dl.dispose([...xs, ...ys, ...(gs ?? []).filter((g): g is Tensor => g !== null)]);
  }
}

function compareOuts(
  report: FuzzReport,
  backend: string,
  call: Call,
  got: ArrayLike<number>[],
  ref: ArrayLike<number>[],
) {
  const [rtol, atol] = tolerance(call);
  got.forEach((o, k) => {
    const bad = close(o, ref[k], rtol, atol);
    if (bad >= 0)
      report.mismatches.push({
        backend,
        what: `${describeCall(call)} out[${k}][${bad}] ${o[bad]} vs cpu ${ref[k][bad]} (length ${o.length} vs ${ref[k].length})`,
      });
  });
}

async function checkGrads(
  report: FuzzReport,
  backend: string,
  call: Call,
  grads: ArrayLike<number>[],
  dirs: Float32Array[],
) {
  const tally = (report.gradChecks[backend] ??= { agree: 0, nonSmooth: 0 });
  const { verdict, analytic, fd } = await checkAgainstFd(call, grads, dirs);
  if (verdict === 'agree') tally.agree++;
  else if (verdict === 'non-smooth') tally.nonSmooth++;
  else
    report.mismatches.push({
      backend: `${backend} gradient`,
      what: `${describeCall(call)}: directional derivative ${analytic} vs float64 central difference ${fd}`,
    });
}

/** Runs `calls` random calls from `seed`; WebGPU and TF.js are compared with the CPU reference. */
export async function runFuzz(opts: {
  calls: number;
  seed: number;
  webgpu: boolean;
  tfjs: boolean;
}): Promise<FuzzReport> {
  registerCpu64();
  const prims = dl.listPrimitives();
  const r = rng(opts.seed);
  const report: FuzzReport = {
    calls: { cpu: 0, webgpu: 0, tfjs: 0 },
    mismatches: [],
    tfjsWrong: {},
    tfjsWrongExamples: {},
    undecided: {},
    unmapped: {},
    tfjsRefused: {},
    gradChecks: {},
    gradientsRefused: {},
    primitives: prims.length,
  };
  await tf.setBackend('cpu');
  for (const p of prims) {
    const op = tfjsCall(p);
    if (typeof op === 'string') report.unmapped[p.name] = op;
  }
  for (let n = 0; n < opts.calls; n++) {
    const call = makeCall(r, prims[n % prims.length]);
    // FUZZ_TRACE=file appends each call (index, inputs, attrs) before it runs: a hang or a mismatch is reproducible.
    if (process.env.FUZZ_TRACE)
      appendFileSync(
        process.env.FUZZ_TRACE,
        `${JSON.stringify({ n, call: describeCall(call), inputs: call.inputs.map((h) => ({ ...h, values: Array.from(h.values) })) })}\n`,
      );
    const withGrad = call.prim.differentiable && !call.specials;
    await dl.setBackend('cpu');
    report.calls.cpu++;
    // Gradients with respect to every float input; where the primitive refuses some (boxes of a
    // 'nearest' crop, transforms), with respect to its first float input only.
    let watch: 'all' | 'first' | 'none' = withGrad ? 'all' : 'none';
    let ref: Awaited<ReturnType<typeof evaluate>>;
    try {
      ref = await evaluate(call, watch);
    } catch (e) {
      if (!withGrad) throw new Error(`${describeCall(call)}: ${(e as Error).message}`);
      report.gradientsRefused[call.prim.name] = (e as Error).message;
      watch = 'first';
      try {
        ref = await evaluate(call, watch);
      } catch {
        watch = 'none';
        ref = await evaluate(call, watch);
      }
    }
    // Random directions for central differences (zero along inputs whose gradient is not taken).
    const floats = call.inputs.filter((h) => h.dtype === 'float32');
    const dirs = floats.map((h, k) =>
      Float32Array.from(h.values, () => (watch === 'all' || k === 0 ? 2 * r() - 1 : 0)),
    );
    if (ref.grads) await checkGrads(report, 'cpu', call, ref.grads, dirs);
    if (opts.webgpu) {
      await dl.setBackend('webgpu');
      report.calls.webgpu++;
      const got = await evaluate(call, watch);
      compareOuts(report, 'webgpu', call, got.outs, ref.outs);
      if (got.grads) await checkGrads(report, 'webgpu', call, got.grads, dirs);
    }
    const op = opts.tfjs ? tfjsCall(call.prim) : null;
    if (op && typeof op !== 'string') {
      const ys = tfjsOutputs(report, call, op);
      if (ys) {
        report.calls.tfjs++;
        const [rtol, atol] = tolerance(call);
        const bad = close(ys.values, ref.outs[0], rtol, atol);
        if (bad >= 0)
          await decideTfjs(report, call, ys, { values: ref.outs[0], shape: ref.shapes[0] }, bad, () =>
            float64Outputs(call),
          );
      }
    }
  }
  return report;
}
