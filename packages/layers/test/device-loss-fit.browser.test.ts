// fit survives a WebGPU device loss in headless Chromium: the shared suite in device-loss-fit-suite.ts.
import { registerWebGPU } from '@webdl/webgpu';
import { deviceLossFitSuite } from './device-loss-fit-suite.js';

registerWebGPU();
deviceLossFitSuite('headless Chromium');
