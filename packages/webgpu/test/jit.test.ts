// jit vs eager on WebGPU (Dawn in Node), table-driven from the registry, and jit behaviour there.
import './node-gpu.js';
import { registerWebGPU } from '@webdl/webgpu';
import { jitEquivalenceSuite } from '../../core/test/suites/jit-equivalence.js';

registerWebGPU();
jitEquivalenceSuite('webgpu');
