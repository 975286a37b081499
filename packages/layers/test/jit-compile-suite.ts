// compile({ jitCompile }): fit, evaluate, predict and trainOnBatch give the same numbers compiled
// (jit) and eager, partial last batch included. On the CPU backend (jit-compile.test.ts)
// jitCompile: true forces jit; on WebGPU (jit-compile-gpu.test.ts) the default 'auto' compiles.
import { randomNormal, randomUniform, oneHot, setBackend, type Tensor } from '@webdl/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { setRandomSeed } from '../src/initializers.js';
import { Dense } from '../src/layers/dense.js';
import { Dropout } from '../src/layers/dropout.js';
import { Sequential } from '../src/models/sequential.js';

function build(jitCompile: boolean | 'auto'): Sequential {
  setRandomSeed(7);
  const model = new Sequential([
    new Dense(16, { activation: 'relu', inputShape: [10] }),
    new Dropout(0.2, { seed: 3 }),
    new Dense(3, { activation: 'softmax' }),
  ]);
  model.compile({ optimizer: 'adam', loss: 'categorical_crossentropy', metrics: ['accuracy'], jitCompile });
  return model;
}

// 50 samples in batches of 16: three full batches and a partial one of 2.
const x = () => randomNormal([50, 10], { seed: 1 });
const y = () => oneHot(randomUniform([50], { maxval: 3, seed: 2 }).floor().cast('int32'), 3);

/** The suite on a backend; `compiledMode` is the jitCompile value that compiles there. */
export function jitCompileSuite(backend: 'cpu' | 'webgpu', compiledMode: true | 'auto'): void {
  describe(`compile jitCompile on ${backend}`, () => {
    beforeAll(async () => {
      await setBackend(backend);
    });

    it('fit gives the same per-epoch loss and accuracy with jitCompile true and false', async () => {
      const [xs, ys] = [x(), y()];
      const runs = [];
      for (const mode of [false, compiledMode]) {
        const model = build(mode);
        const h = await model.fit(xs, ys, { epochs: 3, batchSize: 16, shuffle: false, verbose: 0 });
        runs.push({ model, history: h.history });
      }
      const [eager, compiled] = runs.map((r) => r.history);
      for (const key of ['loss', 'accuracy']) {
        expect(compiled[key]).toHaveLength(3);
        compiled[key].forEach((v, i) =>
          expect(Math.abs(v - eager[key][i]), `${key} epoch ${i}`).toBeLessThan(1e-5),
        );
      }
      // The loss decreased: the compiled steps really trained.
      expect(compiled.loss[2]).toBeLessThan(compiled.loss[0]);
      const [pe, pc] = (await Promise.all(
        runs.map((r) => r.model.predict(xs, { batchSize: 16 })),
      )) as Tensor[];
      const [a, b] = [await pe.data(), await pc.data()];
      a.forEach((v, i) => expect(Math.abs(v - b[i])).toBeLessThan(1e-5));
      const [ee, ec] = (await Promise.all(
        runs.map((r) => r.model.evaluate(xs, ys, { batchSize: 16 })),
      )) as number[][];
      ee.forEach((v, i) => expect(Math.abs(v - ec[i])).toBeLessThan(1e-5));
    });

    it('trainOnBatch gives the same losses compiled and eager', async () => {
      const [xs, ys] = [x(), y()];
      const [m1, m2] = [build(false), build(compiledMode)];
      for (let i = 0; i < 3; i++) {
        const [l1, l2] = [
          (await m1.trainOnBatch(xs, ys)) as number[],
          (await m2.trainOnBatch(xs, ys)) as number[],
        ];
        l1.forEach((v, k) => expect(Math.abs(v - l2[k])).toBeLessThan(1e-5));
      }
    });

    it("rejects a jitCompile that is not 'auto', true or false", () => {
      expect(() => build('yes' as unknown as boolean)).toThrow(
        /compile: jitCompile must be 'auto', true or false, got "yes"/,
      );
    });
  });
}
