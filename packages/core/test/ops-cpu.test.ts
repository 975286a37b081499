// Runs the backend-agnostic op suite on the CPU reference backend.
import { describeOpSuite } from './suites/ops.js';

describeOpSuite('cpu');
