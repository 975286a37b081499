// Timing plans, one runner's warm-up (which also picks its repetitions per sample) and call timeouts.
import { median } from '../report.mjs';
import type { F32, Runner } from './types.ts';

export { median };

/** How hard to measure one case. */
export interface TimingPlan {
  /** Untimed calls before sampling (shader compile, pool growth). */
  warmup: number;
  minSamples: number;
  maxSamples: number;
  /** A library stops sampling once its samples took this long in all and `minSamples` were taken. */
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

/** Where time comes from (`performance` in the page; a fake clock in tests). */
export interface Clock {
  now(): number;
}

/** A call already made on a runner (the first-call case), which counts as its first warm-up. */
export interface PriorCall {
  ms: number;
  output: F32 | number;
}

/** What warming a runner up decided. */
export interface WarmUp {
  /** Calls per timed sample. */
  reps: number;
  /** What the first call read back (for the reference check). */
  firstOutput: F32 | number;
}

/**
 * Warms `runner` up: up to `plan.warmup` calls (a `prior` call counts as the first), fewer once
 * they took half the budget, as a slow case's first call already compiled everything. The last
 * call's time picks how many calls make one sample (about `plan.targetSampleMs`).
 */
export async function warmUp(
  runner: Runner,
  plan: TimingPlan,
  prior: PriorCall | undefined,
  clock: Clock,
): Promise<WarmUp> {
  let firstOutput = prior?.output;
  let lastMs = prior?.ms ?? Infinity;
  let warmups = prior ? 1 : 0;
  let warmMs = prior?.ms ?? 0;
  while (warmups === 0 || (warmups < plan.warmup && warmMs < plan.budgetMs / 2)) {
    const t0 = clock.now();
    const out = await runner.step(1);
    lastMs = clock.now() - t0;
    warmMs += lastMs;
    warmups++;
    firstOutput ??= out;
  }
  if (runner.settle) {
    // The warm-up's background work ends before any sample; one more call runs with what it made.
    await runner.settle();
    const t0 = clock.now();
    await runner.step(1);
    lastMs = clock.now() - t0;
  }
  const maxReps = runner.maxReps ?? 64;
  const reps = Math.max(1, Math.min(maxReps, Math.ceil(plan.targetSampleMs / Math.max(lastMs, 1e-3))));
  return { reps, firstOutput: firstOutput as F32 | number };
}

/** What `withTimeout` rejects with. */
export class TimeoutError extends Error {
  override name = 'TimeoutError';
}

/**
 * Rejects with a TimeoutError after `ms` milliseconds unless `promise` settles first. The message
 * names `what` and `limitMs` (default `ms`: a caller passing what is left of a larger limit names
 * that limit).
 */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string, limitMs = ms): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new TimeoutError(`${what} timed out after ${Math.round(limitMs / 1000)} s`)),
      Math.max(0, ms),
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
