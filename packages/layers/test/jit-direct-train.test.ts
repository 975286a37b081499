// The compiled train step without shadow runs vs eager on the CPU backend (suite: jit-direct-train-suite.ts).
import { jitDirectTrainSuite } from './jit-direct-train-suite.js';

jitDirectTrainSuite('cpu');
