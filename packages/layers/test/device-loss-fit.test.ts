// fit survives a WebGPU device loss in Node (Dawn): the shared suite in device-loss-fit-suite.ts.
import '../../webgpu/test/node-gpu.js';
import { registerWebGPU } from '@webdl/webgpu';
import { deviceLossFitSuite } from './device-loss-fit-suite.js';

registerWebGPU();
deviceLossFitSuite('Node, Dawn');
