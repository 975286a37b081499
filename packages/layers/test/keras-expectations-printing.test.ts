// "Keras user expectations" for printing: console.log of tensors and symbolic tensors, None for unknown dimensions.
import { inspect } from 'node:util';
import { setBackend, tensor, zeros } from '@webdl/core';
import { beforeAll, describe } from 'vitest';
import { Input, layers } from '../src/index.js';
import { runExpectations, type Expectation } from './keras-expectations-harness.js';

beforeAll(async () => {
  await setBackend('cpu');
});

/** Item 13: what console.log prints. */
const printing: Expectation[] = [
  {
    call: 'console.log(tensor([[1, 2, 3], [4, 5, 6]])) in Node',
    run: () => {
      const text = inspect(
        tensor([
          [1, 2, 3],
          [4, 5, 6],
        ]),
      );
      return {
        head: text.split('\n')[0],
        values: /1.*2.*3[\s\S]*4.*5.*6/.test(text),
        internals: /_dataId|_backend/.test(text),
      };
    },
    expect: { head: 'Tensor float32 [2,3] on cpu', values: true, internals: false },
  },
  {
    call: 'console.log(zeros([200])) shows the header only (no flood of values)',
    run: () => inspect(zeros([200])),
    expect: 'Tensor float32 [200] on cpu',
  },
  {
    call: 'String(tensor) in browsers',
    run: () => String(tensor([1, 2], [2], 'int32')),
    expect: 'Tensor int32 [2] on cpu',
  },
  {
    call: 'console.log(new Input({ shape: [3] })) and String(...)',
    run: () => [
      inspect(new Input({ shape: [3], name: 'features' })),
      String(new Input({ shape: [null, 4], name: 'seq' })),
    ],
    expect: ['SymbolicTensor features [None,3]', 'SymbolicTensor seq [None,None,4]'],
  },
  {
    call: 'Dense on an input with an unknown last dimension',
    run: () => new layers.Dense(2).apply(new Input({ shape: [null] })),
    throws: /the last dimension of the input must be known, got \[None,None\]/,
  },
];

describe('Keras user expectations (printing)', () => {
  describe('item 13: printing tensors and shapes', () => runExpectations(printing));
});
