// compile({ jitCompile }) on the CPU backend: jitCompile true vs false (suite: jit-compile-suite.ts).
import { jitCompileSuite } from './jit-compile-suite.js';

jitCompileSuite('cpu', true);
