// In headless Chromium: the format code is registered (io.registerFormats, loaded on first use); then a Keras-written .keras
// file loads (h5wasm and fflate in the page) and predicts as Keras did on WebGPU; io.toKeras/toTfjs/toOnnx run too.
import { registerWebGPU } from '@webdl/webgpu';
import { getBackend, setBackend, tensor } from '@webdl/core';
import { beforeAll, expect, it } from 'vitest';
import { io, loadModel } from '../src/index.js';
import expected from './fixtures/keras/expected.json' with { type: 'json' };

registerWebGPU();

beforeAll(async () => {
  await setBackend('webgpu');
});

it('before io.registerFormats, loading a .keras file says what to import', async () => {
  const res = await fetch(new URL('./fixtures/keras/two_inputs.keras', import.meta.url));
  await expect(loadModel(await res.blob())).rejects.toThrow(
    /^loadModel: the \.keras format's code is not in this bundle; register it once: import \* as formats from 'webdl\/io'/,
  );
  io.registerFormats(() => import('../src/io-formats.js'));
});

it('two_inputs.keras (Keras 3.15.1) from a Blob predicts as Keras did, then saves to every format', async () => {
  expect(getBackend()).toBe('webgpu');
  const res = await fetch(new URL('./fixtures/keras/two_inputs.keras', import.meta.url));
  const model = await loadModel(await res.blob());
  const f = expected.models.two_inputs;
  const xs = (f.input as { shape: number[]; data: number[] }[]).map((a) => tensor(a.data, a.shape));
  const y = await model.predict(xs);
  const got = await (Array.isArray(y) ? y[0] : y).data();
  const want = f.outputs[0].data;
  let worst = 0;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]));
  expect(worst).toBeLessThan(1e-5);
  const again = await loadModel(await io.toKeras(model));
  expect(again.countParams()).toBe(f.params);
  expect((await io.toTfjs(model)).modelJson.format).toBe('layers-model');
  expect((await io.toOnnx(model, { opset: 17 })).byteLength).toBeGreaterThan(1000);
});
