// Keras-written fixtures on the cpu backend (the float64 reference).
import { kerasFixtureSuite } from './io-keras-suite.js';

kerasFixtureSuite('cpu');
