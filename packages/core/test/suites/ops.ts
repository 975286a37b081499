// The backend-agnostic op suite: `describeOpSuite('cpu')` here, `describeOpSuite('webgpu')` in the
// WebGPU package. Every op of the public API against closed forms or naive reference loops.
import { beforeAll, describe, expect, it } from 'vitest';
import * as dl from '@webdl/core';
import { describeElementwise } from './elementwise.js';
import { describeCastWhereIeee } from './cast-where-ieee.js';
import { describeReduceShape } from './reduce-shape.js';
import { describeLinalgNn } from './linalg-nn.js';
import { describeCreation } from './creation.js';
import { describeErrors } from './errors.js';
import { describeProperties } from './properties.js';

// Ops of api.md that take a tensor first, so they must also exist as chainable methods.
const UNARY_METHODS = [
  'neg',
  'abs',
  'sign',
  'exp',
  'log',
  'log1p',
  'sqrt',
  'rsqrt',
  'square',
  'reciprocal',
  'sin',
  'cos',
  'tanh',
  'sigmoid',
  'relu',
  'relu6',
  'leakyRelu',
  'elu',
  'selu',
  'gelu',
  'softplus',
  'softsign',
  'silu',
  'floor',
  'ceil',
  'round',
  'logicalNot',
  'sum',
  'mean',
  'max',
  'min',
  'prod',
  'argMax',
  'argMin',
  'logSumExp',
  'transpose',
  'expandDims',
  'squeeze',
  'flatten',
  'softmax',
  'logSoftmax',
] as const;
const OTHER_METHODS = [
  'add',
  'sub',
  'mul',
  'div',
  'pow',
  'maximum',
  'minimum',
  'equal',
  'notEqual',
  'greater',
  'greaterEqual',
  'less',
  'lessEqual',
  'logicalAnd',
  'logicalOr',
  'clipByValue',
  'cast',
  'moments',
  'reshape',
  'split',
  'slice',
  'gather',
  'pad',
  'tile',
  'broadcastTo',
  'matmul',
  'dot',
  'conv1d',
  'conv2d',
  'conv2dTranspose',
  'depthwiseConv2d',
  'maxPool',
  'avgPool',
  'dropout',
] as const;

/** Registers every op test to run on the named backend (set in beforeAll). */
export function describeOpSuite(backend: string): void {
  describe(`ops on ${backend}`, () => {
    beforeAll(async () => {
      await dl.setBackend(backend);
    });

    it('the backend is selected and new tensors live on it', async () => {
      await dl.ready();
      expect(dl.getBackend()).toBe(backend);
      expect(dl.scalar(1).toString()).toBe(`Tensor float32 [] on ${backend}`);
    });

    it('every op taking a tensor first is also a method, and the method equals the function', async () => {
      for (const name of [...UNARY_METHODS, ...OTHER_METHODS])
        expect(typeof dl.Tensor.prototype[name], name).toBe('function');
      const x = dl.tensor([
        [0.5, -1, 2],
        [3, -0.25, 1],
      ]);
      for (const name of UNARY_METHODS) {
        const fn = dl[name] as (t: dl.Tensor) => dl.Tensor;
        const byMethod = (x[name] as () => dl.Tensor).call(name === 'logicalNot' ? x.cast('bool') : x);
        const byFunction = fn(name === 'logicalNot' ? x.cast('bool') : x);
        expect(Array.from(await byMethod.data()), name).toEqual(Array.from(await byFunction.data()));
      }
    });

    describeElementwise();
    describeCastWhereIeee();
    describeReduceShape();
    describeLinalgNn();
    describeCreation();
    describeErrors();
    describeProperties();
  });
}
