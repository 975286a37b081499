// float64 central differences for the fuzzer: the CPU reference run with float64 storage ('cpu64'),
// a directional derivative of loss = sum(y·w) along a random direction of every float input.
import * as dl from '@webdl/core';
import type { PrimitiveName } from '@webdl/core';
import type { Call } from './gen.js';

let registered = false;

/** Registers 'cpu64': webdl's CPU reference holding float32 tensors in float64, end to end. */
export function registerCpu64(): void {
  if (registered) return;
  dl.ENGINE.registerBackend('cpu64', () => new dl.CpuBackend({ float64: true }), 0);
  registered = true;
}

/** The fuzzer's loss weights for an output of n elements (the same in every evaluation). */
export const lossWeights = (n: number): Float32Array =>
  Float32Array.from({ length: n }, (_, i) => ((i * 7) % 5) / 4 - 0.5);

/** Outputs of a call computed on 'cpu64' (float64 values), optionally with float inputs moved by steps. */
export async function float64Outputs(call: Call, steps?: (Float32Array | null)[]): Promise<Float64Array[]> {
  await dl.setBackend('cpu64');
  const ys = dl.tidy(() => {
    const xs = call.inputs.map((h, k) => {
      const x = dl.tensor(h.values, h.shape, h.dtype);
      const s = steps?.[k];
      return s ? dl.add(x, dl.tensor(s, h.shape)) : x;
    });
    return dl.runPrimitive(call.prim.name as PrimitiveName, xs, call.attrs as never);
  });
  const out = await Promise.all(ys.map((y) => y.data()));
  dl.dispose(ys);
  return out.map((v) => Float64Array.from(v));
}

async function loss(call: Call, steps: (Float32Array | null)[]): Promise<number> {
  const [y] = await float64Outputs(call, steps);
  const w = lossWeights(y.length);
  let s = 0;
  for (let i = 0; i < y.length; i++) s += y[i] * w[i];
  return s;
}

/** Result of checking a gradient against central differences. */
export type FdVerdict = 'agree' | 'disagree' | 'non-smooth';

/**
 * Checks gradients `grads` (one per float input, in order) of sum(y·w) against float64 central
 * differences along the random directions `dirs`. Where two step sizes disagree with each other the
 * point is non-smooth (a kink within the step), or where the loss is infinite, and nothing is decided.
 */
export async function checkAgainstFd(
  call: Call,
  grads: ArrayLike<number>[],
  dirs: Float32Array[],
): Promise<{ verdict: FdVerdict; analytic: number; fd: number }> {
  const floats = call.inputs.map((h) => h.dtype === 'float32');
  let analytic = 0;
  let scale = 0;
  grads.forEach((g, k) => {
    for (let i = 0; i < g.length; i++) {
      analytic += g[i] * dirs[k][i];
      scale += Math.abs(g[i] * dirs[k][i]);
    }
  });
  const fdAt = async (h: number) => {
    let k = 0;
    const steps = (sign: number) => floats.map((f) => (f ? dirs[k++].map((d) => sign * h * d) : null));
    const plus = await loss(call, steps(1));
    k = 0;
    const minus = await loss(call, steps(-1));
    return (plus - minus) / (2 * h);
  };
  // Powers of two: the steps are exact in float32, their sums with the inputs exact in float64.
  const fd = await fdAt(2 ** -20);
  // An infinite loss (a pad value of Infinity, say) has no derivative to compare.
  if (!Number.isFinite(fd)) return { verdict: 'non-smooth', analytic, fd };
  const tol = (x: number) => 2e-3 * (scale + Math.abs(x)) + 1e-5;
  if (Math.abs(fd - analytic) <= tol(fd)) return { verdict: 'agree', analytic, fd };
  const fine = await fdAt(2 ** -26);
  if (Math.abs(fine - fd) > tol(fd)) return { verdict: 'non-smooth', analytic, fd };
  return { verdict: Math.abs(fine - analytic) <= tol(fine) ? 'agree' : 'disagree', analytic, fd };
}
