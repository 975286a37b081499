// Hostile or broken .keras files: each fails fast with an error naming what is wrong and where in the archive, within bounded memory.
import { memory, setBackend } from '@webdl/core';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadModel } from '../src/index.js';
import * as h5wasm from 'h5wasm';
import { fixtureBytes } from './io-keras-fixtures.js';

beforeAll(async () => {
  await setBackend('cpu');
});

const original = unzipSync(fixtureBytes('dense_seq.keras'));
const config = () => JSON.parse(new TextDecoder().decode(original['config.json']));
const rezip = (entries: Record<string, Uint8Array>, level: 0 | 9 = 0) => zipSync(entries, { level });
const withConfig = (c: unknown) => rezip({ ...original, 'config.json': strToU8(JSON.stringify(c)) });

/** A weights file whose dense kernel is chunked and resized to [1e6, 1000] without data. */
async function hugeDatasetFile(): Promise<Uint8Array> {
  const module = await h5wasm.ready;
  const f = new h5wasm.File('/huge.h5', 'w');
  for (const g of ['layers', 'layers/dense', 'layers/dense/vars', 'vars']) f.create_group(g);
  const vars = f.get('layers/dense/vars') as InstanceType<typeof h5wasm.Group>;
  const kernel = vars.create_dataset({
    name: '0',
    data: new Float32Array(48),
    shape: [6, 8],
    dtype: '<f',
    maxshape: [null, null],
    chunks: [6, 8],
  });
  kernel.resize([1_000_000, 1000]);
  vars.create_dataset({ name: '1', data: new Float32Array(8), shape: [8], dtype: '<f' });
  f.close();
  const fs = (module as unknown as { FS: { readFile(p: string): Uint8Array; unlink(p: string): void } }).FS;
  const bytes = fs.readFile('/huge.h5').slice();
  fs.unlink('/huge.h5');
  return bytes;
}

async function refused(bytes: Uint8Array, message: RegExp): Promise<void> {
  const start = memory().numTensors;
  const t0 = performance.now();
  await expect(loadModel(bytes)).rejects.toThrow(message);
  expect(performance.now() - t0).toBeLessThan(2000);
  expect(memory().numTensors).toBe(start);
}

describe('bad .keras files', () => {
  it('a truncated zip', async () => {
    const bytes = fixtureBytes('dense_seq.keras');
    await refused(
      bytes.slice(0, bytes.length >> 1),
      /model\.keras is not a readable zip archive \(truncated or corrupt/,
    );
  });

  it('a missing entry', async () => {
    const { 'model.weights.h5': _, ...rest } = original;
    await refused(rezip(rest), /model\.keras: the archive has no 'model\.weights\.h5' entry/);
  });

  it('an unknown layer class, named with its path in config.json', async () => {
    const c = config();
    c.config.layers[1].class_name = 'FancyDense';
    await refused(
      withConfig(c),
      /model\.keras\/config\.json \(Sequential 'dense_seq'\)\.layers\[1\]: unknown layer class 'FancyDense'/,
    );
  });

  it('a Lambda layer (code is never evaluated)', async () => {
    const c = config();
    c.config.layers[2] = {
      module: 'keras.layers',
      class_name: 'Lambda',
      config: { name: 'evil', function: { class_name: '__lambda__', config: { code: '4wEAAA==' } } },
    };
    await refused(
      withConfig(c),
      /layers\[2\]: layer class 'Lambda' holds Python code, which webdl never runs/,
    );
  });

  it('a custom registered object', async () => {
    const c = config();
    c.config.layers[1].module = 'my_package.layers';
    c.config.layers[1].registered_name = 'my_package>MyDense';
    await refused(withConfig(c), /'my_package>MyDense' is a custom object/);
  });

  it('an option webdl does not honour', async () => {
    const c = config();
    c.config.layers[1].config.lora_rank = 4;
    await refused(
      withConfig(c),
      /layers\[1\] \(Dense 'dense'\): option\(s\) lora_rank=4 not supported by webdl's Dense/,
    );
  });

  it('an unknown constraint class', async () => {
    const c = config();
    c.config.layers[1].config.kernel_constraint = {
      module: 'keras.constraints',
      class_name: 'Weird',
      config: {},
    };
    await refused(withConfig(c), /layers\[1\] \(Dense 'dense'\): .*Weird/);
  });

  it('__proto__ keys in config.json', async () => {
    const text = new TextDecoder()
      .decode(original['config.json'])
      .replace('"units": 8,', '"units": 8, "__proto__": {"polluted": true},');
    await refused(
      rezip({ ...original, 'config.json': strToU8(text) }),
      /model\.keras\/config\.json: the key '__proto__' is not allowed/,
    );
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
  });

  it('a tensor that claims more bytes than the file holds', async () => {
    const c = config();
    c.config.layers = [c.config.layers[0], c.config.layers[1]];
    // A chunked dataset's shape can be grown without writing data: it claims 4 GB in a few KB.
    const h5 = await hugeDatasetFile();
    const bytes = rezip({ ...original, 'config.json': strToU8(JSON.stringify(c)), 'model.weights.h5': h5 });
    await refused(
      bytes,
      /dataset 'layers\/dense\/vars\/0' of shape \[1000000,1000\] claims 4000000000 bytes but the file has only \d+/,
    );
  });

  it('a zip entry with a huge decompression ratio', async () => {
    const bomb = zipSync(
      { ...original, 'model.weights.h5': [new Uint8Array(8 << 20), { level: 9 }] },
      { level: 0 },
    );
    await refused(bomb, /entry 'model\.weights\.h5' would expand \d+x .* refusing a possible zip bomb/);
  });

  it('bytes that are no model file at all', async () => {
    await expect(loadModel(strToU8('hello world'))).rejects.toThrow(
      /neither a Keras 3 \.keras file \(a zip\) nor a legacy Keras \.h5 file \(HDF5\); it starts with bytes 68 65 6c/,
    );
  });
});
