// Core's backend-agnostic suites (ops, gradients, tape semantics, seed listings) run unchanged on WebGPU in Node.
import './node-gpu.js';
import { registerWebGPU } from '@webdl/webgpu';
import { describeOpSuite } from '../../core/test/suites/ops.js';
import { gradientSuite } from '../../core/test/suites/gradients.js';
import { autodiffSuite } from '../../core/test/suites/autodiff.js';
import { higherOrderSuite } from '../../core/test/suites/higher-order.js';
import { listingsSuite } from '../../core/test/suites/listings.js';

registerWebGPU();

describeOpSuite('webgpu');
gradientSuite('webgpu');
autodiffSuite('webgpu');
higherOrderSuite('webgpu');
listingsSuite('webgpu');
