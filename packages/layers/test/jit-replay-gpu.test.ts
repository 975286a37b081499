// Recorded jit replays on WebGPU (Dawn in Node), from the backend's own counters: after the first
// replay a training step creates no buffers, bind groups or pipelines; Variables keep their buffers;
// random seeds and host constants change per call as eager code computes; disposing frees the program.
import '../../webgpu/test/node-gpu.js';
import {
  ENGINE,
  GradientTape,
  jit,
  memory,
  randomUniform,
  setBackend,
  tensor,
  variable,
  type Tensor,
} from '@webdl/core';
import { registerWebGPU, type WebGPUBackend } from '@webdl/webgpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { setRandomSeed } from '../src/initializers.js';
import { Dense } from '../src/layers/dense.js';
import { Dropout } from '../src/layers/dropout.js';
import { categoricalCrossentropy } from '../src/losses.js';
import { Sequential } from '../src/models/sequential.js';
import { Adam } from '../src/optimizers/adam.js';

registerWebGPU();
const gpu = () => ENGINE.backend as WebGPUBackend;

const build = () =>
  new Sequential([
    new Dense(16, { activation: 'relu', inputShape: [12] }),
    new Dropout({ rate: 0.3, seed: 5 }),
    new Dense(4, { activation: 'softmax' }),
  ]);

function trainStep(model: Sequential, opt: Adam) {
  return (x: Tensor, y: Tensor): Tensor => {
    const tape = new GradientTape();
    const loss = tape.record(() =>
      categoricalCrossentropy(y, model.apply(x, { training: true }) as Tensor).mean(),
    );
    opt.applyGradients(tape.gradient(loss, model.trainableWeights), model.trainableWeights);
    return loss;
  };
}

/** Batch s uploaded from host values (no kernel runs, so the counters see only the step). */
function batch(s: number): [Tensor, Tensor] {
  const x = Float32Array.from({ length: 6 * 12 }, (_, i) => Math.sin(i * 0.37 + s));
  const y = Float32Array.from({ length: 6 * 4 }, (_, i) => (i % 4 === (Math.floor(i / 4) + s) % 4 ? 1 : 0));
  return [tensor(x, [6, 12]), tensor(y, [6, 4])];
}

type Counters = WebGPUBackend['counters'];
const delta = (a: Counters, b: Counters) => ({
  buffers: b.buffers - a.buffers,
  bufferBytes: b.bufferBytes - a.bufferBytes,
  bindGroups: b.bindGroups - a.bindGroups,
  pipelines: b.pipelines - a.pipelines,
  dispatches: b.dispatches - a.dispatches,
  submits: b.submits - a.submits,
});

beforeAll(async () => {
  await setBackend('webgpu');
});

describe('recorded jit replays on WebGPU', () => {
  it('an MLP step with dropout and Adam creates no buffers, bind groups or pipelines after its first replay, with eager losses', async () => {
    setRandomSeed(3);
    const eagerModel = build();
    setRandomSeed(3);
    const jitModel = build();
    const eagerStep = trainStep(eagerModel, new Adam({ learningRate: 0.01 }));
    const jitStep = jit(trainStep(jitModel, new Adam({ learningRate: 0.01 })));
    const losses: number[] = [];
    for (let s = 0; s < 8; s++) {
      const [x, y] = batch(s);
      const l = eagerStep(x, y);
      losses.push(await l.item());
      for (const t of [x, y, l]) t.dispose();
    }
    const steps: ReturnType<typeof delta>[] = [];
    for (let s = 0; s < 8; s++) {
      await gpu().sync();
      const before = gpu().counters;
      const [x, y] = batch(s);
      const l = jitStep(x, y);
      const v = await l.item();
      for (const t of [x, y, l]) t.dispose();
      await gpu().sync();
      steps.push(delta(before, gpu().counters));
      expect(Math.abs(v - losses[s]), `loss at step ${s}`).toBeLessThan(1e-4);
    }
    console.log(`jitted MLP step with dropout and Adam, per step: ${JSON.stringify(steps)}`);
    expect(jitStep.traceCount).toBe(1);
    // Step 0 traces (eager); step 1 records the replay and runs the recording, making its bind
    // groups; later steps replay it: one submit each, plus one for reading the loss. A dispatch
    // that reads a batch gets a bind group per distinct buffer the pool hands the batches (two here).
    expect(steps[1].bindGroups).toBe(steps[1].dispatches);
    expect(steps[2].bindGroups).toBeLessThan(steps[2].dispatches / 4);
    for (const d of steps.slice(3)) {
      expect(d).toEqual({ ...steps[2], buffers: 0, bufferBytes: 0, bindGroups: 0, pipelines: 0, submits: 2 });
    }
    expect(steps[2].dispatches).toBeLessThanOrEqual(steps[0].dispatches);
    const [we, wj] = [eagerModel.trainableWeights, jitModel.trainableWeights];
    for (let i = 0; i < we.length; i++) {
      const [p, q] = [await we[i].data(), await wj[i].data()];
      p.forEach((a, k) => expect(Math.abs(a - q[k]), `${we[i].name}[${k}]`).toBeLessThan(1e-4));
    }
    jitStep.dispose();
  });

  it('after its first replay, 50 more create no buffers, bind groups or pipelines, and keep memory flat', async () => {
    setRandomSeed(1);
    const step = jit(trainStep(build(), new Adam()));
    const [x, y] = batch(0);
    step(x, y).dispose(); // trace
    step(x, y).dispose(); // first replay: recorded, then run
    await gpu().sync();
    const [m0, c0] = [memory(), gpu().counters];
    for (let i = 0; i < 50; i++) step(x, y).dispose();
    await gpu().sync();
    const [m1, c1] = [memory(), gpu().counters];
    const { buffers, bufferBytes, bindGroups, pipelines, submits } = delta(c0, c1);
    expect({ buffers, bufferBytes, bindGroups, pipelines, submits }).toEqual({
      buffers: 0,
      bufferBytes: 0,
      bindGroups: 0,
      pipelines: 0,
      submits: 50,
    });
    expect([m1.numTensors, m1.numBytes, m1.numBytesInBackend]).toEqual([
      m0.numTensors,
      m0.numBytes,
      m0.numBytesInBackend,
    ]);
    step.dispose();
    x.dispose();
    y.dispose();
  });

  it('a Variable assigned inside jit keeps its buffer across replays and is visible outside', async () => {
    const v = variable(tensor([1, 2, 3]));
    const f = jit((x: Tensor) => {
      v.assign(v.mul(2).add(x));
      return v.sum();
    });
    const x = tensor([1, 0, -1]);
    const ids: unknown[] = [];
    let want = [1, 2, 3];
    for (let i = 0; i < 5; i++) {
      const s = f(x);
      want = want.map((a, k) => 2 * a + [1, 0, -1][k]);
      expect(await s.item()).toBeCloseTo(want[0] + want[1] + want[2], 4);
      expect(Array.from(await v.data())).toEqual(want);
      s.dispose();
      ids.push(v.dataId);
    }
    // Calls 2.. replay the recording made at call 2, which writes into the Variable's own buffer.
    expect(new Set(ids.slice(1)).size).toBe(1);
    // An eager assign gives the Variable new storage; the recording follows it.
    v.assign(tensor([0, 0, 0]));
    f(x).dispose();
    expect(Array.from(await v.data())).toEqual([1, 0, -1]);
    f.dispose();
    x.dispose();
    v.dispose();
  });

  it('draws fresh random numbers per call (the seed is re-planned, not baked) and follows changed host constants', async () => {
    let seed = 11;
    let scale = 1;
    const f = jit((x: Tensor) => randomUniform([64], { seed }).mul(scale).add(x));
    const x = tensor(Float32Array.from({ length: 64 }, (_, i) => i));
    for (const [s, k] of [
      [11, 1],
      [12, 2],
      [13, 3],
      [14, 1],
      [15, 1],
    ]) {
      [seed, scale] = [s, k];
      const got = f(x);
      const ref = randomUniform([64], { seed: s }).mul(k).add(x);
      expect(Array.from(await got.data())).toEqual(Array.from(await ref.data()));
      got.dispose();
      ref.dispose();
    }
    expect(f.traceCount).toBe(1);
    f.dispose();
    x.dispose();
  });

  it('disposing a jitted function frees the buffers of its recording', async () => {
    const w = variable(tensor(Float32Array.from({ length: 4096 }, (_, i) => i % 7)));
    const x = tensor(Float32Array.from({ length: 4096 }, (_, i) => i % 5));
    await gpu().sync();
    const live0 = memory().numBytesLiveInGPU as number;
    const f = jit((a: Tensor) => a.mul(w).exp().sum().add(a.max()).mul(a.mean()));
    for (let i = 0; i < 3; i++) f(x).dispose();
    await gpu().sync();
    expect(memory().numBytesLiveInGPU as number).toBeGreaterThan(live0);
    f.dispose();
    await gpu().sync();
    expect(memory().numBytesLiveInGPU as number).toBe(live0);
    w.dispose();
    x.dispose();
  });
});
