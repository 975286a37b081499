// webdl -> io.toOnnx -> onnxruntime-node: the same predictions within 1e-5 for the four models, at two batch sizes (dynamic batch).
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { concat, randomNormal, setBackend, type Tensor } from '@webdl/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Input, Model, Sequential, io, layers, setRandomSeed, type SymbolicTensor } from '../src/index.js';
import { fourModels, type Case } from './io-models.js';

beforeAll(async () => {
  await setBackend('cpu');
});

async function ortRun(bytes: Uint8Array, model: Model, xs: Tensor[]): Promise<Float32Array[]> {
  const session = await ort.InferenceSession.create(bytes);
  const feeds: Record<string, ort.Tensor> = {};
  for (let i = 0; i < xs.length; i++) {
    const d = await xs[i].data();
    feeds[session.inputNames[i]] = new ort.Tensor(xs[i].dtype === 'int32' ? 'int32' : 'float32', d, [
      ...xs[i].shape,
    ]);
  }
  const out = await session.run(feeds);
  return session.outputNames.map((n) => out[n].data as Float32Array);
}

async function expectSame(c: Case, bytes: Uint8Array, x: Tensor | Tensor[]): Promise<void> {
  const xs = Array.isArray(x) ? x : [x];
  const ours = await c.model.predict(x);
  const oursList = Array.isArray(ours) ? ours : [ours];
  const theirs = await ortRun(bytes, c.model, xs);
  expect(theirs.length).toBe(oursList.length);
  for (let i = 0; i < theirs.length; i++) {
    const a = await oursList[i].data();
    expect(theirs[i].length).toBe(a.length);
    let worst = 0;
    for (let j = 0; j < a.length; j++) worst = Math.max(worst, Math.abs(a[j] - theirs[i][j]));
    expect(worst).toBeLessThan(1e-5);
  }
}

describe('webdl -> ONNX (opset 17) -> onnxruntime-node', () => {
  for (const c of fourModels()) {
    it(`${c.name}: same predictions, batch dimension dynamic`, async () => {
      const bytes = await io.toOnnx(c.model, { opset: 17 });
      await expectSame(c, bytes, c.x);
      // A different batch size through the same exported graph.
      const xs = Array.isArray(c.x) ? c.x : [c.x];
      const bigger = xs.map((t) => concat([t, t], 0));
      await expectSame(c, bytes, bigger.length === 1 ? bigger[0] : bigger);
    });
  }

  it('more layers: depthwise and transposed convs, average pooling, LayerNorm, GRU (reset_after), SimpleRNN, merges, rank-3 Dense', async () => {
    setRandomSeed(7);
    const img = new Input({ shape: [6, 6, 3], name: 'img' });
    let h = new layers.DepthwiseConv2D(3, { padding: 'same', depthMultiplier: 2, activation: 'relu6' }).apply(
      img,
    ) as SymbolicTensor;
    h = new layers.Conv2DTranspose(2, 3, { strides: 2, padding: 'same', activation: 'elu' }).apply(
      h,
    ) as SymbolicTensor;
    h = new layers.AveragePooling2D(2, { padding: 'same' }).apply(h) as SymbolicTensor;
    h = new layers.Conv2D(3, 2, { strides: 2, activation: 'gelu' }).apply(h) as SymbolicTensor;
    const pooled = new layers.GlobalAveragePooling2D().apply(h) as SymbolicTensor;
    const seq = new Input({ shape: [5, 4], name: 'seq' });
    const ln = new layers.LayerNormalization().apply(seq) as SymbolicTensor;
    const d3 = new layers.Dense(4, { activation: 'swish' }).apply(ln) as SymbolicTensor;
    const gru = new layers.GRU(3).apply(d3) as SymbolicTensor;
    const rnn = new layers.SimpleRNN(3, { returnSequences: true }).apply(d3) as SymbolicTensor;
    const last = new layers.Flatten().apply(rnn) as SymbolicTensor;
    const both = new layers.Concatenate().apply([
      pooled,
      gru,
      new layers.Dense(3).apply(last) as SymbolicTensor,
    ]);
    const out = new layers.Dense(2, { activation: 'softmax' }).apply(
      both as SymbolicTensor,
    ) as SymbolicTensor;
    const model = new Model({ inputs: [img, seq], outputs: out });
    const c: Case = {
      name: 'mixed',
      model,
      x: [randomNormal([2, 6, 6, 3], { seed: 1 }), randomNormal([2, 5, 4], { seed: 2 })],
    };
    await expectSame(c, await io.toOnnx(model), c.x);
  });

  it('backwards LSTM returning sequences, GRU without reset_after, saved with model.save(path.onnx)', async () => {
    setRandomSeed(8);
    const model = new Sequential([
      new layers.LSTM(3, { returnSequences: true, goBackwards: true, inputShape: [4, 2] }),
      new layers.GRU(2, { resetAfter: false, returnSequences: true }),
      new layers.Dense(1),
    ]);
    const dir = await mkdtemp(join(tmpdir(), 'webdl-onnx-'));
    try {
      await model.save(join(dir, 'rnn.onnx'));
      const bytes = new Uint8Array(await readFile(join(dir, 'rnn.onnx')));
      await expectSame(
        { name: 'rnn', model, x: randomNormal([2, 4, 2], { seed: 3 }) },
        bytes,
        randomNormal([2, 4, 2], { seed: 3 }),
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses what it cannot export, naming the layer', async () => {
    const m = new Sequential([new layers.Dense(2, { inputShape: [3] }), new layers.UpSampling2D()]);
    await expect(io.toOnnx(m, { opset: 17 })).rejects.toThrow(
      /layer '.*' \(UpSampling2D\) has no ONNX export; exported: /,
    );
    await expect(io.toOnnx(m, { opset: 13 })).rejects.toThrow(/opset must be an integer >= 17/);
  });
});
