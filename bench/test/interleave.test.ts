// The bench's round-robin sampling (bench/src/interleave.ts) with fake runners on a fake clock: order, stopping, failures.
import { describe, expect, it } from 'vitest';
import { roundOrder, timeInterleaved, type Entrant, type Prepared } from '../src/interleave.ts';
import type { TimingPlan } from '../src/timing.ts';
import type { LibId } from '../src/types.ts';
import { FakeClock, fakeRunner, type FakeRunner, type Trouble } from './fake-runners.ts';

/** One warm-up; at least 2 and at most 4 samples; 100 ms of samples per library; 1 call per sample. */
const PLAN: TimingPlan = { warmup: 1, minSamples: 2, maxSamples: 4, budgetMs: 100, targetSampleMs: 1 };

interface Script {
  lib: LibId;
  msPerOp: number[];
  trouble?: Record<number, Trouble>;
  prepareThrows?: string;
  timeoutMs?: number;
  /** The runner has background work to wait for (Runner.settle, logged as 'settle <lib>'). */
  settles?: boolean;
}

function setup(scripts: Script[]) {
  const clock = new FakeClock();
  const log: string[] = [];
  const runners = new Map<LibId, FakeRunner>();
  const entrants: Entrant<LibId, Prepared>[] = scripts.map((s) => ({
    lib: s.lib,
    what: `${s.lib} chain`,
    timeoutMs: s.timeoutMs ?? 60_000,
    prepare: async () => {
      log.push(`prepare ${s.lib}`);
      if (s.prepareThrows) throw new Error(s.prepareThrows);
      const runner = fakeRunner(s.lib, s.msPerOp, clock, log, s.trouble);
      if (s.settles) runner.settle = async () => void log.push(`settle ${s.lib}`);
      runners.set(s.lib, runner);
      return { runner };
    },
  }));
  return { clock, log, runners, run: (plan = PLAN) => timeInterleaved(entrants, plan, clock) };
}

function okTiming<P extends Prepared>(
  outcome: Awaited<ReturnType<typeof timeInterleaved<LibId, P>>>,
  lib: LibId,
) {
  const o = outcome.get(lib);
  if (!o?.ok) throw new Error(`${lib} did not finish: ${o ? o.error.message : 'missing'}`);
  return o.timing;
}

describe('roundOrder', () => {
  it('rotates the first library and flips direction, so three libraries see all six orders in six rounds', () => {
    const orders = [0, 1, 2, 3, 4, 5, 6].map((r) => roundOrder(['w', 't', 'j'], r).join(''));
    expect(orders).toEqual(['wtj', 'tjw', 'jwt', 'jtw', 'twj', 'wjt', 'wtj']);
    // Over the six rounds each library is first twice and each ordered neighbour pair occurs twice.
    const pairs = new Map<string, number>();
    for (const o of orders.slice(0, 6))
      for (const p of [o.slice(0, 2), o.slice(1, 3)]) pairs.set(p, (pairs.get(p) ?? 0) + 1);
    expect([...pairs.values()]).toEqual([2, 2, 2, 2, 2, 2]);
    expect(
      orders
        .slice(0, 6)
        .map((o) => o[0])
        .sort()
        .join(''),
    ).toBe('jjttww');
  });

  it('alternates two libraries and leaves one or none as they are', () => {
    expect([0, 1, 2, 3].map((r) => roundOrder(['w', 'j'], r).join(''))).toEqual(['wj', 'jw', 'wj', 'jw']);
    expect(roundOrder(['w'], 5)).toEqual(['w']);
    expect(roundOrder([], 2)).toEqual([]);
  });
});

describe('timeInterleaved', () => {
  it('warms every library up in turn, then takes one sample of each per round in the rotating order', async () => {
    const one = [1, 1, 1, 1, 1];
    const t = setup([
      { lib: 'webdl', msPerOp: one },
      { lib: 'tfjs', msPerOp: one },
      { lib: 'jax', msPerOp: one },
    ]);
    const outcomes = await t.run();
    expect(t.log).toEqual([
      ...['prepare webdl', 'webdl', 'prepare tfjs', 'tfjs', 'prepare jax', 'jax'],
      ...['webdl', 'tfjs', 'jax'],
      ...['tfjs', 'jax', 'webdl'],
      ...['jax', 'webdl', 'tfjs'],
      ...['jax', 'tfjs', 'webdl'],
    ]);
    for (const lib of ['webdl', 'tfjs', 'jax'] as const) {
      expect(okTiming(outcomes, lib).rounds).toEqual([0, 1, 2, 3]);
      expect(t.runners.get(lib)?.disposed).toBe(1);
    }
  });

  it('times each sample on its own (hand-computed), each library stopping on its own budget', async () => {
    const t = setup([
      { lib: 'webdl', msPerOp: [5, 10, 20, 12, 30] },
      // tfjs: 60 + 70 ms of samples pass the 100 ms budget after its 2 samples minimum: it stops there.
      { lib: 'tfjs', msPerOp: [50, 60, 70] },
      { lib: 'jax', msPerOp: [5, 25, 30, 30, 45] },
    ]);
    const outcomes = await t.run();
    const webdl = okTiming(outcomes, 'webdl');
    const tfjs = okTiming(outcomes, 'tfjs');
    const jax = okTiming(outcomes, 'jax');
    expect(webdl.samplesMs).toEqual([10, 20, 12, 30]);
    expect(tfjs.samplesMs).toEqual([60, 70]);
    expect(tfjs.rounds).toEqual([0, 1]);
    expect(jax.samplesMs).toEqual([25, 30, 30, 45]);
    // Rounds 2 and 3 have two libraries left, so they alternate: webdl, jax, then jax, webdl.
    expect(t.log.slice(6)).toEqual([
      'webdl',
      'tfjs',
      'jax',
      'tfjs',
      'jax',
      'webdl',
      'webdl',
      'jax',
      'jax',
      'webdl',
    ]);
    expect(webdl.firstOutput).toBe(0); // the warm-up call's output, for the reference check
    expect(webdl.lastOutput).toBe(4);
    expect(webdl.reps).toBe(1);
  });

  it("waits for a library's background work after its warm-up, then calls it once more before any sample", async () => {
    const t = setup([
      { lib: 'webdl', msPerOp: [30, 4, 4, 4, 4, 4, 4], settles: true },
      { lib: 'jax', msPerOp: [5, 5, 5, 5, 5] },
    ]);
    const done = await t.run({ ...PLAN, targetSampleMs: 10 });
    expect(t.log.slice(0, 6)).toEqual([
      'prepare webdl',
      'webdl',
      'settle webdl',
      'webdl',
      'prepare jax',
      'jax',
    ]);
    // reps from the call after settling (4 ms: ceil(10 / 4) = 3), not from the 30 ms first call.
    expect(okTiming(done, 'webdl')).toMatchObject({ reps: 3, samplesMs: [4, 4, 4, 4] });
  });

  it("keeps each library's own reps choice from its last warm-up call", async () => {
    const t = setup([
      { lib: 'webdl', msPerOp: [4, 4, 4, 4, 4] },
      { lib: 'jax', msPerOp: [40, 40, 40, 40, 40] },
    ]);
    const outcomes = await t.run({ ...PLAN, targetSampleMs: 10 });
    // webdl: ceil(10 / 4) = 3 calls per sample of 12 ms (reported per call), 4 samples within the
    // 100 ms budget; jax: 1 call of 40 ms per sample, so its budget ends after 3.
    expect(okTiming(outcomes, 'webdl')).toMatchObject({ reps: 3, samplesMs: [4, 4, 4, 4] });
    expect(okTiming(outcomes, 'jax')).toMatchObject({ reps: 1, samplesMs: [40, 40, 40] });
  });

  it('drops a library that throws mid-case and goes on with the others', async () => {
    const t = setup([
      { lib: 'webdl', msPerOp: [1, 1, 1, 1, 1] },
      { lib: 'tfjs', msPerOp: [1, 1], trouble: { 2: { throws: 'tfjs lost its device' } } },
      { lib: 'jax', msPerOp: [1, 2, 2, 2, 2] },
    ]);
    const outcomes = await t.run();
    const tfjs = outcomes.get('tfjs');
    expect(tfjs).toMatchObject({ ok: false, timedOut: false });
    expect(tfjs && !tfjs.ok && tfjs.error.message).toBe('tfjs lost its device');
    expect(okTiming(outcomes, 'webdl').rounds).toEqual([0, 1, 2, 3]);
    expect(okTiming(outcomes, 'jax').samplesMs).toEqual([2, 2, 2, 2]);
    // tfjs failed in round 1 (its third call); rounds 2-3 go on with webdl and jax.
    expect(t.log.slice(6)).toEqual([
      'webdl',
      'tfjs',
      'jax',
      'tfjs',
      'jax',
      'webdl',
      'webdl',
      'jax',
      'jax',
      'webdl',
    ]);
    for (const lib of ['webdl', 'tfjs', 'jax'] as const) expect(t.runners.get(lib)?.disposed).toBe(1);
  });

  it('goes on without a library whose runner cannot be built', async () => {
    const t = setup([
      { lib: 'webdl', msPerOp: [1, 1, 1, 1, 1] },
      { lib: 'jax', msPerOp: [], prepareThrows: 'jax-js has no such op' },
    ]);
    const outcomes = await t.run();
    expect(outcomes.get('jax')).toMatchObject({ ok: false, error: { message: 'jax-js has no such op' } });
    expect(okTiming(outcomes, 'webdl').samplesMs).toEqual([1, 1, 1, 1]);
  });

  it('abandons a hanging call at the time limit, goes on, and disposes that runner once the call ends', async () => {
    const t = setup([
      { lib: 'webdl', msPerOp: [1, 1, 1, 1, 1] },
      { lib: 'jax', msPerOp: [1, 1], trouble: { 1: { hangs: true } }, timeoutMs: 40 },
    ]);
    const outcomes = await t.run();
    const jax = outcomes.get('jax');
    expect(jax).toMatchObject({ ok: false, timedOut: true });
    expect(jax && !jax.ok && jax.error.message).toMatch(/^jax chain timed out/);
    expect(okTiming(outcomes, 'webdl').samplesMs).toEqual([1, 1, 1, 1]);
    const runner = t.runners.get('jax') as FakeRunner;
    expect(runner.disposed).toBe(0);
    runner.release();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(runner.disposed).toBe(1);
  });

  it('counts prepare, warm-up and samples against one time limit per library', async () => {
    // 40 ms warm-up + 2 x 40 ms samples pass the 100 ms limit: the third sample is not started.
    const t = setup([
      { lib: 'webdl', msPerOp: [1, 1, 1, 1, 1] },
      { lib: 'jax', msPerOp: [40, 40, 40, 40], timeoutMs: 100 },
    ]);
    const outcomes = await t.run({ ...PLAN, budgetMs: 1000 });
    expect(outcomes.get('jax')).toMatchObject({ ok: false, timedOut: true });
    expect(t.log.filter((l) => l === 'jax')).toHaveLength(3);
    expect(t.runners.get('jax')?.disposed).toBe(1);
  });
});
