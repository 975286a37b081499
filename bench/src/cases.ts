// The benchmark cases' shared inputs, and how each case's runner is built and its output checked.
import { matmulSize } from '../report.mjs';
import { checkChain, checkConv, checkLoss, checkMatmul, CONV, trainBatch, uniform } from './data.ts';
import type { CaseId, F32, Library, Runner } from './types.ts';

/** Shared inputs, generated once so every library sees the same values. */
export function makeInputs() {
  const cache = new Map<number, { a: F32; b: F32 }>();
  const matmul = (n: number) => {
    if (!cache.has(n)) cache.set(n, { a: uniform(n * n, n + 1), b: uniform(n * n, n + 2) });
    return cache.get(n) as { a: F32; b: F32 };
  };
  const conv = {
    x: uniform(CONV.n * CONV.h * CONV.w * CONV.cin, 31),
    w: uniform(CONV.k * CONV.k * CONV.cin * CONV.cout, 32, -0.1, 0.1),
  };
  const chainSize = 1 << 20;
  const chain = [41, 42, 43, 44].map((seed) => uniform(chainSize, seed));
  // The MLP step uses batch 128 (issue 5); the CNN step batch 64, to keep its run time on SwiftShader sane.
  const mlpBatch = trainBatch(128, 51);
  const cnnBatch = trainBatch(64, 52);
  return { matmul, conv, chain, mlpBatch, cnnBatch };
}

export type Inputs = ReturnType<typeof makeInputs>;

/** A built runner and the reference check of what it reads back (null: correct, else what is wrong). */
export interface Built {
  runner: Runner;
  check: (out: F32 | number) => string | null;
}

/** Builds the runner of `id` for `lib` and the reference check of its output. */
export async function prepare(lib: Library, id: CaseId, inputs: Inputs): Promise<Built> {
  const asArray = (out: F32 | number, runner: Runner): F32 => {
    if (typeof out === 'number') throw new Error('expected an array output');
    return runner.canonical ? runner.canonical(out) : out;
  };
  switch (id) {
    case 'firstMatmul1024':
    case 'matmul256':
    case 'matmul512':
    case 'matmul1024': {
      const n = matmulSize(id) || 1024;
      const { a, b } = inputs.matmul(n);
      const runner = await lib.matmul(n, a, b);
      return { runner, check: (out) => checkMatmul(n, a, b, asArray(out, runner)) };
    }
    case 'conv2d': {
      const runner = await lib.conv2d(inputs.conv.x, inputs.conv.w);
      return { runner, check: (out) => checkConv(inputs.conv.x, inputs.conv.w, asArray(out, runner)) };
    }
    case 'chain': {
      const [x, a, b, c] = inputs.chain;
      const runner = await lib.chain(x, a, b, c);
      return { runner, check: (out) => checkChain(x, a, b, c, asArray(out, runner)) };
    }
    case 'chainJit': {
      const [x, a, b, c] = inputs.chain;
      if (!lib.chainJit) throw new Error('no jit');
      const runner = await lib.chainJit(x, a, b, c);
      return { runner, check: (out) => checkChain(x, a, b, c, asArray(out, runner)) };
    }
    case 'mlpStep':
    case 'cnnStep':
    case 'mlpStepJit':
    case 'cnnStepJit':
    case 'firstMlpStepJit': {
      const jitted = id !== 'mlpStep' && id !== 'cnnStep';
      const runner = await (id === 'cnnStep' || id === 'cnnStepJit'
        ? lib.cnnStep(inputs.cnnBatch, jitted)
        : lib.mlpStep(inputs.mlpBatch, jitted));
      return {
        runner,
        check: (out) => (typeof out === 'number' ? checkLoss(out) : 'expected a loss'),
      };
    }
  }
}
