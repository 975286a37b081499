// jitted training steps vs eager on WebGPU (Dawn in Node).
import '../../webgpu/test/node-gpu.js';
import { registerWebGPU } from '@webdl/webgpu';
import { jitTrainingSuite } from './jit-training-suite.js';

registerWebGPU();
jitTrainingSuite('webgpu');
