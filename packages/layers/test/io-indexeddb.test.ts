// indexeddb:// save and load, on the in-memory IndexedDB of fake-indexeddb (browsers have the real one).
import 'fake-indexeddb/auto';
import { randomNormal, setBackend, type Tensor } from '@webdl/core';
import { beforeAll, expect, it } from 'vitest';
import { Sequential, layers, loadModel } from '../src/index.js';

beforeAll(async () => {
  await setBackend('cpu');
});

it('indexeddb:// round-trips a model to identical predictions and names missing models', async () => {
  const model = new Sequential([
    new layers.Dense(6, { activation: 'relu', inputShape: [4] }),
    new layers.Dense(3, { activation: 'softmax' }),
  ]);
  const result = await model.save('indexeddb://tiny');
  expect(result.weightBytes).toBeGreaterThan((4 * 6 + 6 + 6 * 3 + 3) * 4);
  const loaded = await loadModel('indexeddb://tiny');
  const x = randomNormal([5, 4], { seed: 9 });
  const a = (await loaded.predict(x)) as Tensor;
  const b = (await model.predict(x)) as Tensor;
  expect(Array.from(await a.data())).toEqual(Array.from(await b.data()));
  await expect(loadModel('indexeddb://absent')).rejects.toThrow(
    /indexeddb:\/\/absent: no model saved under this name/,
  );
});

it('indexeddb://name.keras, .json (TF.js) and .onnx store those formats; the first two load back', async () => {
  const model = new Sequential([new layers.Dense(3, { activation: 'tanh', inputShape: [2] })]);
  const x = randomNormal([4, 2], { seed: 2 });
  const want = Array.from(await ((await model.predict(x)) as Tensor).data());
  for (const name of ['indexeddb://m.keras', 'indexeddb://m.json']) {
    await model.save(name);
    const loaded = await loadModel(name);
    expect(Array.from(await ((await loaded.predict(x)) as Tensor).data())).toEqual(want);
  }
  await model.save('indexeddb://m.onnx');
  await expect(loadModel('indexeddb://m.onnx')).rejects.toThrow(
    /holds \.onnx bytes; webdl reads \.keras, \.h5 and TF\.js models/,
  );
});
