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
