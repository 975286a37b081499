// Every op case on WebGPU in Node (Dawn; SwiftShader where there is no GPU) against the CPU reference.
import './node-gpu.js';
import { registerWebGPU } from '@webdl/webgpu';
import { describeAllCases } from './run-cases.js';

registerWebGPU();

describeAllCases();
