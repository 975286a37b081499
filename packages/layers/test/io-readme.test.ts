// The README's "Bring your model" example, run as a test: a Keras .keras file in, a TF.js model in, ONNX out.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import { setBackend, tensor, type Tensor } from '@webdl/core';
import { expect, it } from 'vitest';
import { io, loadModel } from '../src/index.js';

const fixture = (p: string) => fileURLToPath(new URL(`./fixtures/${p}`, import.meta.url));

it('Bring your model: .keras in, TF.js in, ONNX out', async () => {
  await setBackend('cpu');
  // A .keras file written by Keras 3 (Conv2D + BatchNormalization + two inputs).
  const model = await loadModel(new Uint8Array(await readFile(fixture('keras/two_inputs.keras'))));
  const table = model.summary();
  expect(table).toContain('bn (BatchNormalization)');
  const img = tensor(
    Array.from({ length: 2 * 8 * 8 * 2 }, (_, i) => Math.sin(i)),
    [2, 8, 8, 2],
  );
  const vec = tensor([0.1, -0.2, 0.3, 0.5, 0.0, -1.0], [2, 3]);
  const y = (await model.predict([img, vec])) as Tensor;
  await y.print();
  // A TF.js Layers model with uint8-quantized weights, shards read beside model.json.
  const tfjsModel = await loadModel(fixture('tfjs/mlp_uint8/model.json'));
  const p = (await tfjsModel.predict(tensor([[0.5, -0.1, 0.2, 0.9, -0.7]]))) as Tensor;
  await p.print();
  expect(Array.from(await p.data()).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
  // ONNX out, run by onnxruntime.
  const bytes = await io.toOnnx(model, { opset: 17 });
  const session = await ort.InferenceSession.create(bytes);
  const out = await session.run({
    img: new ort.Tensor('float32', (await img.data()) as Float32Array, [2, 8, 8, 2]),
    vec: new ort.Tensor('float32', (await vec.data()) as Float32Array, [2, 3]),
  });
  const onnx = out[session.outputNames[0]].data as Float32Array;
  console.log(
    `ONNX model: ${bytes.byteLength} bytes, inputs ${session.inputNames}, output ${session.outputNames}:`,
    onnx,
  );
  const ours = await y.data();
  onnx.forEach((v, i) => expect(Math.abs(v - ours[i])).toBeLessThan(1e-5));
  // model.save picks the format from the extension.
  const dir = await mkdtemp(join(tmpdir(), 'webdl-readme-'));
  try {
    for (const ext of ['keras', 'json', 'onnx']) await model.save(join(dir, `two_inputs.${ext}`));
    const again = await loadModel(join(dir, 'two_inputs.json'));
    expect(Array.from(await ((await again.predict([img, vec])) as Tensor).data())).toEqual(Array.from(ours));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
