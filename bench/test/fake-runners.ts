// Fake runners on a fake clock for the bench harness tests: each call takes a scripted time, no browser.
import type { Clock } from '../src/timing.ts';
import type { Runner } from '../src/types.ts';

/** A clock that moves only when a fake runner says so. */
export class FakeClock implements Clock {
  t = 0;
  now(): number {
    return this.t;
  }
}

/** What a fake call does instead of taking its time: throw, or hang until released. */
export type Trouble = { throws: string } | { hangs: true };

/** A fake runner with a log of its calls and disposals. */
export interface FakeRunner extends Runner {
  disposed: number;
  /** Settles a hanging call (the runner then may be disposed). */
  release(): void;
}

/**
 * A runner whose call `i` (warm-ups included) takes `msPerOp[i] * reps` ms on `clock`, appends
 * `name` to `log` and returns `i` as its "loss"; `trouble[i]` makes call `i` throw or hang.
 */
export function fakeRunner(
  name: string,
  msPerOp: readonly number[],
  clock: FakeClock,
  log: string[],
  trouble: Record<number, Trouble> = {},
): FakeRunner {
  let calls = 0;
  let release = () => {};
  const runner: FakeRunner = {
    disposed: 0,
    release: () => release(),
    async step(reps) {
      const i = calls++;
      log.push(name);
      const odd = trouble[i];
      if (odd && 'throws' in odd) throw new Error(odd.throws);
      if (odd) await new Promise<void>((resolve) => (release = resolve));
      const ms = msPerOp[i];
      if (ms === undefined) throw new Error(`${name}: call ${i} was not scripted`);
      clock.t += ms * reps;
      return i;
    },
    dispose() {
      runner.disposed++;
    },
  };
  return runner;
}
