// compile({ jitCompile }): the trainer's train, evaluate and predict steps, run through jit when
// compiled execution is on ('auto': where the backend fuses kernels, i.e. WebGPU), else eagerly.
import { ENGINE, jit, type JitFunction, type Tensor } from '@webdl/core';

/** compile's `jitCompile`: 'auto' (default, compiled on WebGPU), true (always), false (eager). */
export type JitCompile = 'auto' | boolean;

/** The trainer's per-batch steps (each runs inside the caller's tidy). */
export interface StepFns {
  /** One gradient step, updating the loss and metric trackers. */
  train(xs: Tensor[], ys: Tensor[]): void;
  /** Adds one batch to the loss and metric trackers (no training). */
  evaluate(xs: Tensor[], ys: Tensor[]): void;
  /** The model's outputs for one batch. */
  predict(xs: Tensor[]): Tensor[];
}

/** The steps as the trainer calls them, and the release of their compiled graphs. */
export interface CompiledSteps extends StepFns {
  readonly mode: JitCompile;
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
export function compiledSteps(mode: JitCompile, eager: StepFns): CompiledSteps {
  const on = () => mode === true || (mode === 'auto' && ENGINE.backend.fusesElementwise === true);
  let jitted: { [K in keyof StepFns]: JitFunction<Parameters<StepFns[K]>, ReturnType<StepFns[K]>> } | null =
    null;
  const compiledFns = () =>
    (jitted ??= {
      train: jit(eager.train, { name: 'trainStep' }),
      evaluate: jit(eager.evaluate, { name: 'evaluateStep' }),
      predict: jit(eager.predict, { name: 'predictStep' }),
    });
  return {
    mode,
    train: (xs, ys) => (on() ? compiledFns().train(xs, ys) : eager.train(xs, ys)),
    evaluate: (xs, ys) => (on() ? compiledFns().evaluate(xs, ys) : eager.evaluate(xs, ys)),
    predict: (xs) => (on() ? compiledFns().predict(xs) : eager.predict(xs)),
    dispose: () => {
      if (jitted) for (const f of Object.values(jitted)) f.dispose();
      jitted = null;
    },
  };
}
