// Dataset: a lazy, re-iterable async pipeline (map, filter, shuffle, batch, repeat, take, skip, prefetch) that disposes what it made.
import type { Tensor } from '@webdl/core';
import { collate, disposeElement } from './element.js';

/**
 * An error from a pipeline stage; its message names the stage (`data.map (stage 2)`).
 *
 * ```ts
 * try {
 *   await data.array([1, 2]).map(() => { throw new Error('bad row'); }).toArray();
 * } catch (e) {
 *   if (e instanceof data.DatasetError) console.log(e.stage); // 'data.map (stage 2)'
 * }
 * ```
 */
export class DatasetError extends Error {
  constructor(
    readonly stage: string,
    cause: unknown,
  ) {
    super(`${stage} failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'DatasetError';
  }
}

type Source<T> = () => AsyncIterator<T>;

/**
 * Options of `shuffle`.
 *
 * ```ts
 * const options: data.ShuffleOptions = { seed: 7, reshuffleEachIteration: false };
 * data.array([1, 2, 3, 4]).shuffle(4, options);
 * ```
 */
export interface ShuffleOptions {
  /** Seed of the shuffle: the same seed gives the same orders (each pass its own, reproducibly). */
  seed?: number;
  /** Draw a new order on each pass (default true); false repeats the first pass's order. */
  reshuffleEachIteration?: boolean;
}

/**
 * Options of `batch`.
 *
 * ```ts
 * const options: data.BatchOptions = { dropRemainder: true };
 * data.array([1, 2, 3, 4, 5]).batch(2, options); // batches [1, 2] and [3, 4]
 * ```
 */
export interface BatchOptions {
  /** Drop a last batch smaller than the batch size (default false). */
  dropRemainder?: boolean;
}

/** mulberry32: a small seeded generator of floats in [0, 1). */
function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const positiveInt = (stage: string, what: string, v: number): void => {
  if (!(Number.isInteger(v) && v > 0))
    throw new Error(`${stage}: ${what} must be a positive integer, got ${v}`);
};

/**
 * A pipeline of elements, iterated with `for await`. Each iteration starts from the source again,
 * so a dataset serves every epoch. Stages that consume elements dispose the tensors they do not
 * pass on; the consumer owns (and disposes) what comes out.
 *
 * ```ts
 * const ds = data.array([1, 2, 3, 4]).map((v) => v * 10).batch(2);
 * for await (const b of ds) console.log(await b.data()); // [10, 20], [30, 40]
 * ```
 */
export class Dataset<T = unknown> implements AsyncIterable<T> {
  /** Number of stages from the source (for error messages). */
  readonly depth: number;

  constructor(
    private readonly source: Source<T>,
    depth = 1,
  ) {
    this.depth = depth;
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return this.source();
  }

  private stage(name: string): string {
    return `data.${name} (stage ${this.depth + 1})`;
  }

  // Not named `then`: that would make every Dataset a thenable, and `await` (or an async function
  // returning a dataset) would never settle.
  private derive<U>(
    make: (up: () => AsyncIterator<T>, stage: string) => AsyncGenerator<U>,
    name: string,
  ): Dataset<U> {
    const stage = this.stage(name);
    return new Dataset<U>(() => make(() => this.source(), stage), this.depth + 1);
  }

  /**
   * Applies `fn` to each element (sync or async). Tensors of the input that the output does not
   * contain are disposed.
   *
   * ```ts
   * data.array([1, 2]).map((v) => v * 2);
   * ```
   */
  map<U>(fn: (el: T) => U | Promise<U>): Dataset<U> {
    return this.derive(async function* (up, stage) {
      for await (const el of iterate(up())) {
        let out: U;
        try {
          out = await fn(el);
        } catch (e) {
          disposeElement(el);
          throw new DatasetError(stage, e);
        }
        disposeElement(el, out);
        yield out;
      }
    }, 'map');
  }

  /**
   * Keeps the elements for which `predicate` is true (the others are disposed).
   *
   * ```ts
   * data.array([1, 2, 3, 4]).filter((v) => v % 2 === 0); // 2, 4
   * ```
   */
  filter(predicate: (el: T) => boolean | Promise<boolean>): Dataset<T> {
    return this.derive(async function* (up, stage) {
      for await (const el of iterate(up())) {
        let keep: boolean;
        try {
          keep = await predicate(el);
        } catch (e) {
          disposeElement(el);
          throw new DatasetError(stage, e);
        }
        if (keep) yield el;
        else disposeElement(el);
      }
    }, 'filter');
  }

  /**
   * Shuffles through a buffer of `bufferSize` elements: each output is drawn at random from the
   * buffer, which is refilled from upstream (a buffer as large as the dataset shuffles uniformly).
   *
   * ```ts
   * data.array([1, 2, 3, 4]).shuffle(4, { seed: 7 });
   * ```
   */
  shuffle(bufferSize: number, options: ShuffleOptions = {}): Dataset<T> {
    const stage = this.stage('shuffle');
    positiveInt(stage, 'bufferSize', bufferSize);
    const { seed, reshuffleEachIteration = true } = options;
    let pass = 0;
    return this.derive(async function* (up) {
      const s =
        seed === undefined ? (Math.random() * 2 ** 32) >>> 0 : seed + (reshuffleEachIteration ? pass : 0);
      pass++;
      const rand = seededRandom(s);
      const buffer: T[] = [];
      const it = iterate(up());
      try {
        for await (const el of it) {
          buffer.push(el);
          if (buffer.length >= bufferSize) yield takeAt(buffer, Math.floor(rand() * buffer.length));
        }
        while (buffer.length > 0) yield takeAt(buffer, Math.floor(rand() * buffer.length));
      } finally {
        for (const el of buffer) disposeElement(el);
      }
    }, 'shuffle');
  }

  /**
   * Groups `batchSize` consecutive elements into one, stacking tensors (and numbers) along a new
   * first axis; structures ([x, y], { xs, ys }) are batched position by position.
   *
   * ```ts
   * data.array([[1, 2], [3, 4], [5, 6]]).batch(2); // [[1,2],[3,4]], then [[5,6]]
   * ```
   */
  batch(batchSize: number, options: BatchOptions = {}): Dataset<BatchOf<T>> {
    const stage = this.stage('batch');
    positiveInt(stage, 'batchSize', batchSize);
    const dropRemainder = options.dropRemainder ?? false;
    return this.derive(async function* (up) {
      let group: T[] = [];
      const emit = (): BatchOf<T> => {
        const items = group;
        group = [];
        try {
          return collate(items) as BatchOf<T>;
        } catch (e) {
          throw new DatasetError(stage, e);
        } finally {
          for (const el of items) disposeElement(el);
        }
      };
      try {
        for await (const el of iterate(up())) {
          group.push(el);
          if (group.length === batchSize) yield emit();
        }
        if (group.length > 0 && !dropRemainder) yield emit();
      } finally {
        for (const el of group) disposeElement(el);
      }
    }, 'batch');
  }

  /**
   * Repeats the dataset `count` times (forever when omitted), starting from the source each time.
   *
   * ```ts
   * data.array([1, 2]).repeat(2); // 1, 2, 1, 2
   * ```
   */
  repeat(count?: number): Dataset<T> {
    const stage = this.stage('repeat');
    if (count !== undefined && !(Number.isInteger(count) && count >= 0))
      throw new Error(`${stage}: count must be a non-negative integer or omitted, got ${count}`);
    return this.derive(async function* (up) {
      for (let i = 0; count === undefined || i < count; i++) {
        let any = false;
        for await (const el of iterate(up())) {
          any = true;
          yield el;
        }
        if (!any) return; // an empty dataset repeated forever is still empty
      }
    }, 'repeat');
  }

  /**
   * The first `count` elements (upstream is not read further).
   *
   * ```ts
   * data.array([1, 2, 3]).take(2); // 1, 2
   * ```
   */
  take(count: number): Dataset<T> {
    const stage = this.stage('take');
    if (!(Number.isInteger(count) && count >= 0))
      throw new Error(`${stage}: count must be a non-negative integer, got ${count}`);
    return this.derive(async function* (up) {
      if (count === 0) return;
      let n = 0;
      for await (const el of iterate(up())) {
        yield el;
        if (++n >= count) return;
      }
    }, 'take');
  }

  /**
   * Drops the first `count` elements (disposing them).
   *
   * ```ts
   * data.array([1, 2, 3]).skip(2); // 3
   * ```
   */
  skip(count: number): Dataset<T> {
    const stage = this.stage('skip');
    if (!(Number.isInteger(count) && count >= 0))
      throw new Error(`${stage}: count must be a non-negative integer, got ${count}`);
    return this.derive(async function* (up) {
      let n = 0;
      for await (const el of iterate(up())) {
        if (n++ < count) disposeElement(el);
        else yield el;
      }
    }, 'skip');
  }

  /**
   * Reads up to `bufferSize` elements ahead while the consumer works on the current one.
   *
   * ```ts
   * data.generator(loadRows).batch(32).prefetch(2);
   * ```
   */
  prefetch(bufferSize: number): Dataset<T> {
    const stage = this.stage('prefetch');
    positiveInt(stage, 'bufferSize', bufferSize);
    return this.derive(async function* (up) {
      const it = up();
      const ahead: Promise<IteratorResult<T>>[] = [];
      let done = false;
      const fill = () => {
        while (!done && ahead.length < bufferSize) ahead.push(it.next());
      };
      try {
        fill();
        while (ahead.length > 0) {
          const r = await ahead.shift()!;
          if (r.done) {
            done = true;
            break;
          }
          fill();
          yield r.value;
        }
      } finally {
        // Elements already read ahead are ours to dispose; then let upstream clean up.
        for (const p of ahead) {
          const r = await p.catch(() => null);
          if (r && !r.done) disposeElement(r.value);
        }
        await it.return?.();
      }
    }, 'prefetch');
  }

  /**
   * Reads the whole dataset into an array (for small datasets and tests).
   *
   * ```ts
   * await data.array([1, 2]).toArray(); // [1, 2]
   * ```
   */
  async toArray(): Promise<T[]> {
    const out: T[] = [];
    for await (const el of this) out.push(el);
    return out;
  }
}

/**
 * The type of a batch of T: numbers, number arrays and tensors become tensors; tuples and objects keep their structure.
 *
 * ```ts
 * const ds: data.Dataset<data.BatchOf<{ xs: number[]; ys: number }>> = data.array([{ xs: [1, 2], ys: 0 }]).batch(1);
 * ```
 */
export type BatchOf<T> = T extends number | boolean | Tensor
  ? Tensor
  : T extends readonly number[] | readonly (readonly number[])[] | readonly (readonly (readonly number[])[])[]
    ? Tensor
    : T extends readonly unknown[] | Record<string, unknown>
      ? { [K in keyof T]: BatchOf<T[K]> }
      : T;

/** An async iterator as an iterable whose early exit (break, throw) returns the iterator. */
function iterate<T>(it: AsyncIterator<T>): AsyncIterable<T> {
  return { [Symbol.asyncIterator]: () => it };
}

function takeAt<T>(buffer: T[], i: number): T {
  const el = buffer[i];
  buffer[i] = buffer[buffer.length - 1];
  buffer.pop();
  return el;
}
