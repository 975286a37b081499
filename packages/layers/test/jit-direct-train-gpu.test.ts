// The compiled train step without shadow runs vs eager on WebGPU (Dawn in Node; suite: jit-direct-train-suite.ts).
import '../../webgpu/test/node-gpu.js';
import { registerWebGPU } from '@webdl/webgpu';
import { jitDirectTrainSuite } from './jit-direct-train-suite.js';

registerWebGPU();
jitDirectTrainSuite('webgpu');
