// image.* on the CPU reference backend against TensorFlow.js and float64 central differences.
import { imageSuite } from './suites/image.js';

imageSuite('cpu');
