// jitted training steps vs eager on the CPU backend (the suite is in jit-training-suite.ts).
import { jitTrainingSuite } from './jit-training-suite.js';

jitTrainingSuite('cpu');
