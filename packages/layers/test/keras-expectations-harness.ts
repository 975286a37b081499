// The table runner of the "Keras user expectations" suites: each row is a call and the value or error text it must give.
import { expect, it } from 'vitest';

/** One expectation: what the user runs, and what they must get (a value, or an error message). */
export interface Expectation {
  /** The call as a Keras/TF.js user would write it (also the test's name). */
  call: string;
  run: () => unknown;
  /** The value run() must give (compared with toEqual; asymmetric matchers allowed). */
  expect?: unknown;
  /** The error text: a substring, or a RegExp the message must match. */
  throws?: string | RegExp;
  /** Warnings (console.warn) the call must print: each a substring or RegExp of one of them. */
  warns?: (string | RegExp)[];
  /** Lines (console.log) the call must print. */
  logs?: (string | RegExp)[];
  /** Every line (console.log) the call prints, exactly and in order. */
  printed?: string[];
}

/** Registers one test per row. */
export function runExpectations(rows: Expectation[]): void {
  for (const row of rows) {
    it(row.call, async () => {
      const spies = captureConsole();
      try {
        if (row.throws !== undefined) {
          let message: string | null = null;
          try {
            await row.run();
          } catch (e) {
            message = (e as Error).message;
          }
          expect(message, 'expected an error').not.toBeNull();
          if (typeof row.throws === 'string') expect(message).toContain(row.throws);
          else expect(message).toMatch(row.throws);
        } else {
          const value = await row.run();
          if ('expect' in row) expect(value).toEqual(row.expect);
        }
        for (const w of row.warns ?? [])
          expect(
            spies.warn.some((m) => matches(m, w)),
            `warning ${String(w)} in ${JSON.stringify(spies.warn)}`,
          ).toBe(true);
        for (const l of row.logs ?? [])
          expect(
            spies.log.some((m) => matches(m, l)),
            `log ${String(l)} in ${JSON.stringify(spies.log)}`,
          ).toBe(true);
        if (row.printed) expect(spies.log).toEqual(row.printed);
      } finally {
        spies.restore();
      }
    });
  }
}

function matches(text: string, want: string | RegExp): boolean {
  return typeof want === 'string' ? text.includes(want) : want.test(text);
}

/** Records console.warn and console.log while a row runs (and keeps them off the test output). */
function captureConsole(): { warn: string[]; log: string[]; restore: () => void } {
  const warn: string[] = [];
  const log: string[] = [];
  const origWarn = console.warn;
  const origLog = console.log;
  console.warn = (...a: unknown[]) => warn.push(a.map(String).join(' '));
  console.log = (...a: unknown[]) => log.push(a.map(String).join(' '));
  return {
    warn,
    log,
    restore: () => {
      console.warn = origWarn;
      console.log = origLog;
    },
  };
}
