// TF.js Layers format: files written by TensorFlow.js load into webdl and predict as TensorFlow.js did; io.toTfjs output loads in TensorFlow.js.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { setBackend, tensor, type Tensor } from '@webdl/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { io, loadModel } from '../src/index.js';
import { fourModels } from './io-models.js';

const DIR = new URL('./fixtures/tfjs/', import.meta.url);
interface Arr {
  shape: number[];
  dtype?: 'float32' | 'int32';
  data: number[];
}
const expected = (
  JSON.parse(readFileSync(new URL('expected.json', DIR), 'utf8')) as {
    models: Record<string, { inputs: Arr[]; outputs: Arr[] }>;
  }
).models;

beforeAll(async () => {
  await setBackend('cpu');
  await tf.setBackend('cpu');
});

async function maxDiff(a: Tensor | Tensor[], b: ArrayLike<number>[]): Promise<number> {
  const list = Array.isArray(a) ? a : [a];
  expect(list.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < list.length; i++) {
    const got = await list[i].data();
    expect(got.length).toBe(b[i].length);
    for (let j = 0; j < got.length; j++) worst = Math.max(worst, Math.abs(got[j] - b[i][j]));
  }
  return worst;
}

const inputsOf = (xs: Arr[]) => {
  const ts = xs.map((x) => tensor(x.data, x.shape, x.dtype ?? 'float32'));
  return ts.length === 1 ? ts[0] : ts;
};

describe('TF.js files (written by TensorFlow.js 4.22) -> webdl', () => {
  for (const [name, f] of Object.entries(expected)) {
    it(`${name}: from a path (shards beside model.json) predicts as TensorFlow.js did`, async () => {
      const model = await loadModel(fileURLToPath(new URL(`${name}/model.json`, DIR)));
      const y = await model.predict(inputsOf(f.inputs));
      expect(
        await maxDiff(
          y,
          f.outputs.map((o) => o.data),
        ),
      ).toBeLessThan(1e-5);
      model.dispose();
    });
  }

  it('in memory as { modelJson, weightData }, quantized uint8', async () => {
    const modelJson = JSON.parse(readFileSync(new URL('mlp_uint8/model.json', DIR), 'utf8'));
    const weightData = new Uint8Array(readFileSync(new URL('mlp_uint8/weights.bin', DIR)));
    expect(modelJson.weightsManifest[0].weights[0].quantization.dtype).toBe('uint8');
    const model = await loadModel({ modelJson, weightData });
    const f = expected.mlp_uint8;
    expect(
      await maxDiff(
        await model.predict(inputsOf(f.inputs)),
        f.outputs.map((o) => o.data),
      ),
    ).toBeLessThan(1e-5);
  });

  it('the Python converter topology shape restores its training config', async () => {
    const model = await loadModel(fileURLToPath(new URL('two_inputs_converter/model.json', DIR)));
    expect(model.optimizer.className).toBe('Adam');
    expect(model.optimizer.learningRate).toBe(0.01);
  });

  it('a truncated shard and a weight missing from the model fail clearly', async () => {
    const modelJson = JSON.parse(readFileSync(new URL('mlp/model.json', DIR), 'utf8'));
    const weightData = new Uint8Array(readFileSync(new URL('mlp/weights.bin', DIR)));
    await expect(loadModel({ modelJson, weightData: weightData.slice(0, 100) })).rejects.toThrow(
      /modelJson: weightsManifest weight #\d+ '.*' of shape \[.*\] needs \d+ bytes at offset \d+ but the weight data has only 100: truncated or missing shard/,
    );
    const renamed = structuredClone(modelJson);
    renamed.weightsManifest[0].weights[0].name = 'elsewhere/kernel';
    await expect(loadModel({ modelJson: renamed, weightData })).rejects.toThrow(
      /layer '.*' has 2 weight\(s\) but the manifest has 1 named/,
    );
  });
});

describe('webdl -> io.toTfjs -> TensorFlow.js (tf.loadLayersModel)', () => {
  for (const c of fourModels()) {
    it(`${c.name}: TensorFlow.js predicts what webdl predicts`, async () => {
      const { modelJson, weightData } = await io.toTfjs(c.model);
      const manifest = modelJson.weightsManifest as { weights: tf.io.WeightsManifestEntry[] }[];
      const tfModel = await tf.loadLayersModel(
        tf.io.fromMemory({
          modelTopology: modelJson.modelTopology as object,
          weightSpecs: manifest[0].weights,
          weightData: weightData as ArrayBuffer,
        }),
      );
      const xs = Array.isArray(c.x) ? c.x : [c.x];
      const tfx = await Promise.all(xs.map(async (x) => tf.tensor(await x.data(), [...x.shape], x.dtype)));
      const tfy = tfModel.predict(tfx.length === 1 ? tfx[0] : tfx) as tf.Tensor;
      const ours = await c.model.predict(c.x);
      expect(await maxDiff(ours, [await tfy.data()])).toBeLessThan(1e-5);
      const back = await loadModel({ modelJson, weightData });
      expect(await maxDiff(await back.predict(c.x), [await (ours as Tensor).data()])).toBe(0);
    });
  }
});
