// image.* on WebGPU in Node (Dawn; SwiftShader where there is no GPU) against TensorFlow.js and central differences.
import './node-gpu.js';
import '@webdl/webgpu';
import { imageSuite } from '../../core/test/suites/image.js';

imageSuite('webgpu', 1e-4);
