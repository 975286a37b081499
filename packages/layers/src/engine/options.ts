// Constructor and option helpers: Keras positional and TF.js config-object forms, unknown-option errors, Keras auto names.

/**
 * How a layer file adopts the mechanism (three declarations and one call):
 *
 * ```ts
 * export interface DenseArgs extends LayerArgs { activation?: ActivationLike; useBias?: boolean }
 * export type DenseConfig = DenseArgs & { units: number };      // the TF.js config object
 * const POSITIONAL = ['units', 'activation'] as const;            // Keras's positional order
 *
 * export class Dense extends Layer {
 *   static readonly className = 'Dense';
 *   static readonly positional = POSITIONAL;
 *   // Every own option, each `true`: a missing or extra key is a compile error.
 *   static readonly options: OptionTable<DenseConfig> = { units: true, activation: true, useBias: true };
 *   constructor(...params: LayerParams<DenseConfig, typeof POSITIONAL>) {
 *     const args = layerArgs<DenseConfig>(Dense, params); // merged, unknown options rejected
 *     super(args);
 *   }
 * }
 * new Dense(4, 'relu'); new Dense(4, { activation: 'relu' }); new Dense({ units: 4, activation: 'relu' });
 * new Dense(4, { activaton: 'relu' }); // Error: Dense: unknown option 'activaton' (did you mean 'activation'?) ...
 * ```
 *
 * A plain object (`{...}`) is always the options object and comes last; every other argument is
 * positional. The config form (one object holding every option) is what `getConfig()` returns, so a
 * layer's registry entry is just `(config) => new Dense(config)`.
 */

/** The options every layer accepts (the keys of LayerArgs). */
export const BASE_LAYER_OPTIONS = [
  'name',
  'trainable',
  'inputShape',
  'batchInputShape',
  'batchSize',
  'dtype',
  'activityRegularizer',
] as const;

type BaseKey = (typeof BASE_LAYER_OPTIONS)[number];

/**
 * The complete table of a layer's own option names (every key of its config C that is not a
 * LayerArgs key, each `true`). Typed as a mapped type so that forgetting one is a compile error.
 *
 * ```ts
 * interface ScaleConfig extends LayerArgs { factor?: number; bias?: number }
 * const options: OptionTable<ScaleConfig> = { factor: true, bias: true };
 * ```
 */
export type OptionTable<C> = { readonly [K in Exclude<keyof C, BaseKey>]-?: true };

/**
 * What layerArgs reads from a layer class: its statics.
 *
 * ```ts
 * const spec: LayerSpec = layers.Dense; // a layer class's statics: className, positional, options
 * spec.positional; // ['units', 'activation']
 * ```
 */
export interface LayerSpec {
  readonly className: string;
  /** Keras's positional arguments, in order (`['filters', 'kernelSize']`). */
  readonly positional?: readonly string[];
  /** The layer's own options, LayerArgs' excluded. */
  readonly options: Readonly<Record<string, true>>;
}

type Forms<
  C,
  P extends readonly unknown[],
  Vals extends unknown[],
  Used extends PropertyKey,
> = P extends readonly [infer H extends keyof C, ...infer R extends readonly unknown[]]
  ? | [...Vals, Exclude<C[H], undefined>, Omit<C, Used | H>?]
    | Forms<C, R, [...Vals, Exclude<C[H], undefined>], Used | H>
  : never;

/**
 * The constructor parameters of a layer whose config is C and whose Keras positional arguments
 * are P: `(config)`, or the first k positional values then an optional options object.
 *
 * ```ts
 * type P = LayerParams<{ units: number; activation?: string }, ['units', 'activation']>;
 * // [config] | [units, options?] | [units, activation, options?]
 * ```
 */
export type LayerParams<C, P extends readonly (keyof C)[] = []> =
  (object extends C ? [config?: C] : [config: C]) | Forms<C, P, [], never>;

/** Whether v is an options object (a plain `{...}`, or an object from JSON.parse). */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * Merges a layer constructor's positional arguments and options object into one config, and
 * throws on an unknown option, a value given twice, or too many positional arguments.
 *
 * ```ts
 * layerArgs<layers.DenseConfig>(layers.Dense, [4, 'relu']); // { units: 4, activation: 'relu' }
 * ```
 */
export function layerArgs<C>(spec: LayerSpec, params: readonly unknown[]): C {
  const where = spec.className;
  const positional = spec.positional ?? [];
  let values = [...params];
  while (values.length > 0 && values[values.length - 1] === undefined) values.pop();
  const last = values.at(-1);
  const options: Record<string, unknown> = {};
  if (isPlainObject(last)) {
    Object.assign(options, last);
    values = values.slice(0, -1);
  }
  if (values.length > positional.length) {
    const allowed = positional.length ? `at most ${positional.length} (${positional.join(', ')})` : 'none';
    throw new Error(
      `${where}: too many positional arguments (${values.length}; ${allowed}); pass the other options in an object`,
    );
  }
  values.forEach((v, i) => {
    if (v === undefined) return;
    const key = positional[i];
    if (isPlainObject(v))
      throw new Error(`${where}: the options object must be the last argument, got one for '${key}'`);
    if (options[key] !== undefined)
      throw new Error(`${where}: '${key}' given both as argument ${i + 1} and in the options`);
    options[key] = v;
  });
  checkOptions(where, options, [...BASE_LAYER_OPTIONS, ...Object.keys(spec.options)]);
  return options as C;
}

/**
 * Throws if `given` has a key (with a defined value) outside `accepted`, naming it, the closest
 * accepted name, and all accepted names. Used by layers, compile, fit, evaluate, predict,
 * callbacks and optimizers.
 *
 * ```ts
 * checkOptions('compile', { jitCompil: true }, ['optimizer', 'loss', 'metrics', 'jitCompile']);
 * // Error: compile: unknown option 'jitCompil' (did you mean 'jitCompile'?); accepted options: ...
 * ```
 */
export function checkOptions(where: string, given: object | undefined, accepted: readonly string[]): void {
  if (given === undefined || given === null) return;
  if (typeof given !== 'object' || Array.isArray(given))
    throw new Error(`${where}: expected an options object, got ${describeValue(given)}`);
  const entries = Object.entries(given).filter(([, v]) => v !== undefined);
  const unknown = entries.map(([k]) => k).filter((k) => !accepted.includes(k));
  if (unknown.length === 0) return;
  const k = unknown[0];
  const near = closest(k, accepted);
  const list = unknown.length === 1 ? `option '${k}'` : `options ${unknown.map((u) => `'${u}'`).join(', ')}`;
  throw new Error(
    `${where}: unknown ${list}${near ? ` (did you mean '${near}'?)` : ''}; accepted options: ${[...new Set(accepted)].sort().join(', ')}`,
  );
}

function describeValue(v: unknown): string {
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? ((v as object).constructor?.name ?? 'object') : `${typeof v} ${String(v)}`;
}

/** The accepted name nearest to a misspelt one (case-insensitive edit distance at most 3), if any. */
export function closest(name: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Math.min(3, Math.max(1, Math.floor(name.length / 2)));
  for (const c of candidates) {
    const d = editDistance(name.toLowerCase(), c.toLowerCase());
    if (d <= bestD && (best === undefined || d < bestD)) {
      best = c;
      bestD = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}

/**
 * Keras's automatic layer name for a class name (`keras.src.utils.naming.to_snake_case`):
 * 'Conv2D' → 'conv2d', 'MaxPooling2D' → 'max_pooling2d', 'Conv2DTranspose' → 'conv2d_transpose',
 * 'LSTM' → 'lstm', 'SimpleRNN' → 'simple_rnn'.
 *
 * ```ts
 * kerasName('GlobalAveragePooling2D'); // 'global_average_pooling2d'
 * ```
 */
export function kerasName(className: string): string {
  return className
    .replace(/\W+/g, '')
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}
