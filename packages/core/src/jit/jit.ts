// jit(fn): traces fn once per input signature into a graph of primitives and replays it on later
// calls. fn's JavaScript still runs on every call, but without computing (a shadow run): that
// picks up host numbers that change per step (Adam's step size, a schedule's rate, random seeds)
// and host state (optimizer.iterations), and checks that fn still does what was traced. With
// `direct`, once a shadow run verified the trace, calls skip fn (direct.ts).
import type { Backend } from '../backend.js';
import { ENGINE } from '../engine.js';
import { Tensor } from '../tensor.js';
import { Placeholder, useCounts, type Graph } from './graph.js';
import { compiledState, freeCompiled, runCompiled, type Compiled } from './recorded.js';
import { AbstractTraceRecorder } from './abstract.js';
import { argTensors, directCall, planDirect, type DirectPlan } from './direct.js';
import { ShadowRecorder } from './shadow.js';
import { TraceRecorder } from './trace.js';
import { eliminateDeadCode } from './passes/dce.js';
import { fuse } from './passes/fuse.js';
import { planLiveness } from './passes/liveness.js';
import { asSteps } from './passes/plan.js';

/**
 * Options of `jit`.
 *
 * ```ts
 * const options: JitOptions = { maxTraces: 2, name: 'trainStep' };
 * const f = jit((x: Tensor) => x.square(), options);
 * ```
 */
export interface JitOptions {
  /** Traces kept per function (one per input signature), least recently used dropped first. Default 8. */
  maxTraces?: number;
  /** Name used in warnings (default fn.name). */
  name?: string;
  /**
   * Skip fn's JavaScript on replays (default false). After the first replay of a trace ran fn as
   * a shadow run and matched, later calls run only the compiled graph: external tensors are the
   * call's arguments and the tensors fn read at trace time (Variables are read at each call, so
   * writes from outside are seen), host numbers are re-read only where fn declared them with
   * `hostScalar`, and host side effects re-run only where declared with `hostEffect`. Anything
   * else fn computes on the host is fixed at trace time (as in tf.function): only for functions
   * whose ops and host numbers follow from their arguments and declared state. Traces with a
   * result other than one computed tensor, other kept tensors or random ops, or with an
   * undeclared constant that changed, keep shadow runs.
   */
  direct?: boolean;
  /**
   * Trace without computing (default false): the first call for a signature runs fn as a shadow
   * run does, building the graph, then runs the compiled graph, so no call runs eagerly. fn must
   * not read tensor values (it cannot inside jit anyway: reads are asynchronous).
   */
  abstractTrace?: boolean;
}

/**
 * A jitted function: call it as fn; `dispose()` frees its compiled graphs.
 *
 * ```ts
 * const step: JitFunction<[Tensor], Tensor> = jit((x: Tensor) => x.mul(2).add(1));
 * step(tensor([1, 2])); // [3, 5]
 * step.dispose();
 * ```
 */
export interface JitFunction<A extends unknown[], R> {
  (...args: A): R;
  /** Frees the constants and compiled state of every trace. */
  dispose(): void;
  /** How many times fn has been traced (first calls, new signatures and retraces). */
  readonly traceCount: number;
  /** How many calls ran the compiled graph (replays, and first calls traced with `abstractTrace`). */
  readonly compiledCount: number;
}

const RETRACE_WARN_AFTER = 5;

const objectIds = new WeakMap<object, number>();
let nextObjectId = 0;

/** The signature of a call: tensor shapes and dtypes, values of other arguments, identity of objects. */
function signature(value: unknown, depth = 0): string {
  if (value instanceof Tensor) return `T${value.dtype}[${value.shape.join(',')}]`;
  if (value === null || typeof value !== 'object') {
    return typeof value === 'function' ? `f${idOf(value)}` : (JSON.stringify(value) ?? String(value));
  }
  if (depth < 4 && Array.isArray(value)) return `[${value.map((v) => signature(v, depth + 1)).join(',')}]`;
  if (depth < 4 && Object.getPrototypeOf(value) === Object.prototype) {
    return `{${Object.entries(value)
      .map(([k, v]) => `${k}:${signature(v, depth + 1)}`)
      .join(',')}}`;
  }
  return `o${idOf(value)}`;
}

function idOf(o: object): number {
  let id = objectIds.get(o);
  if (id === undefined) objectIds.set(o, (id = nextObjectId++));
  return id;
}

/** The tensors of fn's result (a tensor, an array or an object of them, or nothing). */
function resultTensors(name: string, result: unknown): Tensor[] {
  if (result === undefined || result === null) return [];
  if (result instanceof Tensor) return [result];
  const items = Array.isArray(result)
    ? result
    : typeof result === 'object' && Object.getPrototypeOf(result) === Object.prototype
      ? Object.values(result)
      : [result];
  const bad = items.find((t) => !(t instanceof Tensor));
  if (bad !== undefined || result instanceof Promise)
    throw new Error(
      `jit: '${name}' must return a Tensor, an array or object of Tensors, or nothing (it returned ${result instanceof Promise ? 'a Promise' : String(bad)})`,
    );
  return items as Tensor[];
}

function prepare(graph: Graph, backend: Backend): Compiled {
  const placeholders = graph.valueSigs.map((_, v) => {
    const p = new Placeholder(v);
    ENGINE.virtual.add(p);
    return p;
  });
  const uses = useCounts(graph);
  const kept = new Set(
    [...graph.escapes, ...graph.outputs, ...graph.writes.map((w) => w.ref)].filter((v) => v >= 0),
  );
  let steps = eliminateDeadCode(asSteps(graph.nodes), kept);
  if (backend.fusesElementwise)
    steps = fuse(steps, graph.valueSigs, kept, backend.maxStorageBindings, backend.paramScalars);
  const prep = {
    graph,
    steps,
    freeAfter: planLiveness(steps, kept),
    dead: uses.map((n, v) => n === 0 && !kept.has(v)),
    placeholders,
  };
  return compiledState(prep, backend);
}

/**
 * Compiles `fn`: the first call for each input signature (shapes and dtypes of tensor arguments,
 * values of the others) traces it into a graph of primitives, later calls replay the graph. Inside
 * fn, Variables may be read and assigned, GradientTape and optimizer.applyGradients work, and
 * random ops draw fresh values on every call. Results are ordinary tensors.
 *
 * ```ts
 * const step = jit((x: Tensor, y: Tensor) => x.mul(y).add(1).relu());
 * const z = step(a, b); // traced
 * step(a, b);           // replayed
 * ```
 */
export function jit<A extends unknown[], R>(
  fn: (...args: A) => R,
  options: JitOptions = {},
): JitFunction<A, R> {
  const name = options.name ?? (fn.name || 'fn');
  const maxTraces = options.maxTraces ?? 8;
  const cache = new Map<string, Compiled>();
  /** Per trace: its external tensors and arguments, then its direct plan once verified (null: none). */
  const directs = new Map<Compiled, { extTensors: Tensor[]; args: Tensor[]; plan?: DirectPlan | null }>();
  let traceCount = 0;
  let compiledCount = 0;
  let tracedInARow = 0;
  let warned = false;

  const drop = (c: Compiled) => {
    freeCompiled(c);
    directs.delete(c);
  };

  const store = (
    key: string,
    graph: Graph,
    backend: Backend,
    rec: { extTensors: Tensor[] },
    args: A,
  ): Compiled => {
    const old = cache.get(key);
    if (old) drop(old);
    cache.delete(key);
    const c = prepare(graph, backend);
    cache.set(key, c);
    if (options.direct) directs.set(c, { extTensors: [...rec.extTensors], args: argTensors(args) });
    while (cache.size > maxTraces) {
      const [k, old] = cache.entries().next().value as [string, Compiled];
      drop(old);
      cache.delete(k);
    }
    return c;
  };

  const noteTrace = (key: string) => {
    traceCount++;
    tracedInARow++;
    if (tracedInARow >= RETRACE_WARN_AFTER && !warned) {
      warned = true;
      console.warn(
        `jit: '${name}' was traced on each of its last ${tracedInARow} calls (last signature ${key}); pass changing numbers as tensors, and keep the ops fn runs the same from call to call`,
      );
    }
  };

  /** Runs fn under `rec`, a shadow or abstract recorder; if fn throws, stand-ins get their storage back. */
  const runRecording = (rec: ShadowRecorder, args: A): R => {
    ENGINE.recorder = rec;
    try {
      return ENGINE.tidy(() => fn(...args));
    } catch (e) {
      if (!rec.fallen) rec.restore();
      throw e;
    } finally {
      ENGINE.recorder = null;
    }
  };

  /** The first call of a signature with `abstractTrace`: builds the graph, then runs it compiled. */
  const traceAbstract = (key: string, backend: Backend, args: A): R => {
    const rec = new AbstractTraceRecorder(backend);
    const result = runRecording(rec, args);
    const outputs = resultTensors(name, result);
    const fallen = rec.fallen;
    const c = store(
      key,
      fallen ? fallen.finish(outputs) : rec.graphOf(outputs),
      backend,
      fallen ?? rec,
      args,
    );
    noteTrace(key);
    if (fallen) return result;
    runCompiled(c, rec, outputs);
    compiledCount++;
    return result;
  };

  const trace = (key: string, backend: Backend, args: A): R => {
    if (options.abstractTrace) return traceAbstract(key, backend, args);
    const rec = new TraceRecorder();
    ENGINE.recorder = rec;
    let result: R;
    try {
      result = ENGINE.tidy(() => fn(...args));
    } finally {
      ENGINE.recorder = null;
    }
    store(key, rec.finish(resultTensors(name, result)), backend, rec, args);
    noteTrace(key);
    return result;
  };

  const shadow = (key: string, c: Compiled, args: A): R => {
    const rec = new ShadowRecorder(c, c.backend);
    const result = runRecording(rec, args);
    let outputs = resultTensors(name, result);
    if (!rec.fallen && !rec.matched(outputs)) {
      ENGINE.recorder = rec;
      try {
        rec.diverge();
      } finally {
        ENGINE.recorder = null;
      }
      outputs = resultTensors(name, result);
    }
    if (rec.fallen) {
      store(key, rec.fallen.finish(outputs), c.backend, rec.fallen, args);
      noteTrace(key);
      return result;
    }
    tracedInARow = 0;
    runCompiled(c, rec, outputs);
    compiledCount++;
    const d = directs.get(c);
    if (d && d.plan === undefined) d.plan = planDirect(c, d, rec, argTensors(args), result);
    return result;
  };

  /** Runs the compiled graph without fn; null (having run nothing) when this call cannot. */
  const direct = (c: Compiled, args: A): { result: R } | null => {
    const d = directs.get(c);
    // A tape recording around the call must see fn's ops.
    if (!d?.plan || ENGINE.taping) return null;
    const call = directCall(c, d.plan, argTensors(args));
    // Planned again after the next shadow run (a captured tensor may have been replaced).
    if (!call) d.plan = undefined;
    if (!call) return null;
    tracedInARow = 0;
    runCompiled(c, call, []);
    compiledCount++;
    return { result: call.result as R };
  };

  const jitted = (...args: A): R => {
    // Inside another trace, fn is simply part of it.
    if (ENGINE.recorder) return fn(...args);
    const backend = ENGINE.backend;
    const key = `${backend.name}|${args.map((a) => signature(a)).join('|')}`;
    const c = cache.get(key);
    if (!c) return trace(key, backend, args);
    cache.delete(key);
    cache.set(key, c);
    const ran = direct(c, args);
    return ran ? ran.result : shadow(key, c, args);
  };

  Object.defineProperty(jitted, 'traceCount', { get: () => traceCount });
  Object.defineProperty(jitted, 'compiledCount', { get: () => compiledCount });
  return Object.assign(jitted, {
    dispose: () => {
      for (const c of cache.values()) drop(c);
      cache.clear();
    },
  }) as JitFunction<A, R>;
}
