// Save/load: artifacts and files round-trip to identical predictions; malformed or truncated input fails clearly, never half-built.
import { createServer } from 'node:http';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memory, randomNormal, setBackend, type Tensor } from '@webdl/core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  Input,
  Layer,
  Model,
  Sequential,
  decodeSafetensors,
  encodeSafetensors,
  layers,
  loadModel,
  registerLayer,
  setRandomSeed,
  type CallArgs,
  type ModelArtifacts,
  type SymbolicTensor,
} from '../src/index.js';

beforeAll(async () => {
  await setBackend('cpu');
});

async function same(a: Tensor | Tensor[], b: Tensor | Tensor[]): Promise<void> {
  const as = Array.isArray(a) ? a : [a];
  const bs = Array.isArray(b) ? b : [b];
  expect(as.length).toBe(bs.length);
  for (let i = 0; i < as.length; i++) {
    expect(as[i].shape).toEqual(bs[i].shape);
    expect(Array.from(await as[i].data())).toEqual(Array.from(await bs[i].data()));
  }
}

function mlp(): Sequential {
  return new Sequential([
    new layers.Flatten({ inputShape: [2, 3] }),
    new layers.Dense(5, { activation: 'relu', kernelInitializer: 'he_normal' }),
    new layers.Dropout(0.3),
    new layers.Reshape([5, 1]),
    new layers.Flatten(),
    new layers.Dense(2, { activation: 'softmax' }),
  ]);
}

const x = randomNormal([7, 2, 3], { seed: 3 });

describe('save → load → predict gives identical outputs', () => {
  it('Sequential through in-memory artifacts (JSON topology, safetensors weights, specs)', async () => {
    setRandomSeed(10);
    const model = mlp();
    model.compile({ optimizer: 'adam', loss: 'categorical_crossentropy' });
    const artifacts = await model.save();
    expect(artifacts.modelTopology.className).toBe('Sequential');
    expect(JSON.parse(JSON.stringify(artifacts.modelTopology))).toEqual(artifacts.modelTopology);
    expect(artifacts.weightSpecs.map((s) => s.shape)).toEqual([[6, 5], [5], [5, 2], [2]]);
    const { arrays } = decodeSafetensors(artifacts.weightData);
    // A compiled model's optimizer state follows its weights (iterations, learning rate, Adam's slots).
    expect(arrays.map((a) => a.name)).toEqual([
      ...artifacts.weightSpecs.map((s) => s.name),
      ...(artifacts.modelTopology.optimizerWeights ?? []),
    ]);
    expect(artifacts.modelTopology.optimizerWeights).toHaveLength(2 + 2 * 4);
    const loaded = await loadModel(artifacts);
    expect(loaded).toBeInstanceOf(Sequential);
    expect(loaded.layers.map((l) => l.getClassName())).toEqual([
      'Flatten',
      'Dense',
      'Dropout',
      'Reshape',
      'Flatten',
      'Dense',
    ]);
    await same(await loaded.predict(x), await model.predict(x));
  });

  it('functional model with two inputs, two outputs and a shared layer', async () => {
    const a = new Input({ shape: [3], name: 'ia' });
    const b = new Input({ shape: [3], name: 'ib' });
    const shared = new layers.Dense(4, { activation: 'tanh', name: 'shared_d' });
    const ha = shared.apply(a) as SymbolicTensor;
    const hb = shared.apply(b) as SymbolicTensor;
    const o1 = new layers.Dense(1, { name: 'o1' }).apply(ha) as SymbolicTensor;
    const o2 = new layers.Dense(2, { name: 'o2', activation: 'softmax' }).apply(hb) as SymbolicTensor;
    const model = new Model({ inputs: [a, b], outputs: [o1, o2], name: 'two_heads' });
    const loaded = await loadModel(await model.save());
    expect(loaded.name).toBe('two_heads');
    expect(loaded.getLayer('shared_d').inboundNodes.length).toBe(2);
    const xa = randomNormal([4, 3], { seed: 1 });
    const xb = randomNormal([4, 3], { seed: 2 });
    await same(await loaded.predict([xa, xb]), await model.predict([xa, xb]));
  });

  it('a registered subclassed model rebuilds its weights from the saved build shape', async () => {
    class Tiny extends Model {
      static override readonly className = 'Tiny';
      d1 = new layers.Dense(3, { activation: 'relu' });
      d2 = new layers.Dense(1);
      override call(inputs: Tensor | Tensor[], _args: CallArgs = {}): Tensor {
        return this.d2.apply(this.d1.apply(inputs as Tensor) as Tensor) as Tensor;
      }
    }
    registerLayer('Tiny', () => new Tiny());
    const model = new Tiny();
    const xi = randomNormal([5, 4], { seed: 4 });
    const expected = model.apply(xi) as Tensor;
    const loaded = await loadModel(await model.save());
    expect(loaded).toBeInstanceOf(Tiny);
    await same(loaded.apply(xi) as Tensor, expected);
  });

  it('files in Node: a directory (webdl format) and a .json path (TF.js format)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'webdl-io-'));
    try {
      const model = mlp();
      await model.save(join(dir, 'm1'));
      await same(await (await loadModel(join(dir, 'm1'))).predict(x), await model.predict(x));
      await model.save(join(dir, 'nested', 'model-b.json'));
      const json = JSON.parse(await readFile(join(dir, 'nested', 'model-b.json'), 'utf8')) as {
        format: string;
        weightsManifest: { paths: string[] }[];
      };
      expect(json.format).toBe('layers-model');
      expect(json.weightsManifest[0].paths).toEqual(['model-b.weights.bin']);
      await same(
        await (await loadModel(join(dir, 'nested', 'model-b.json'))).predict(x),
        await model.predict(x),
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('loading from a URL', () => {
  it('fetches model.json and the weights file next to it; HTTP errors are reported', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'webdl-url-'));
    const server = createServer((req, res) => {
      readFile(join(dir, (req.url ?? '/').slice(1))).then(
        (body) => res.end(body),
        () => {
          res.statusCode = 404;
          res.end();
        },
      );
    });
    try {
      const model = mlp();
      await model.save(join(dir, 'web', 'model.json'));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as { port: number };
      const loaded = await loadModel(`http://127.0.0.1:${port}/web/model.json`);
      await same(await loaded.predict(x), await model.predict(x));
      await expect(loadModel(`http://127.0.0.1:${port}/nothing/model.json`)).rejects.toThrow(/HTTP 404/);
    } finally {
      server.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('malformed or truncated input gives a clear error and no model', () => {
  async function artifacts(): Promise<ModelArtifacts> {
    return mlp().save();
  }

  async function expectCleanFailure(make: () => Promise<unknown>, message: RegExp): Promise<void> {
    const before = memory().numTensors;
    await expect(make()).rejects.toThrow(message);
    expect(memory().numTensors).toBe(before);
  }

  it('truncated weight data', async () => {
    const a = await artifacts();
    await expectCleanFailure(
      () => loadModel({ ...a, weightData: a.weightData.slice(0, a.weightData.byteLength - 10) }),
      /truncated: tensor '.*' ends at byte/,
    );
    await expectCleanFailure(
      () => loadModel({ ...a, weightData: a.weightData.slice(0, 5) }),
      /truncated \(5 bytes/,
    );
    await expectCleanFailure(
      () => loadModel({ ...a, weightData: a.weightData.slice(0, 40) }),
      /truncated: the header says/,
    );
  });

  it('a corrupt safetensors header, bad dtype or inconsistent offsets', async () => {
    const bad = new Uint8Array(16);
    new DataView(bad.buffer).setUint32(0, 8, true);
    bad.set(new TextEncoder().encode('{notjson'), 8);
    expect(() => decodeSafetensors(bad.buffer)).toThrow(/header is not valid JSON/);
    const f64 = encodeSafetensors([{ name: 'w', shape: [1], dtype: 'float32', data: new Float32Array([1]) }]);
    const text = new TextDecoder().decode(new Uint8Array(f64));
    const patched = new TextEncoder().encode(text.replace('"F32"', '"F64"'));
    expect(() => decodeSafetensors(patched)).toThrow(/tensor 'w' has unsupported dtype "F64"/);
    const wrongShape = new TextEncoder().encode(text.replace('"shape":[1]', '"shape":[2]'));
    expect(() => decodeSafetensors(wrongShape)).toThrow(
      /tensor 'w' of shape \[2\] needs 8 bytes but its offsets span 4/,
    );
  });

  it('weights that do not match the architecture', async () => {
    const a = await artifacts();
    const other = await new Sequential([new layers.Dense(3, { inputShape: [6] })]).save();
    await expectCleanFailure(
      () => loadModel({ ...a, weightData: other.weightData, weightSpecs: other.weightSpecs }),
      /has 4 weights but the file has 2/,
    );
    const swapped = { ...a, weightSpecs: [a.weightSpecs[1], a.weightSpecs[0], ...a.weightSpecs.slice(2)] };
    await expectCleanFailure(() => loadModel(swapped), /weight #0 .* in the file but .* in the model/);
    await expectCleanFailure(
      () => loadModel({ ...a, weightSpecs: [{ name: 'ghost', shape: [1], dtype: 'float32' }] }),
      /weight 'ghost' \(#0\) is listed in weightSpecs but missing/,
    );
  });

  it('unknown classes and broken topology', async () => {
    const a = await artifacts();
    const topo = JSON.parse(JSON.stringify(a.modelTopology)) as {
      config: { layers: { className: string }[] };
    };
    topo.config.layers[1].className = 'EvilLayer';
    await expectCleanFailure(
      () => loadModel({ ...a, modelTopology: topo as unknown as ModelArtifacts['modelTopology'] }),
      /unknown layer class 'EvilLayer'/,
    );
    await expectCleanFailure(
      () => loadModel({ ...a, modelTopology: undefined as unknown as ModelArtifacts['modelTopology'] }),
      /modelTopology is missing/,
    );
    await expectCleanFailure(
      () => loadModel({ ...a, weightData: 'nope' as unknown as ArrayBuffer }),
      /weightData is missing or not binary/,
    );
  });

  it('truncated or missing files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'webdl-io-bad-'));
    try {
      await mlp().save(join(dir, 'm'));
      const jsonPath = join(dir, 'm', 'model.json');
      const json = await readFile(jsonPath, 'utf8');
      await writeFile(jsonPath, json.slice(0, json.length / 2));
      await expectCleanFailure(() => loadModel(join(dir, 'm')), /model\.json is not valid JSON .* truncated/);
      await writeFile(jsonPath, json);
      const weights = await readFile(join(dir, 'm', 'model.safetensors'));
      await writeFile(join(dir, 'm', 'model.safetensors'), weights.subarray(0, weights.length - 3));
      await expectCleanFailure(() => loadModel(join(dir, 'm')), /weight data is truncated/);
      await expectCleanFailure(() => loadModel(join(dir, 'missing')), /cannot read .*missing/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('targets that need a browser say so in Node', async () => {
    const model = mlp();
    await expect(model.save('indexeddb://m')).rejects.toThrow(/IndexedDB is not available/);
    await expect(model.save('downloads://m')).rejects.toThrow(/needs a browser page/);
    await expect(loadModel('downloads://m')).rejects.toThrow(/downloads:\/\/ is for saving/);
  });
});

describe('a Layer that is not a model cannot be loaded as one', () => {
  it('throws', async () => {
    const a = await mlp().save();
    const dense = new layers.Dense(2);
    const config = {
      ...a,
      modelTopology: { ...a.modelTopology, className: 'Dense', config: dense.getConfig() },
    };
    await expect(loadModel(config)).rejects.toThrow(/is a layer, not a model/);
    expect(dense).toBeInstanceOf(Layer);
  });
});
