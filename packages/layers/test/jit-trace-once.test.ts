// trainOnBatch with jitCompile traces once per batch signature, also for a model whose weights
// are built lazily by its first batch (weight creation stays out of the trace), and trains as the
// eager model does.
import { oneHot, randomNormal, randomUniform, setBackend, type Tensor } from '@webdl/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { setRandomSeed } from '../src/initializers.js';
import { Dense } from '../src/layers/dense.js';
import { Sequential } from '../src/models/sequential.js';

interface WithSteps {
  compiled: { steps: { traceCounts(): { train: number; evaluate: number; predict: number } } };
}

function build(jitCompile: boolean): Sequential {
  // No inputShape: the first batch builds the weights.
  const model = new Sequential([
    new Dense(8, { activation: 'relu' }),
    new Dense(3, { activation: 'softmax' }),
  ]);
  model.compile({ optimizer: 'adam', loss: 'categorical_crossentropy', jitCompile });
  return model;
}

function batch(n: number, seed: number): [Tensor, Tensor] {
  const x = randomNormal([n, 5], { seed });
  const labels = randomUniform([n], { minval: 0, maxval: 3, seed: seed + 1 })
    .floor()
    .cast('int32');
  const y = oneHot(labels, 3);
  labels.dispose();
  return [x, y];
}

const traces = (m: Sequential) => (m as unknown as WithSteps).compiled.steps.traceCounts();

describe('jitCompile trainOnBatch traces once per signature', () => {
  beforeAll(async () => {
    await setBackend('cpu');
  });

  it('a lazily built model traces on its first call only, and trains as eagerly', async () => {
    const jitted = build(true);
    const eager = build(false);
    const [x, y] = batch(4, 3);
    for (let i = 0; i < 4; i++) {
      // The same seed before each first call: both draw the same initial weights there.
      if (i === 0) setRandomSeed(11);
      const a = (await jitted.trainOnBatch(x, y)) as number;
      if (i === 0) setRandomSeed(11);
      const b = (await eager.trainOnBatch(x, y)) as number;
      expect(traces(jitted).train).toBe(1);
      expect(Math.abs(a - b)).toBeLessThan(1e-5);
    }
    // A new batch size is a new signature: one more trace, then replays again.
    const [x2, y2] = batch(2, 9);
    for (const [xb, yb] of [
      [x2, y2],
      [x2, y2],
      [x, y],
    ]) {
      await jitted.trainOnBatch(xb, yb);
      await eager.trainOnBatch(xb, yb);
      expect(traces(jitted).train).toBe(2);
    }
    expect(traces(jitted).train).toBe(2);
    expect(traces(eager).train).toBe(0);
    const values = (m: Sequential) =>
      Promise.all(m.getWeights().map(async (w) => Array.from(await w.data()).concat(w.dispose() ?? [])));
    const wj = await values(jitted);
    const we = await values(eager);
    expect(wj.length).toBe(4);
    for (const [i, w] of wj.entries()) w.forEach((v, j) => expect(v).toBeCloseTo(we[i][j], 5));
    for (const t of [x, y, x2, y2]) t.dispose();
    jitted.dispose();
    eager.dispose();
  });
});
