// Every layer class through the generic Keras translation: model -> .keras -> model with identical predictions, and -> TF.js where TF.js has the class.
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { randomNormal, randomUniform, setBackend, type Tensor } from '@webdl/core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  Input,
  Model,
  io,
  layers,
  loadModel,
  setRandomSeed,
  type Layer,
  type SymbolicTensor,
} from '../src/index.js';

beforeAll(async () => {
  await setBackend('cpu');
  await tf.setBackend('cpu');
});

type Make = () => Layer;
/** [layer, per-sample input shape(s)]. */
const CASES: [string, Make, number[] | number[][]][] = [
  ['ReLU', () => new layers.ReLU({ maxValue: 0.5 }), [4]],
  ['LeakyReLU', () => new layers.LeakyReLU({ negativeSlope: 0.1 }), [4]],
  ['PReLU', () => new layers.PReLU(), [4]],
  ['ELU', () => new layers.ELU({ alpha: 0.5 }), [4]],
  ['Softmax', () => new layers.Softmax(), [4]],
  [
    'SeparableConv2D',
    () => new layers.SeparableConv2D({ filters: 3, kernelSize: 2, depthMultiplier: 2 }),
    [5, 5, 2],
  ],
  ['Conv2D groups', () => new layers.Conv2D(4, 3, { groups: 2, padding: 'same' }), [5, 5, 4]],
  ['Conv1D', () => new layers.Conv1D(3, 2), [6, 2]],
  ['DepthwiseConv2D', () => new layers.DepthwiseConv2D(3, { depthMultiplier: 2 }), [5, 5, 2]],
  ['Conv2DTranspose', () => new layers.Conv2DTranspose(2, 3, { strides: 2 }), [3, 3, 2]],
  ['GlobalMaxPooling2D', () => new layers.GlobalMaxPooling2D(), [4, 4, 2]],
  ['MaxPooling1D', () => new layers.MaxPooling1D({ poolSize: 2 }), [6, 3]],
  ['AveragePooling1D', () => new layers.AveragePooling1D({ poolSize: 2 }), [6, 3]],
  ['GlobalAveragePooling1D', () => new layers.GlobalAveragePooling1D(), [6, 3]],
  ['GlobalMaxPooling1D', () => new layers.GlobalMaxPooling1D(), [6, 3]],
  ['Cropping2D', () => new layers.Cropping2D({ cropping: [1, 1] }), [5, 5, 2]],
  ['Permute', () => new layers.Permute({ dims: [2, 1] }), [3, 4]],
  ['RepeatVector', () => new layers.RepeatVector({ n: 3 }), [4]],
  ['TimeDistributed', () => new layers.TimeDistributed({ layer: new layers.Dense(2) }), [3, 4]],
  ['Reshape', () => new layers.Reshape([2, 2]), [4]],
  ['Identity', () => new layers.Identity(), [4]],
  ['Rescaling', () => new layers.Rescaling({ scale: 0.5, offset: 1 }), [4]],
  ['CenterCrop', () => new layers.CenterCrop({ height: 2, width: 3 }), [4, 5, 2]],
  ['GaussianNoise', () => new layers.GaussianNoise({ stddev: 0.1 }), [4]],
  ['GaussianDropout', () => new layers.GaussianDropout({ rate: 0.1 }), [4]],
  ['SpatialDropout2D', () => new layers.SpatialDropout2D({ rate: 0.1 }), [4, 4, 2]],
  ['GroupNormalization', () => new layers.GroupNormalization({ groups: 2 }), [3, 4]],
  ['UnitNormalization', () => new layers.UnitNormalization(), [4]],
  ['LayerNormalization', () => new layers.LayerNormalization(), [4]],
  ['UpSampling2D', () => new layers.UpSampling2D(), [2, 2, 1]],
  ['ZeroPadding2D', () => new layers.ZeroPadding2D(), [2, 2, 1]],
  ['GRU', () => new layers.GRU(3, { returnSequences: true, resetAfter: false }), [4, 2]],
  ['GRU reset_after', () => new layers.GRU(3), [4, 2]],
  ['SimpleRNN', () => new layers.SimpleRNN(3), [4, 2]],
  ['Bidirectional', () => new layers.Bidirectional(new layers.LSTM(2)), [4, 3]],
  ['Multiply', () => new layers.Multiply(), [[4], [4]]],
  ['Subtract', () => new layers.Subtract(), [[4], [4]]],
  ['Average', () => new layers.Average(), [[4], [4]]],
  ['Maximum', () => new layers.Maximum(), [[4], [4]]],
  ['Minimum', () => new layers.Minimum(), [[4], [4]]],
  ['Dot', () => new layers.Dot({ axes: 1 }), [[4], [4]]],
];

function modelOf(make: Make, shapes: number[] | number[][]): { model: Model; x: Tensor | Tensor[] } {
  const list = Array.isArray(shapes[0]) ? (shapes as number[][]) : [shapes as number[]];
  const inputs = list.map((s, i) => new Input({ shape: s, name: `in${i}` }));
  const layer = make();
  const out = layer.apply(inputs.length === 1 ? inputs[0] : inputs) as SymbolicTensor;
  const model = new Model({ inputs, outputs: out });
  const xs = list.map((s, i) => randomNormal([2, ...s], { seed: 10 + i }));
  // Move weights off their initial values (zeros, ones) so the round trip is observable.
  for (const w of model.weights) w.assign(randomUniform(w.shape, { minval: 0.5, maxval: 1.5, seed: 3 }));
  return { model, x: xs.length === 1 ? xs[0] : xs };
}

const flat = async (t: Tensor | Tensor[]) =>
  (await Promise.all((Array.isArray(t) ? t : [t]).map((x) => x.data()))).map((d) => Array.from(d));

describe('each layer class -> .keras -> webdl, identical predictions', () => {
  for (const [name, make, shapes] of CASES) {
    it(name, async () => {
      setRandomSeed(1);
      const { model, x } = modelOf(make, shapes);
      const loaded = await loadModel(await io.toKeras(model));
      expect(loaded.layers.map((l) => l.getClassName())).toEqual(model.layers.map((l) => l.getClassName()));
      expect(await flat(await loaded.predict(x))).toEqual(await flat(await model.predict(x)));
    });
  }
});

/** Classes or options TensorFlow.js 4.22 lacks (it refuses ELU's alpha != 1 itself): no TF.js comparison. */
const NOT_IN_TFJS = new Set([
  'Identity',
  'Rescaling',
  'CenterCrop',
  'GroupNormalization',
  'UnitNormalization',
  'Subtract',
  'Conv2D groups',
  'SpatialDropout2D',
  'ELU',
  'GRU reset_after',
]);

describe('each layer class -> io.toTfjs -> TensorFlow.js, same predictions', () => {
  for (const [name, make, shapes] of CASES.filter(([n]) => !NOT_IN_TFJS.has(n))) {
    it(name, async () => {
      setRandomSeed(1);
      const { model, x } = modelOf(make, shapes);
      const { modelJson, weightData } = await io.toTfjs(model);
      const manifest = modelJson.weightsManifest as { weights: tf.io.WeightsManifestEntry[] }[];
      const tfModel = await tf.loadLayersModel(
        tf.io.fromMemory({
          modelTopology: modelJson.modelTopology as object,
          weightSpecs: manifest[0].weights,
          weightData: weightData as ArrayBuffer,
        }),
      );
      const xs = Array.isArray(x) ? x : [x];
      const tfx = await Promise.all(xs.map(async (t) => tf.tensor(await t.data(), [...t.shape])));
      const want = (await flat(await model.predict(x)))[0];
      const got = Array.from(await (tfModel.predict(tfx.length === 1 ? tfx[0] : tfx) as tf.Tensor).data());
      expect(got.length).toBe(want.length);
      got.forEach((v, i) => expect(Math.abs(v - want[i])).toBeLessThan(1e-5));
    });
  }
});

it("io.toTfjs refuses a GRU with reset_after, which TF.js's GRU lacks", async () => {
  const { model } = modelOf(() => new layers.GRU(3), [4, 2]);
  await expect(io.toTfjs(model)).rejects.toThrow(/TF\.js's GRU has no reset_after .* resetAfter: false/);
});

/** The classes io.toOnnx exports (others are refused with an error naming the layer). */
const ONNX_CASES = new Set([
  'ReLU',
  'LeakyReLU',
  'ELU',
  'Softmax',
  'Conv2D groups',
  'DepthwiseConv2D',
  'Conv2DTranspose',
  'GlobalMaxPooling2D',
  'Reshape',
  'Identity',
  'Rescaling',
  'GaussianNoise',
  'GaussianDropout',
  'SpatialDropout2D',
  'LayerNormalization',
  'GRU',
  'GRU reset_after',
  'SimpleRNN',
  'Multiply',
  'Subtract',
  'Average',
  'Maximum',
  'Minimum',
]);

describe('each exported layer class -> io.toOnnx -> onnxruntime, same predictions', () => {
  for (const [name, make, shapes] of CASES.filter(([n]) => ONNX_CASES.has(n))) {
    it(name, async () => {
      setRandomSeed(1);
      const { model, x } = modelOf(make, shapes);
      const session = await ort.InferenceSession.create(await io.toOnnx(model, { opset: 17 }));
      const xs = Array.isArray(x) ? x : [x];
      const feeds: Record<string, ort.Tensor> = {};
      for (let i = 0; i < xs.length; i++)
        feeds[session.inputNames[i]] = new ort.Tensor('float32', (await xs[i].data()) as Float32Array, [
          ...xs[i].shape,
        ]);
      const got = (await session.run(feeds))[session.outputNames[0]].data as Float32Array;
      const want = (await flat(await model.predict(x)))[0];
      expect(got.length).toBe(want.length);
      got.forEach((v, i) => expect(Math.abs(v - want[i])).toBeLessThan(1e-5));
    });
  }
});
