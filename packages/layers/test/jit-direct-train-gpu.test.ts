// The compiled train step without shadow runs vs eager on WebGPU (Dawn in Node; suite: jit-direct-train-suite.ts),
// also within 8 storage bindings per kernel (WebGPU's default limit; Chromium's SwiftShader adapter allows 10),
// where Adam's fused update fits only because its host scalars are read from kernel parameters.
import '../../webgpu/test/node-gpu.js';
import { ENGINE, setBackend } from '@webdl/core';
import { registerWebGPU } from '@webdl/webgpu';
import { afterAll, beforeAll, describe } from 'vitest';
import { jitDirectTrainSuite } from './jit-direct-train-suite.js';

registerWebGPU();
jitDirectTrainSuite('webgpu');

describe('within 8 storage bindings', () => {
  beforeAll(async () => {
    await setBackend('webgpu');
    Object.defineProperty(ENGINE.backend, 'maxStorageBindings', { value: 8, configurable: true });
  });
  afterAll(() => {
    delete (ENGINE.backend as { maxStorageBindings?: number }).maxStorageBindings;
  });
  jitDirectTrainSuite('webgpu');
});
