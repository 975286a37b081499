// Checks optimizer hyperparameters at construction, so a bad value fails at `new Adam({...})`, not mid-fit.
import { LearningRateSchedule } from './schedules.js';

/** Allowed range of a hyperparameter: [min, max] with open ends where `open` says so. */
export interface Range {
  min: number;
  max?: number;
  /** The minimum itself is not allowed (e.g. clipnorm > 0). */
  minOpen?: boolean;
  /** The maximum itself is not allowed (e.g. beta1 < 1). */
  maxOpen?: boolean;
}

/** Ranges of the options every optimizer takes. */
export const COMMON_RANGES: Record<string, Range> = {
  clipnorm: { min: 0, minOpen: true },
  clipvalue: { min: 0, minOpen: true },
  globalClipnorm: { min: 0, minOpen: true },
  weightDecay: { min: 0 },
};

function describe(r: Range): string {
  const lo = `${r.minOpen ? '>' : '>='} ${r.min}`;
  if (r.max === undefined) return `a finite number ${lo}`;
  return `in ${r.minOpen ? '(' : '['}${r.min}, ${r.max}${r.maxOpen ? ')' : ']'}`;
}

function inRange(v: number, r: Range): boolean {
  if (!Number.isFinite(v)) return false;
  if (r.minOpen ? v <= r.min : v < r.min) return false;
  if (r.max !== undefined && (r.maxOpen ? v >= r.max : v > r.max)) return false;
  return true;
}

/** Throws `Adam: learningRate must be a finite number >= 0, got -1` for a learning rate out of range. */
export function checkLearningRate(owner: string, lr: unknown): void {
  if (lr instanceof LearningRateSchedule) return;
  if (typeof lr !== 'number' || !inRange(lr, { min: 0 }))
    throw new Error(`${owner}: learningRate must be a finite number >= 0 or a schedule, got ${String(lr)}`);
}

/** Checks each given option against its range, naming the optimizer and the option. */
export function checkRanges(owner: string, args: object, ranges: Record<string, Range>): void {
  const values = args as Record<string, unknown>;
  for (const [key, range] of Object.entries(ranges)) {
    const v = values[key];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !inRange(v, range))
      throw new Error(`${owner}: ${key} must be ${describe(range)}, got ${String(v)}`);
  }
}
