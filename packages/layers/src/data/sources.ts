// Dataset sources: array, tensors (rows of tensors), generator (sync or async) and csv (text or URL).
import { Tensor, tidy } from '@webdl/core';
import { Dataset, DatasetError } from './dataset.js';
import { tensorsOf, viewOf } from './element.js';

/**
 * A dataset over the items of an array (each pass yields them in order). Tensors inside the items
 * stay yours: the pipeline works on views of them and disposes only those.
 *
 * ```ts
 * const ds = data.array([{ xs: [0, 1], ys: 1 }, { xs: [1, 0], ys: 0 }]).batch(2);
 * ```
 */
export function array<T>(items: readonly T[]): Dataset<T> {
  if (!Array.isArray(items)) throw new Error(`data.array: expected an array, got ${typeof items}`);
  const copy = [...items];
  return new Dataset<T>(async function* () {
    for (const item of copy) yield viewOf(item);
  });
}

/**
 * What `data.tensors` slices: a tensor, or an array or object of tensors with the same first dimension.
 *
 * ```ts
 * const s = { image: zeros([10, 28, 28]), label: zeros([10]) } satisfies data.TensorStructure;
 * data.tensors(s).batch(4);
 * ```
 */
export type TensorStructure =
  Tensor | readonly TensorStructure[] | { readonly [key: string]: TensorStructure };

/**
 * The element type of `data.tensors(s)`: s with each tensor replaced by one of its rows.
 *
 * ```ts
 * const ds = data.tensors({ xs, ys });
 * const row: data.RowOf<{ xs: Tensor; ys: Tensor }> = { xs: xs.slice([0], [1]), ys: ys.slice([0], [1]) }; // ds's element type
 * ```
 */
export type RowOf<S> = S extends Tensor ? Tensor : S extends object ? { [K in keyof S]: RowOf<S[K]> } : never;

/**
 * A dataset of the rows of tensors: `tensors({ xs, ys })` yields `{ xs: xs[i], ys: ys[i] }` for
 * each i. The tensors stay yours (each row is a new tensor the consumer owns).
 *
 * ```ts
 * const ds = data.tensors({ xs: x, ys: y }).shuffle(1000, { seed: 1 }).batch(32);
 * await model.fit(ds, { epochs: 5 });
 * ```
 */
export function tensors<S extends TensorStructure>(structure: S): Dataset<RowOf<S>> {
  const leaves = tensorsOf(structure);
  if (leaves.length === 0)
    throw new Error('data.tensors: no tensor given (expected a tensor, or an array or object of tensors)');
  const n = leaves[0].shape[0];
  for (const t of leaves) {
    if (t.rank === 0)
      throw new Error('data.tensors: scalars have no rows; every tensor needs a first dimension');
    if (t.shape[0] !== n)
      throw new Error(
        `data.tensors: every tensor needs the same first dimension (got [${leaves[0].shape.join(',')}] and [${t.shape.join(',')}])`,
      );
  }
  const row = (s: unknown, i: number): unknown => {
    if (s instanceof Tensor) {
      s.assertAlive('data.tensors');
      const rest = s.shape.slice(1);
      return tidy(() => s.slice([i, ...rest.map(() => 0)], [1, ...rest]).reshape(rest));
    }
    if (Array.isArray(s)) return s.map((e) => row(e, i));
    return Object.fromEntries(Object.entries(s as Record<string, unknown>).map(([k, v]) => [k, row(v, i)]));
  };
  const rows = async function* (): AsyncGenerator<unknown> {
    for (let i = 0; i < n; i++) yield row(structure, i);
  };
  return new Dataset(rows as () => AsyncIterator<RowOf<S>>);
}

/**
 * What `data.generator` takes: a function returning a fresh (sync or async) iterator or iterable per pass.
 *
 * ```ts
 * const gen: data.GeneratorFn<number> = function* () { yield 1; yield 2; };
 * data.generator(gen).batch(2); // one batch [1, 2] per pass
 * ```
 */
export type GeneratorFn<T> = () =>
  Iterator<T> | Iterable<T> | AsyncIterator<T> | AsyncIterable<T> | Promise<AsyncIterable<T> | Iterable<T>>;

/**
 * A dataset from a generator function (sync or async), called again for each pass.
 *
 * ```ts
 * const ds = data.generator(async function* () {
 *   for (let i = 0; i < 100; i++) yield { xs: [i], ys: 2 * i };
 * });
 * ```
 */
export function generator<T>(fn: GeneratorFn<T>): Dataset<T> {
  if (typeof fn !== 'function')
    throw new Error(`data.generator: expected a generator function, got ${typeof fn}`);
  const stage = 'data.generator (stage 1)';
  return new Dataset<T>(async function* () {
    let it: Iterator<T> | AsyncIterator<T>;
    try {
      it = toIterator(await fn());
    } catch (e) {
      throw new DatasetError(stage, e);
    }
    try {
      for (;;) {
        let r: IteratorResult<T>;
        try {
          r = await it.next();
        } catch (e) {
          throw new DatasetError(stage, e);
        }
        if (r.done) return;
        yield r.value;
      }
    } finally {
      await it.return?.();
    }
  });
}

function toIterator<T>(v: unknown): Iterator<T> | AsyncIterator<T> {
  const o = v as Partial<AsyncIterable<T> & Iterable<T> & Iterator<T>> | null;
  if (o && typeof o[Symbol.asyncIterator] === 'function') return o[Symbol.asyncIterator]!();
  if (o && typeof o[Symbol.iterator] === 'function') return o[Symbol.iterator]!();
  if (o && typeof o.next === 'function') return o as Iterator<T>;
  throw new Error(`the function returned ${o === null ? 'null' : typeof o}, not an iterator or iterable`);
}

/**
 * Options of `data.csv`.
 *
 * ```ts
 * const options: data.CsvOptions = { label: 'species', columns: ['sepal_length', 'sepal_width'] };
 * const ds = data.csv('sepal_length,sepal_width,species\n5.1,3.5,0\n4.9,3.0,1', options);
 * ```
 */
export interface CsvOptions {
  /** Feature columns, by header name (default: every column except the label). */
  columns?: string[];
  /** The label column: elements are then `{ xs: number[], ys: number }`, else `number[]`. */
  label?: string;
  /** Field separator (default ','). */
  delimiter?: string;
}

/**
 * A dataset of the numeric rows of a CSV file with a header line: from its text, or fetched from a
 * URL (a string without a line break) when first iterated.
 *
 * ```ts
 * const ds = data.csv('a,b,y\n1,2,0\n3,4,1', { label: 'y' }).batch(2);
 * // { xs: [[1, 2], [3, 4]], ys: [0, 1] }
 * ```
 */
export function csv(
  urlOrText: string,
  options: CsvOptions = {},
): Dataset<number[] | { xs: number[]; ys: number }> {
  if (typeof urlOrText !== 'string')
    throw new Error(`data.csv: expected CSV text or a URL, got ${typeof urlOrText}`);
  const { columns, label, delimiter = ',' } = options;
  if (delimiter.length !== 1)
    throw new Error(`data.csv: delimiter must be one character, got '${delimiter}'`);
  const stage = 'data.csv (stage 1)';
  const isText = /[\r\n]/.test(urlOrText);
  return new Dataset(async function* () {
    let text = urlOrText;
    if (!isText) {
      try {
        const res = await fetch(urlOrText);
        if (!res.ok) throw new Error(`HTTP ${res.status} ${res.statusText}`);
        text = await res.text();
      } catch (e) {
        throw new DatasetError(stage, new Error(`could not fetch ${urlOrText}: ${(e as Error).message}`));
      }
    }
    const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
    if (lines.length === 0) throw new DatasetError(stage, new Error('the CSV has no header line'));
    const header = splitCsvLine(lines[0], delimiter).map((h) => h.trim());
    const indexOf = (name: string, what: string): number => {
      const i = header.indexOf(name);
      if (i < 0)
        throw new DatasetError(
          stage,
          new Error(`${what} '${name}' is not a column (columns: ${header.join(', ')})`),
        );
      return i;
    };
    const labelIndex = label === undefined ? -1 : indexOf(label, 'label');
    const featureIndex = (columns ?? header.filter((h) => h !== label)).map((c) => indexOf(c, 'column'));
    for (let r = 1; r < lines.length; r++) {
      const fields = splitCsvLine(lines[r], delimiter);
      if (fields.length !== header.length)
        throw new DatasetError(
          stage,
          new Error(`line ${r + 1} has ${fields.length} fields, the header has ${header.length}`),
        );
      const num = (i: number): number => {
        const raw = fields[i].trim();
        const v = raw === '' ? NaN : Number(raw);
        if (Number.isNaN(v))
          throw new DatasetError(
            stage,
            new Error(`line ${r + 1}, column '${header[i]}': '${raw}' is not a number`),
          );
        return v;
      };
      const xs = featureIndex.map(num);
      yield labelIndex < 0 ? xs : { xs, ys: num(labelIndex) };
    }
  });
}

/** Splits one CSV line, honouring double-quoted fields ("a,b" and "" for a quote). */
function splitCsvLine(line: string, delimiter: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === delimiter) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

/** Whether a value is a Dataset (what fit, evaluate and predict check to take the dataset path). */
export function isDataset(v: unknown): v is Dataset {
  return v instanceof Dataset;
}
