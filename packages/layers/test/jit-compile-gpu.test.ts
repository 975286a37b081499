// compile({ jitCompile }) on WebGPU (Dawn in Node): the default 'auto' vs false (suite: jit-compile-suite.ts).
import '../../webgpu/test/node-gpu.js';
import { registerWebGPU } from '@webdl/webgpu';
import { jitCompileSuite } from './jit-compile-suite.js';

registerWebGPU();
jitCompileSuite('webgpu', 'auto');
