// webdl -> .keras -> webdl: identical predictions, Keras's archive and HDF5 layout, compile config and optimizer state kept.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setBackend, tensor, type Tensor } from '@webdl/core';
import { unzipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { randomNormal } from '@webdl/core';
import {
  Input,
  Model,
  io,
  loadModel,
  optimizers,
  Sequential,
  layers,
  type SymbolicTensor,
} from '../src/index.js';
import { openH5 } from '../src/io/h5.js';
import { fourModels } from './io-models.js';

beforeAll(async () => {
  await setBackend('cpu');
});

async function values(t: Tensor | Tensor[]): Promise<number[][]> {
  const list = Array.isArray(t) ? t : [t];
  return Promise.all(list.map(async (x) => Array.from(await x.data())));
}

describe('webdl -> .keras -> webdl', () => {
  for (const c of fourModels()) {
    it(`${c.name}: identical predictions`, async () => {
      const bytes = await io.toKeras(c.model);
      const loaded = await loadModel(bytes);
      expect(await values(await loaded.predict(c.x))).toEqual(await values(await c.model.predict(c.x)));
      expect(loaded.countParams()).toBe(c.model.countParams());
      loaded.dispose();
    });
  }

  it("model.save('path.keras') writes the file and loadModel reads it back", async () => {
    const [mlp] = fourModels();
    const dir = await mkdtemp(join(tmpdir(), 'webdl-keras-'));
    try {
      const result = await mlp.model.save(join(dir, 'sub', 'mlp.keras'));
      const bytes = await readFile(join(dir, 'sub', 'mlp.keras'));
      expect(result.weightBytes).toBe(bytes.byteLength);
      expect(Array.from(bytes.subarray(0, 4))).toEqual([0x50, 0x4b, 0x03, 0x04]);
      const loaded = await loadModel(join(dir, 'sub', 'mlp.keras'));
      expect(await values(await loaded.predict(mlp.x))).toEqual(await values(await mlp.model.predict(mlp.x)));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('several outputs, a shared layer and nested models (Sequential and functional inside a functional model)', async () => {
    const inner = new Sequential(
      [new layers.Dense(4, { activation: 'relu', inputShape: [3] }), new layers.Dense(3)],
      {
        name: 'inner_seq',
      },
    );
    const ia = new Input({ shape: [3], name: 'ia' });
    const innerFn = new Model({
      inputs: ia,
      outputs: new layers.Dense(2, { activation: 'tanh' }).apply(ia) as SymbolicTensor,
      name: 'inner_fn',
    });
    const a = new Input({ shape: [3], name: 'x1' });
    const b = new Input({ shape: [3], name: 'x2' });
    const shared = new layers.Dense(3, { activation: 'sigmoid', name: 'shared' });
    const sa = shared.apply(a) as SymbolicTensor;
    const sb = shared.apply(b) as SymbolicTensor;
    const n1 = inner.apply(sa) as SymbolicTensor;
    const n2 = innerFn.apply(sb) as SymbolicTensor;
    const out2 = new layers.Concatenate({ name: 'cat' }).apply([n1, n2]) as SymbolicTensor;
    const model = new Model({ inputs: [a, b], outputs: [n1, out2], name: 'outer' });
    const x = [randomNormal([2, 3], { seed: 1 }), randomNormal([2, 3], { seed: 2 })];
    const bytes = await io.toKeras(model);
    const loaded = await loadModel(bytes);
    expect(await values(await loaded.predict(x))).toEqual(await values(await model.predict(x)));
    const h = await openH5(unzipSync(bytes)['model.weights.h5'], 'model.weights.h5');
    expect(h.keys('layers')?.sort()).toEqual([
      'concatenate',
      'dense',
      'functional',
      'input_layer',
      'input_layer_1',
      'sequential',
    ]);
    expect(h.keys('layers/sequential/layers')?.sort()).toEqual(['dense', 'dense_1']);
    h.close();
  });

  it('writes stored zip entries and the HDF5 layout Keras uses', async () => {
    const [, cnn] = fourModels();
    const bytes = await io.toKeras(cnn.model);
    const entries = unzipSync(bytes);
    expect(Object.keys(entries).sort()).toEqual(['config.json', 'metadata.json', 'model.weights.h5']);
    // Level 0: the weights file appears verbatim inside the archive.
    const h5 = entries['model.weights.h5'];
    const at = Buffer.from(bytes).indexOf(Buffer.from(h5.subarray(0, 64)));
    expect(at).toBeGreaterThan(0);
    const config = JSON.parse(new TextDecoder().decode(entries['config.json']));
    expect(config.class_name).toBe('Sequential');
    expect(config.config.layers[0].class_name).toBe('InputLayer');
    expect(config.config.layers[1].config).toMatchObject({
      kernel_size: [3, 3],
      data_format: 'channels_last',
    });
    const h = await openH5(h5, 'model.weights.h5');
    expect(h.keys('layers')?.sort()).toEqual([
      'batch_normalization',
      'conv2d',
      'dense',
      'flatten',
      'max_pooling2d',
    ]);
    expect(h.keys('layers/batch_normalization/vars')).toEqual(['0', '1', '2', '3']);
    expect(h.attr('layers/conv2d/vars', 'name')).toBe(cnn.model.layers[0].name);
    expect(h.read('layers/conv2d/vars/0').shape).toEqual([3, 3, 2, 4]);
    h.close();
  });

  const OPTIMIZERS: [string, () => optimizers.Optimizer][] = [
    ['Adam', () => new optimizers.Adam()],
    ['Adam (amsgrad)', () => new optimizers.Adam({ amsgrad: true })],
    ['RMSprop (momentum, centered)', () => new optimizers.RMSprop({ momentum: 0.5, centered: true })],
    ['SGD (momentum)', () => new optimizers.SGD({ learningRate: 0.05, momentum: 0.9 })],
    ['Adadelta', () => new optimizers.Adadelta({ learningRate: 0.5 })],
    ['Adamax', () => new optimizers.Adamax()],
  ];
  for (const [label, makeOpt] of OPTIMIZERS)
    it(`keeps the compile config and the ${label} state, so training goes on identically`, async () => {
      const make = () =>
        new Sequential([new layers.Dense(4, { activation: 'relu', inputShape: [3] }), new layers.Dense(2)]);
      const model = make();
      model.compile({ optimizer: makeOpt(), loss: 'mse', metrics: ['mae'] });
      const x = tensor([0.1, 0.5, -0.3, 1, 2, -1, 0.3, 0.3, 0.7, -2, 1, 0], [4, 3]);
      const y = tensor([1, 0, 0, 1, 1, 1, 0, 0], [4, 2]);
      await model.fit(x, y, { epochs: 3, batchSize: 2, verbose: 0, shuffle: false });
      const loaded = await loadModel(await io.toKeras(model));
      expect(loaded.optimizer.className).toBe(model.optimizer.className);
      expect(loaded.optimizer.getConfig()).toEqual(model.optimizer.getConfig());
      expect(loaded.optimizer.iterations).toBe(6);
      await model.fit(x, y, { epochs: 2, batchSize: 2, verbose: 0, shuffle: false });
      await loaded.fit(x, y, { epochs: 2, batchSize: 2, verbose: 0, shuffle: false });
      const [a] = await values(await model.predict(x));
      const [b] = await values(await loaded.predict(x));
      a.forEach((v, i) => expect(b[i]).toBeCloseTo(v, 6));
    });
});
