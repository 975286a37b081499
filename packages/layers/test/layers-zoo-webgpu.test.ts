// The newer zoo layers on WebGPU (Dawn on SwiftShader in Node) give the CPU reference's outputs, and a regularized, masked, weighted fit step matches too.
import '../../webgpu/test/node-gpu.js';
import { registerWebGPU } from '@webdl/webgpu';
import { setBackend, tensor, type Tensor } from '@webdl/core';
import { describe, expect, it } from 'vitest';
import type { Layer } from '../src/engine/layer.js';
import { Sequential, layers, optimizers } from '../src/index.js';

registerWebGPU();

type Case = [string, () => Layer, number[][]];

async function run(
  backend: 'cpu' | 'webgpu',
  make: () => Layer,
  shapes: number[][],
  weights: number[][] | null,
) {
  await setBackend(backend);
  const xs = shapes.map((s, i) => tensor(makeValues(s, i), s));
  const layer = make();
  const input = xs.length === 1 ? xs[0] : xs;
  layer.apply(input);
  if (weights) layer.setWeights(weights.map((w, i) => tensor(w, [...layer.weights[i].shape])));
  const y = layer.apply(input) as Tensor;
  const out = {
    y: Array.from(await y.data()),
    shape: [...y.shape],
    weights: await Promise.all(layer.weights.map(async (w) => Array.from(await w.data()))),
  };
  layer.dispose();
  return out;
}

/** Deterministic inputs, the same on both backends. */
function makeValues(shape: number[], i: number): Float32Array {
  return Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, k) => Math.sin(k * 1.7 + i) * 2);
}

const cases: Case[] = [
  ['ReLU', () => new layers.ReLU({ maxValue: 1, negativeSlope: 0.1, threshold: 0.2 }), [[2, 5]]],
  ['PReLU', () => new layers.PReLU({ alphaInitializer: 'glorotUniform' }), [[2, 3, 4]]],
  ['Softmax', () => new layers.Softmax({ axis: [1, 2] }), [[2, 3, 4]]],
  [
    'SeparableConv2D',
    () => new layers.SeparableConv2D(3, 3, { depthMultiplier: 2, padding: 'same' }),
    [[1, 5, 5, 2]],
  ],
  ['Conv2D groups', () => new layers.Conv2D(4, 3, { groups: 2 }), [[1, 5, 5, 4]]],
  ['MaxPooling1D', () => new layers.MaxPooling1D(2), [[2, 7, 3]]],
  ['GlobalMaxPooling2D', () => new layers.GlobalMaxPooling2D(), [[2, 3, 4, 2]]],
  [
    'Cropping2D',
    () =>
      new layers.Cropping2D({
        cropping: [
          [1, 0],
          [0, 1],
        ],
      }),
    [[1, 4, 4, 2]],
  ],
  [
    'Dot',
    () => new layers.Dot([2, 2], { normalize: true }),
    [
      [2, 3, 4],
      [2, 5, 4],
    ],
  ],
  ['GroupNormalization', () => new layers.GroupNormalization({ groups: 2 }), [[2, 3, 3, 4]]],
  ['Resizing', () => new layers.Resizing(3, 5), [[1, 4, 6, 2]]],
  ['TimeDistributed', () => new layers.TimeDistributed(new layers.Dense(3)), [[2, 4, 5]]],
];

describe('newer zoo layers on webgpu equal the cpu reference', () => {
  for (const [label, make, shapes] of cases) {
    it(label, async () => {
      const cpu = await run('cpu', make, shapes, null);
      const gpu = await run('webgpu', make, shapes, cpu.weights);
      expect(gpu.shape).toEqual(cpu.shape);
      const err = Math.max(...cpu.y.map((v, i) => Math.abs(v - gpu.y[i])));
      expect(err, `${label}: max abs error`).toBeLessThan(1e-4);
    });
  }

  it('a fit step with Masking, LSTM, an L2 penalty, a constraint and sample weights', async () => {
    const step = async (backend: 'cpu' | 'webgpu') => {
      await setBackend(backend);
      const model = new Sequential([
        new layers.Masking({ inputShape: [3, 2] }),
        new layers.LSTM(3, {
          kernelRegularizer: 'l2',
          kernelInitializer: 'ones',
          recurrentInitializer: 'zeros',
        }),
        new layers.Dense(1, { kernelConstraint: 'non_neg', kernelInitializer: 'ones' }),
      ]);
      model.compile({ optimizer: new optimizers.SGD({ learningRate: 0.1 }), loss: 'mse' });
      const x = tensor([
        [
          [1, 2],
          [0, 0],
          [0.5, -1],
        ],
        [
          [0.3, 0.3],
          [1, 1],
          [0, 0],
        ],
      ]);
      const h = await model.fit(x, tensor([[1], [-1]]), {
        sampleWeight: tensor([1, 3]),
        shuffle: false,
        verbose: 0,
      });
      const w = await Promise.all(model.weights.map(async (v) => Array.from(await v.data())));
      model.dispose();
      return { loss: h.history.loss[0], w: w.flat() };
    };
    const cpu = await step('cpu');
    const gpu = await step('webgpu');
    expect(gpu.loss).toBeCloseTo(cpu.loss, 4);
    gpu.w.forEach((v, i) => expect(v).toBeCloseTo(cpu.w[i], 4));
  });
  it('a stateful LSTM carries its states through fit (compiled steps on webgpu) as on cpu', async () => {
    const losses = async (backend: 'cpu' | 'webgpu') => {
      await setBackend(backend);
      const model = new Sequential([
        new layers.LSTM(2, {
          stateful: true,
          batchInputShape: [1, 2, 1],
          kernelInitializer: 'ones',
          recurrentInitializer: 'ones',
        }),
        new layers.Dense(1, { kernelInitializer: 'ones' }),
      ]);
      model.compile({ optimizer: new optimizers.SGD({ learningRate: 0.01 }), loss: 'mse' });
      const x = tensor([
        [[1], [1]],
        [[1], [1]],
        [[1], [1]],
      ]);
      const h = await model.fit(x, tensor([[0], [0], [0]]), {
        batchSize: 1,
        shuffle: false,
        epochs: 2,
        verbose: 0,
      });
      model.dispose();
      return h.history.loss;
    };
    const cpu = await losses('cpu');
    const gpu = await losses('webgpu');
    // The second epoch starts from the carried states, so its loss differs from the first.
    expect(Math.abs(cpu[1] - cpu[0])).toBeGreaterThan(1e-3);
    gpu.forEach((v, i) => expect(v).toBeCloseTo(cpu[i], 4));
  });
});
