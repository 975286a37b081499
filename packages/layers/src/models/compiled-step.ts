// compile({ jitCompile }): the trainer's train, evaluate and predict steps, run through jit when
// compiled execution is on ('auto': where the backend fuses kernels, i.e. WebGPU), else eagerly.
import { ENGINE, jit, type JitFunction, type Tensor } from '@webdl/core';

/** compile's `jitCompile`: 'auto' (default, compiled on WebGPU), true (always), false (eager). */
export type JitCompile = 'auto' | boolean;

/** The trainer's per-batch steps (each runs inside the caller's tidy). */
export interface StepFns {
  /** One gradient step, updating the loss and metric trackers. */
  train(xs: Tensor[], ys: Tensor[]): void;
  /** trainOnBatch's step: resets the trackers, one gradient step, and the logs' values stacked. */
  trainLogs(xs: Tensor[], ys: Tensor[]): Tensor;
  /** Adds one batch to the loss and metric trackers (no training). */
  evaluate(xs: Tensor[], ys: Tensor[]): void;
  /** The model's outputs for one batch. */
  predict(xs: Tensor[]): Tensor[];
  /**
   * Creates what the first call would create (the model's weights), run before a step is traced:
   * weights initialized inside the trace would make the second call trace again.
   */
  prepare?(xs: Tensor[]): void;
  /**
   * The host state the train step's graph depends on beyond its batch (the trainable weights, the
   * optimizer's weight decay on or off): a new value traces the step again.
   */
  trainKey?(): string;
}

/**
 * How the compiled steps may replay: `direct` lets train and evaluate skip re-running their
 * JavaScript once a replay verified the trace (jit's `direct` option; for an optimizer whose
 * changing host numbers are declared host scalars).
 */
export interface StepReplay {
  direct: boolean;
}

/** The three steps jit compiles. */
type StepName = 'train' | 'evaluate' | 'predict';

/** The steps as the trainer calls them, and the release of their compiled graphs. */
export interface CompiledSteps extends StepFns {
  readonly mode: JitCompile;
  /** How many times each step has been traced so far (0 while eager). */
  traceCounts(): { [K in StepName]: number };
  /** How many calls of each step ran compiled so far (first calls included: they trace without computing). */
  compiledCounts(): { [K in StepName]: number };
  dispose(): void;
}

/** Checks compile's `jitCompile`, naming the option. */
export function checkJitCompile(value: unknown): JitCompile {
  if (value === undefined) return 'auto';
  if (value === 'auto' || value === true || value === false) return value;
  throw new Error(`compile: jitCompile must be 'auto', true or false, got ${JSON.stringify(value)}`);
}

/**
 * Wraps the eager steps: with jit on, each batch signature (shapes, so the last partial batch
 * too) is traced once and replayed after.
 *
 * ```ts
 * const steps = compiledSteps('auto', { train, evaluate, predict });
 * tidy(() => steps.train(xb, yb));
 * ```
 */
export function compiledSteps(
  mode: JitCompile,
  eager: StepFns,
  replay: StepReplay = { direct: false },
): CompiledSteps {
  const on = () => mode === true || (mode === 'auto' && ENGINE.backend.fusesElementwise === true);
  let jitted: {
    train: JitFunction<[Tensor[], Tensor[], string], void>;
    trainLogs: JitFunction<[Tensor[], Tensor[], string], Tensor>;
    evaluate: JitFunction<[Tensor[], Tensor[]], void>;
    predict: JitFunction<[Tensor[]], Tensor[]>;
  } | null = null;
  const compiledFns = () =>
    (jitted ??= {
      // The key argument is part of the signature only: a change of it traces again.
      // Traced without computing: the first call of each batch shape already runs compiled.
      train: jit((xs: Tensor[], ys: Tensor[], _key: string) => eager.train(xs, ys), {
        name: 'trainStep',
        direct: replay.direct,
        abstractTrace: true,
      }),
      trainLogs: jit((xs: Tensor[], ys: Tensor[], _key: string) => eager.trainLogs(xs, ys), {
        name: 'trainOnBatchStep',
        direct: replay.direct,
        abstractTrace: true,
      }),
      evaluate: jit(eager.evaluate, { name: 'evaluateStep', direct: replay.direct, abstractTrace: true }),
      predict: jit(eager.predict, { name: 'predictStep', abstractTrace: true }),
    });
  return {
    mode,
    train: (xs, ys) =>
      on()
        ? (eager.prepare?.(xs), compiledFns().train(xs, ys, eager.trainKey?.() ?? ''))
        : eager.train(xs, ys),
    trainLogs: (xs, ys) =>
      on()
        ? (eager.prepare?.(xs), compiledFns().trainLogs(xs, ys, eager.trainKey?.() ?? ''))
        : eager.trainLogs(xs, ys),
    evaluate: (xs, ys) =>
      on() ? (eager.prepare?.(xs), compiledFns().evaluate(xs, ys)) : eager.evaluate(xs, ys),
    predict: (xs) => (on() ? (eager.prepare?.(xs), compiledFns().predict(xs)) : eager.predict(xs)),
    traceCounts: () => ({
      // trainOnBatch's step (trainLogs) is a train step too.
      train: (jitted?.train.traceCount ?? 0) + (jitted?.trainLogs.traceCount ?? 0),
      evaluate: jitted?.evaluate.traceCount ?? 0,
      predict: jitted?.predict.traceCount ?? 0,
    }),
    compiledCounts: () => ({
      train: (jitted?.train.compiledCount ?? 0) + (jitted?.trainLogs.compiledCount ?? 0),
      evaluate: jitted?.evaluate.compiledCount ?? 0,
      predict: jitted?.predict.compiledCount ?? 0,
    }),
    dispose: () => {
      if (jitted) for (const f of Object.values(jitted)) f.dispose();
      jitted = null;
    },
  };
}

/** What `buildFor` needs of a model (Layer's public build state). */
interface Buildable {
  built: boolean;
  buildInputShape: (number | null)[] | (number | null)[][] | null;
  build(inputShape: (number | null)[] | (number | null)[][]): void;
}

/**
 * Builds `model` from a batch's shapes if it is not built yet (as its first call would), so that
 * weight creation stays out of a jit trace.
 *
 * ```ts
 * buildFor(model, [xb]); // model.built === true, weights created
 * ```
 */
export function buildFor(model: Buildable, xs: Tensor[]): void {
  if (model.built) return;
  const shape = xs.length === 1 ? [...xs[0].shape] : xs.map((t) => [...t.shape]);
  model.buildInputShape = shape;
  model.build(shape);
  model.built = true;
}
