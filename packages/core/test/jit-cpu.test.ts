// jit vs eager on the CPU reference backend, table-driven from the registry.
import { jitEquivalenceSuite } from './suites/jit-equivalence.js';

jitEquivalenceSuite('cpu');
