// Keras 3 .keras and legacy .h5 files written by real Keras load into webdl and predict what Keras predicted.
import { getBackend, setBackend, memory, tensor } from '@webdl/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadModel } from '../src/index.js';
import { expectKerasOutputs, fixtureBytes, fixtureInputs, fixtures } from './io-keras-fixtures.js';

/** The fixture suite on one backend (io-keras.test.ts: cpu; io-keras-webgpu.test.ts: webgpu through Dawn). */
export function kerasFixtureSuite(backend: 'cpu' | 'webgpu'): void {
  beforeAll(async () => {
    await setBackend(backend);
    expect(getBackend()).toBe(backend);
  });

  describe(`Keras 3.15.1 files on ${backend}`, () => {
    for (const [name, f] of Object.entries(fixtures)) {
      it(`${name} (${f.file}) predicts as Keras did within ${f.tol}`, async () => {
        const model = await loadModel(fixtureBytes(f.file));
        expect(model.countParams()).toBe(f.params);
        const x = fixtureInputs(f);
        const y = await model.predict(x);
        await expectKerasOutputs(y, f);
        model.dispose();
      });
    }

    it('the compiled MLP keeps its compile config and Adam state, and goes on training', async () => {
      const model = await loadModel(fixtureBytes('dense_seq.keras'));
      expect(model.compiled).not.toBeNull();
      const opt = model.optimizer;
      expect(opt.className).toBe('Adam');
      // Two epochs of 32 samples at Keras's default batch size 32: two steps were taken.
      expect(opt.iterations).toBe(2);
      expect(opt.learningRate).toBeCloseTo(2e-3, 9);
      const m0 = await opt.getSlot(model.trainableWeights[0], 'momentum').data();
      expect(Math.max(...Array.from(m0, Math.abs))).toBeGreaterThan(0);
      const x = tensor(
        Array.from({ length: 48 }, (_, i) => Math.sin(i)),
        [8, 6],
      );
      const y = tensor([0, 1, 2, 0, 1, 2, 0, 1], [8], 'int32');
      const before = await model.evaluate(x, y);
      const history = await model.fit(x, y, { epochs: 5, batchSize: 8, verbose: 0, shuffle: false });
      expect(opt.iterations).toBe(7);
      const after = await model.evaluate(x, y);
      expect((after as number[])[0]).toBeLessThan((before as number[])[0]);
      expect(history.history.loss.length).toBe(5);
      model.dispose();
    });

    it('loading leaks nothing', async () => {
      const bytes = fixtureBytes('two_inputs.keras');
      (await loadModel(bytes)).dispose();
      const start = memory().numTensors;
      for (let i = 0; i < 3; i++) (await loadModel(bytes)).dispose();
      expect(memory().numTensors).toBe(start);
    });
  });
}
