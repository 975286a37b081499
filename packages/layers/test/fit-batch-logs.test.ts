// fit's per-batch logs read one step behind, on the CPU backend: correctness (values read back as float32) (suite: fit-batch-logs-suite.ts).
import { setBackend } from '@webdl/core';
import { beforeAll } from 'vitest';
import { fitBatchLogsSuite } from './fit-batch-logs-suite.js';

beforeAll(() => setBackend('cpu'));
fitBatchLogsSuite('cpu', 1e-6);
