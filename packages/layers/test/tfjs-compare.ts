// Helpers of the TensorFlow.js oracle tests: shared random inputs and weights, and max-abs-error checks (1e-4).
import * as tf from '@tensorflow/tfjs';
import { randomNormal, type Tensor } from '@webdl/core';
import { expect } from 'vitest';
import type { Layer } from '../src/engine/layer.js';

const TOL = 1e-4;
export const maxErrors: Record<string, number> = {};
let seed = 100;

/** Random values shared by both libraries (a fresh seed each call): our tensor and the same numbers as a tfjs tensor. */
export async function shared(shape: readonly number[], scale = 1): Promise<[Tensor, tf.Tensor]> {
  const t = randomNormal(shape, { seed: seed++, stddev: scale });
  return [t, tf.tensor(await t.data(), [...shape])];
}

/** Builds our layer, gives both layers the same random weights (Keras layout), compares outputs. */
export async function compare(
  label: string,
  ours: Layer,
  theirs: tf.layers.Layer,
  inputShape: number[],
  positive: number[] = [],
): Promise<number> {
  const [x, xt] = await shared(inputShape);
  ours.apply(x);
  theirs.apply(xt);
  // Weights listed in `positive` (variances) get |w| + 0.1.
  const values = await Promise.all(
    ours.weights.map((w, i) => (positive.includes(i) ? sharedPositive(w.shape) : shared(w.shape, 0.5))),
  );
  ours.setWeights(values.map(([a]) => a));
  expect(theirs.getWeights().map((w) => w.shape)).toEqual(ours.weights.map((w) => w.shape));
  theirs.setWeights(values.map(([, b]) => b));
  const y = ours.apply(x) as Tensor;
  const yt = theirs.apply(xt) as tf.Tensor;
  expect(y.shape).toEqual(yt.shape);
  return record(label, await y.data(), await yt.data());
}

/** Like shared, with |w| + 0.1 (for variances). */
export async function sharedPositive(shape: readonly number[]): Promise<[Tensor, tf.Tensor]> {
  const t = randomNormal(shape, { seed: seed++ }).abs().add(0.1);
  return [t, tf.tensor(await t.data(), [...shape])];
}

/** Records and checks the max abs error between our values and TF.js's. */
export function record(label: string, a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let err = 0;
  for (let i = 0; i < a.length; i++) err = Math.max(err, Math.abs(a[i] - b[i]));
  maxErrors[label] = Math.max(maxErrors[label] ?? 0, err);
  expect(err, `${label}: max abs error`).toBeLessThan(TOL);
  return err;
}
