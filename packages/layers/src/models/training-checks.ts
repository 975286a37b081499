// Option checks of fit/evaluate/predict, run before any step so a bad option changes nothing.
import type { FitArgs } from './training.js';

/** The batch size option (default 32), or an error naming the call: `predict: batchSize must be ...`. */
export function positiveBatch(call: string, batchSize: number | undefined): number {
  const b = batchSize ?? 32;
  if (!(Number.isInteger(b) && b > 0))
    throw new Error(`${call}: batchSize must be a positive integer, got ${b}`);
  return b;
}

/** Checks fit's epochs, initialEpoch and callbacks; returns the number of epochs (default 1). */
export function checkFitArgs(args: FitArgs): number {
  const epochs = args.epochs ?? 1;
  if (!(Number.isInteger(epochs) && epochs >= 0))
    throw new Error(`fit: epochs must be a non-negative integer, got ${epochs}`);
  const initial = args.initialEpoch ?? 0;
  if (!(Number.isInteger(initial) && initial >= 0))
    throw new Error(`fit: initialEpoch must be a non-negative integer, got ${initial}`);
  if (args.callbacks !== undefined && !Array.isArray(args.callbacks))
    throw new Error(`fit: callbacks must be an array of callbacks, got ${String(args.callbacks)}`);
  return epochs;
}

/** Runs fn; an error it throws gets the user-facing call's name in front (`compile: Unknown loss 'x'`). */
export function named<T>(call: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof Error && !e.message.startsWith(`${call}:`)) e.message = `${call}: ${e.message}`;
    throw e;
  }
}
