// Shared by the jit pass suites: a CPU backend that asks jit to fuse, tracing a function into a
// graph, the values jit keeps, and the op name of each step.
import { CpuBackend, ENGINE, tidy, type Tensor } from '../src/index.js';
import type { Graph } from '../src/jit/graph.js';
import type { ExecStep } from '../src/jit/passes/plan.js';
import { TraceRecorder } from '../src/jit/trace.js';

/** The CPU reference backend, asking jit for fusion: fused steps replay as their parts. */
export class FusingCpu extends CpuBackend {
  readonly fusesElementwise = true;
}

/** The graph jit traces from `fn(...args)`. */
export function trace(fn: (...xs: Tensor[]) => Tensor | Tensor[], ...args: Tensor[]): Graph {
  const rec = new TraceRecorder();
  ENGINE.recorder = rec;
  try {
    const out = tidy(() => fn(...args));
    return rec.finish(Array.isArray(out) ? out : [out]);
  } finally {
    ENGINE.recorder = null;
  }
}

/** The graph's results. */
export const outputsOf = (g: Graph) => new Set(g.outputs.filter((v) => v >= 0));

/** The values jit keeps: results and Variable writes. */
export const keptOf = (g: Graph) =>
  new Set([...g.outputs, ...g.writes.map((w) => w.ref)].filter((v) => v >= 0));

/** Each step's op: its kind, a primitive's name, or 'const'. */
export const stepOps = (steps: readonly ExecStep[]) =>
  steps.map((s) => (s.op !== 'node' ? s.op : s.node.op === 'prim' ? s.node.prim : 'const'));
