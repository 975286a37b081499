// image.* on WebGPU in Node (Dawn; SwiftShader where there is no GPU) against TensorFlow.js and central differences.
import './node-gpu.js';
import { registerWebGPU } from '@webdl/webgpu';
import { imageGradSuite } from '../../core/test/suites/image-grad.js';
import { imageSuite } from '../../core/test/suites/image.js';

registerWebGPU();

imageSuite('webgpu', 1e-4);
imageGradSuite('webgpu');
