// Keras-written fixtures on WebGPU in Node (Dawn on SwiftShader where there is no GPU).
import '../../webgpu/test/node-gpu.js';
import { registerWebGPU } from '@webdl/webgpu';
import { kerasFixtureSuite } from './io-keras-suite.js';

registerWebGPU();

kerasFixtureSuite('webgpu');
