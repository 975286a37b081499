// Round-robin sampling of one case across libraries: every round times one sample of each library, in a rotating order.
import { TimeoutError, warmUp, withTimeout, type Clock, type PriorCall, type TimingPlan } from './timing.ts';
import type { F32, Runner } from './types.ts';

/**
 * The order of round `round` over `items`: rotated by the round, so each goes first in turn, and
 * with three or more items the direction flips every `items.length` rounds, so no item always
 * follows the same other one (three items: all six orders in six rounds).
 * @example roundOrder(['a', 'b', 'c'], 1) // ['b', 'c', 'a']; round 3 gives ['c', 'b', 'a']
 */
export function roundOrder<T>(items: readonly T[], round: number): T[] {
  const n = items.length;
  if (n === 0) return [];
  const reversed = n > 2 && Math.floor(round / n) % 2 === 1;
  const base = reversed ? [...items].reverse() : [...items];
  const shift = round % n;
  return [...base.slice(shift), ...base.slice(0, shift)];
}

/** A built runner; `prior`: a call already made on it (counts as its first warm-up). */
export interface Prepared {
  runner: Runner;
  prior?: PriorCall;
}

/** One library's part in a case. */
export interface Entrant<L extends string, P extends Prepared> {
  lib: L;
  /** Names the library and case in a timeout message, e.g. 'jax chain'. */
  what: string;
  /** Longest its prepare, warm-up and samples may take together. */
  timeoutMs: number;
  /** Builds (and may already call) the runner; a throw fails this library only. */
  prepare(): Promise<P>;
}

/** The timed samples of one library. */
export interface Sampled {
  /** Milliseconds per operation of each sample. */
  samplesMs: number[];
  /** The round each sample was taken in (samples of different libraries in one round are neighbours in time). */
  rounds: number[];
  reps: number;
  /** What the first call read back (for the reference check). */
  firstOutput: F32 | number;
  /** What the last sample read back (training steps: the loss after every step taken). */
  lastOutput: F32 | number;
}

/** How one library's part ended. */
export type Outcome<P extends Prepared> =
  { ok: true; prepared: P; timing: Sampled } | { ok: false; error: Error; timedOut: boolean };

interface Lane<L extends string, P extends Prepared> {
  entrant: Entrant<L, P>;
  usedMs: number;
  prepared?: P;
  reps: number;
  firstOutput?: F32 | number;
  lastOutput?: F32 | number;
  samplesMs: number[];
  rounds: number[];
  sampledMs: number;
  failure?: { error: Error; timedOut: boolean };
  /** Set when a call timed out: it may still run, so the runner is disposed once it settles. */
  abandoned?: Promise<unknown>;
}

/** Runs `work` within what is left of the lane's time limit; returns its value and how long it took. */
async function call<T>(lane: Lane<string, Prepared>, work: () => Promise<T>, clock: Clock) {
  const { what, timeoutMs } = lane.entrant;
  const left = timeoutMs - lane.usedMs;
  if (left <= 0) throw new TimeoutError(`${what} timed out after ${Math.round(timeoutMs / 1000)} s`);
  const t0 = clock.now();
  const running = work();
  try {
    const value = await withTimeout(running, left, what, timeoutMs);
    return { value, ms: clock.now() - t0 };
  } catch (error) {
    if (error instanceof TimeoutError) lane.abandoned = running;
    throw error;
  } finally {
    lane.usedMs += clock.now() - t0;
  }
}

function fail(lane: Lane<string, Prepared>, error: unknown): void {
  const err = error instanceof Error ? error : new Error(String(error));
  lane.failure = { error: err, timedOut: err instanceof TimeoutError };
}

/** Whether a lane still takes samples: fewer than the most, and fewer than the least or within the budget. */
function wantsMore(lane: Lane<string, Prepared>, plan: TimingPlan): boolean {
  const n = lane.samplesMs.length;
  return !lane.failure && n < plan.maxSamples && (n < plan.minSamples || lane.sampledMs < plan.budgetMs);
}

/**
 * Times one case for every entrant. First, one after another, each builds its runner and warms
 * it up (its own warm-up and reps choice); then the timed samples go round-robin (`roundOrder`),
 * each library stopping on its own count/budget rule, until none wants more. Every sample ends
 * with the library's own readback (Runner.step), so no library's work spills into another's
 * sample. A library that throws or runs past its time limit drops out; the others go on. Every
 * runner is disposed at the end (one whose call timed out, once that call settles).
 */
export async function timeInterleaved<L extends string, P extends Prepared>(
  entrants: readonly Entrant<L, P>[],
  plan: TimingPlan,
  clock: Clock,
): Promise<Map<L, Outcome<P>>> {
  const lanes: Lane<L, P>[] = entrants.map((entrant) => ({
    entrant,
    usedMs: 0,
    reps: 1,
    samplesMs: [],
    rounds: [],
    sampledMs: 0,
  }));
  for (const lane of lanes) {
    try {
      const prepared = (await call(lane, () => lane.entrant.prepare(), clock)).value;
      lane.prepared = prepared;
      const warm = await call(lane, () => warmUp(prepared.runner, plan, prepared.prior, clock), clock);
      lane.reps = warm.value.reps;
      lane.firstOutput = warm.value.firstOutput;
    } catch (error) {
      fail(lane, error);
    }
  }
  for (let round = 0; ; round++) {
    const live = lanes.filter((lane) => wantsMore(lane, plan));
    if (live.length === 0) break;
    for (const lane of roundOrder(live, round)) {
      const runner = (lane.prepared as P).runner;
      try {
        const { value, ms } = await call(lane, () => runner.step(lane.reps), clock);
        lane.samplesMs.push(ms / lane.reps);
        lane.rounds.push(round);
        lane.sampledMs += ms;
        lane.lastOutput = value;
      } catch (error) {
        fail(lane, error);
      }
    }
  }
  const outcomes = new Map<L, Outcome<P>>();
  for (const lane of lanes) {
    const { prepared, failure } = lane;
    if (lane.abandoned) {
      // A timed-out prepare resolves to a runner later; a timed-out step ends on the same runner.
      const late = prepared ? Promise.resolve(prepared) : (lane.abandoned as Promise<P>);
      void lane.abandoned
        .catch(() => undefined)
        .then(() => late)
        .then((p) => p.runner.dispose())
        .catch(() => undefined);
    } else if (prepared) {
      try {
        await prepared.runner.dispose();
      } catch (error) {
        if (!failure) fail(lane, new Error(`${lane.entrant.what} dispose: ${String(error)}`));
      }
    }
    const end = lane.failure;
    outcomes.set(
      lane.entrant.lib,
      end
        ? { ok: false, ...end }
        : {
            ok: true,
            prepared: prepared as P,
            timing: {
              samplesMs: lane.samplesMs,
              rounds: lane.rounds,
              reps: lane.reps,
              firstOutput: lane.firstOutput as F32 | number,
              lastOutput: lane.lastOutput as F32 | number,
            },
          },
    );
  }
  return outcomes;
}
