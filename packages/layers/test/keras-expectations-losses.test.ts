// "Keras user expectations" for labels and custom loops: label ranges and shapes, null gradients, empty tapes.
import { GradientTape, setBackend, tensor, variable } from '@webdl/core';
import { beforeAll, describe, expect } from 'vitest';
import { Sequential, layers, losses, optimizers } from '../src/index.js';
import { runExpectations, type Expectation } from './keras-expectations-harness.js';

beforeAll(async () => {
  await setBackend('cpu');
});

function classifier(loss: string, units = 3): Sequential {
  const m = new Sequential([
    new layers.Dense(units, {
      inputShape: [2],
      activation: units === 1 ? 'sigmoid' : 'softmax',
      kernelInitializer: 'zeros',
    }),
  ]);
  m.compile({ optimizer: 'sgd', loss });
  return m;
}

/** Item 1: sparse labels outside the output's classes are errors, not numbers. */
const labelRange: Expectation[] = [
  {
    call: 'evaluate with labels [0, 5] on a 3-class softmax (sparse_categorical_crossentropy)',
    run: () =>
      classifier('sparse_categorical_crossentropy').evaluate(
        tensor([
          [1, 2],
          [3, 4],
        ]),
        tensor([0, 5], [2], 'int32'),
      ),
    throws: 'sparseCategoricalCrossentropy: label value outside the 3 classes: index 5 out of range [0, 3)',
  },
  {
    call: 'losses.sparseCategoricalCrossentropy([-1], [[0.5, 0.5]])',
    run: () => losses.sparseCategoricalCrossentropy(tensor([-1], [1], 'int32'), tensor([[0.5, 0.5]])),
    throws: 'index -1 out of range [0, 2)',
  },
  {
    call: 'labels [0, 2] on 3 classes still give ln 3',
    run: () =>
      classifier('sparse_categorical_crossentropy').evaluate(
        tensor([
          [1, 2],
          [3, 4],
        ]),
        tensor([0, 2], [2], 'int32'),
      ),
    expect: expect.closeTo(Math.log(3), 6),
  },
];

/** Item 2: label shapes as Keras takes them. */
const labelShapes: Expectation[] = [
  {
    call: 'binary_crossentropy: y [4] for a [4,1] sigmoid output',
    // Zero kernel and bias: every prediction is 0.5, so the loss is ln 2 whatever the labels.
    run: () =>
      classifier('binary_crossentropy', 1).evaluate(
        tensor([
          [1, 2],
          [3, 4],
          [5, 6],
          [7, 8],
        ]),
        tensor([0, 1, 1, 0]),
      ),
    expect: expect.closeTo(Math.LN2, 6),
  },
  {
    call: 'mse: y [2] for a [2,1] output',
    run: () => losses.meanSquaredError(tensor([1, 3]), tensor([[0], [1]])).array(),
    expect: [1, 4],
  },
  {
    call: 'categorical_crossentropy with integer labels [2] for a [2,3] output',
    run: () =>
      classifier('categorical_crossentropy').evaluate(
        tensor([
          [1, 2],
          [3, 4],
        ]),
        tensor([0, 2], [2], 'int32'),
      ),
    throws:
      /categoricalCrossentropy: .*yTrue \[2\] and yPred \[2,3\]; for integer class labels use 'sparse_categorical_crossentropy'/,
  },
];

/** Item 8: custom training loops get Keras's help. */
const customLoops: Expectation[] = [
  {
    call: 'optimizer.applyGradients([null, null], [w, b]) throws and does not advance iterations',
    run: () => {
      const opt = new optimizers.SGD();
      const w = variable(tensor([1]), { name: 'w' });
      const b = variable(tensor([2]), { name: 'b' });
      try {
        opt.applyGradients([null, null], [w, b]);
      } catch (e) {
        return [(e as Error).message, opt.iterations];
      }
      return 'no error';
    },
    expect: [expect.stringContaining("No gradients provided for any variable: ['w', 'b']"), 0],
  },
  {
    call: 'optimizer.applyGradients([g, null], [w, b]) warns once, updates w only',
    run: async () => {
      const opt = new optimizers.SGD({ learningRate: 1 });
      const w = variable(tensor([1]), { name: 'w2' });
      const b = variable(tensor([2]), { name: 'b2' });
      opt.applyGradients([tensor([0.5]), null], [w, b]);
      opt.applyGradients([tensor([0.5]), null], [w, b]);
      return [...(await w.data()), ...(await b.data()), opt.iterations];
    },
    expect: [0, 2, 2],
    warns: ["Gradients do not exist for variables ['b2']"],
  },
  {
    call: 'tape.gradient(y, w) where y was computed outside record',
    run: () => {
      const w = variable(tensor([3]));
      const y = w.square();
      const tape = new GradientTape();
      tape.record(() => null);
      return tape.gradient(y, w);
    },
    expect: null,
    warns: ['GradientTape.gradient: the tape recorded no ops'],
  },
];

describe('Keras user expectations (labels and custom loops)', () => {
  describe('item 1: sparse label range', () => runExpectations(labelRange));
  describe('item 2: label shapes', () => runExpectations(labelShapes));
  describe('item 8: custom loops', () => runExpectations(customLoops));
});
