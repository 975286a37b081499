// GradientTape semantics and higher-order gradients on the CPU reference backend.
import { autodiffSuite } from './suites/autodiff.js';
import { higherOrderSuite } from './suites/higher-order.js';

autodiffSuite('cpu');
higherOrderSuite('cpu');
