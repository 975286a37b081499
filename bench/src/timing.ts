// Timing loop: warm up, pick repetitions, time samples until a count or time budget, report the median.
import type { F32, Runner } from './types.ts';

/** How hard to measure one case. */
export interface TimingPlan {
  /** Untimed calls before sampling (shader compile, pool growth). */
  warmup: number;
  minSamples: number;
  maxSamples: number;
  /** Stop sampling once this much time went by and `minSamples` were taken. */
  budgetMs: number;
  /** Where a single call is faster than this, several calls make one sample (fast GPUs). */
  targetSampleMs: number;
}

export const FULL_PLAN: TimingPlan = {
  warmup: 2,
  minSamples: 3,
  maxSamples: 10,
  budgetMs: 8000,
  targetSampleMs: 20,
};
export const QUICK_PLAN: TimingPlan = {
  warmup: 1,
  minSamples: 1,
  maxSamples: 3,
  budgetMs: 2500,
  targetSampleMs: 10,
};

/** The median of a non-empty list. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The result of timing one runner. */
export interface Timing {
  samplesMs: number[];
  reps: number;
  /** What the first call read back (for the reference check). */
  firstOutput: F32 | number;
  /** What the last call read back (for training steps: the loss after every step taken). */
  lastOutput: F32 | number;
}

/** A call already made on a runner (the first-call case), which counts as its first warm-up. */
export interface PriorCall {
  ms: number;
  output: F32 | number;
}

/**
 * Times `runner`. Warm-up calls are timed too, to choose how many calls make one sample; every
 * sample ends with a readback, so its time includes all GPU work it queued.
 */
export async function timeRunner(runner: Runner, plan: TimingPlan, prior?: PriorCall): Promise<Timing> {
  let firstOutput = prior?.output;
  let lastOutput: F32 | number | undefined;
  let lastMs = prior?.ms ?? Infinity;
  let warmups = prior ? 1 : 0;
  let warmMs = prior?.ms ?? 0;
  // Slow cases stop warming up after half the budget: their first call already compiled everything.
  while (warmups === 0 || (warmups < plan.warmup && warmMs < plan.budgetMs / 2)) {
    const t0 = performance.now();
    const out = await runner.step(1);
    lastMs = performance.now() - t0;
    warmMs += lastMs;
    warmups++;
    firstOutput ??= out;
  }
  const maxReps = runner.maxReps ?? 64;
  const reps = Math.max(1, Math.min(maxReps, Math.ceil(plan.targetSampleMs / Math.max(lastMs, 1e-3))));
  const samplesMs: number[] = [];
  const start = performance.now();
  while (
    samplesMs.length < plan.maxSamples &&
    (samplesMs.length < plan.minSamples || performance.now() - start < plan.budgetMs)
  ) {
    const t0 = performance.now();
    lastOutput = await runner.step(reps);
    samplesMs.push((performance.now() - t0) / reps);
  }
  return {
    samplesMs,
    reps,
    firstOutput: firstOutput as F32 | number,
    lastOutput: lastOutput as F32 | number,
  };
}

/** Rejects after `ms` milliseconds unless `promise` settles first. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${what} timed out after ${Math.round(ms / 1000)} s`)),
      ms,
    );
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
