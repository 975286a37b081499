// image.* on the CPU reference backend against TensorFlow.js and float64 central differences.
import { imageGradSuite } from './suites/image-grad.js';
import { imageSuite } from './suites/image.js';

imageSuite('cpu');
imageGradSuite('cpu');
