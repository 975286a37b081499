// Numeric gradient checks of every differentiable op on the CPU reference backend.
import { gradientSuite } from './suites/gradients.js';

gradientSuite('cpu');
