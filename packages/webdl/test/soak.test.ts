// Soak: thousands of training steps of a tiny MLP on WebGPU (Node, Dawn) with flat memory: live tensors,
// their bytes and the backend's bytes (pool included) are the same at every epoch end after warm-up.
// CI runs 2,000 steps; `npm run soak` runs 10,000 (SOAK_STEPS).
import '../../webgpu/test/node-gpu.js';
import * as dl from '@webdl/core';
import { registerWebGPU } from '@webdl/webgpu';
import { Sequential, callbacks, layers, setRandomSeed } from '@webdl/layers';
import { describe, expect, it } from 'vitest';

registerWebGPU();
const steps = Number(process.env.SOAK_STEPS ?? 2000);

describe('soak', () => {
  it(`${steps} MLP training steps on webgpu keep numTensors, numBytes and backend bytes flat`, async () => {
    await dl.setBackend('webgpu');
    setRandomSeed(3);
    const n = 64;
    const batchSize = 4;
    const epochs = Math.ceil(steps / (n / batchSize));
    const x = dl.randomNormal([n, 4], { seed: 1 });
    const y = dl.oneHot(
      dl.tensor(
        Int32Array.from({ length: n }, (_, i) => i % 2),
        [n],
        'int32',
      ),
      2,
    );
    const model = new Sequential([
      new layers.Dense(8, { activation: 'relu', inputShape: [4] }),
      new layers.Dense(2, { activation: 'softmax' }),
    ]);
    model.compile({ optimizer: 'sgd', loss: 'categorical_crossentropy' });
    const seen: { numTensors: number; numBytes: number; backend: number }[] = [];
    const probe = new callbacks.LambdaCallback({
      onEpochEnd: () => {
        const m = dl.memory();
        seen.push({ numTensors: m.numTensors, numBytes: m.numBytes, backend: m.numBytesInBackend });
      },
    });
    const history = await model.fit(x, y, {
      epochs,
      batchSize,
      verbose: 0,
      shuffle: false,
      callbacks: [probe],
    });
    const warm = seen[2];
    const last = seen[seen.length - 1];
    const drift = {
      numTensors: last.numTensors - warm.numTensors,
      numBytes: last.numBytes - warm.numBytes,
      backendBytes: last.backend - warm.backend,
    };
    console.log(
      `soak: ${epochs * (n / batchSize)} steps, ${epochs} epochs, drift after warm-up ${JSON.stringify(drift)}`,
    );
    for (const s of seen.slice(2)) expect(s).toEqual(warm);
    expect(history.history.loss.at(-1)).toBeLessThan(history.history.loss[0]);
    dl.dispose([x, y]);
    model.dispose();
  }, 600_000);
});
