// Weight initializers by Keras name (glorot_uniform, he_normal, zeros, ...) and a global seed for reproducible runs.
import {
  fill,
  normalAt,
  randomNormal,
  randomUniform,
  tensor,
  tidy,
  where,
  type DType,
  type Tensor,
} from '@webdl/core';

/**
 * Something that makes an initial weight tensor of a shape.
 *
 * ```ts
 * const init: initializers.Initializer = initializers.getInitializer('glorot_uniform');
 * init.apply([784, 128]); // a [784, 128] tensor
 * ```
 */
export interface Initializer {
  /** Keras class name, used in configs. */
  readonly className: string;
  apply(shape: number[], dtype?: DType): Tensor;
  getConfig(): Record<string, unknown>;
}

/**
 * A name ('he_normal' or 'heNormal'), an Initializer instance, or a function of the shape.
 *
 * ```ts
 * const init: initializers.InitializerLike = 'he_normal'; // or new initializers.HeNormal(), or (shape) => zeros(shape)
 * new layers.Dense(10, { kernelInitializer: init });
 * ```
 */
export type InitializerLike = string | Initializer | ((shape: number[], dtype?: DType) => Tensor);

let globalSeed: number | null = null;
let seedCounter = 0;

/**
 * Makes every later unseeded initializer, dropout and shuffle draw from a fixed sequence (Keras's
 * `keras.utils.set_random_seed`).
 *
 * ```ts
 * setRandomSeed(42);
 * const model = new Sequential([new layers.Dense(10)]); // same weights on every run
 * ```
 */
export function setRandomSeed(seed: number): void {
  globalSeed = seed >>> 0;
  seedCounter = 0;
}

/**
 * The next seed of the global sequence, or undefined (fresh randomness) when no seed was set. `nextSeed()`
 *
 * ```ts
 * setRandomSeed(42);
 * initializers.nextSeed(); // the same number on every run seeded 42
 * ```
 */
export function nextSeed(): number | undefined {
  if (globalSeed === null) return undefined;
  seedCounter++;
  return (globalSeed + Math.imul(seedCounter, 0x9e3779b9)) >>> 0;
}

/**
 * Fan-in and fan-out as Keras computes them (receptive field times channels for conv kernels).
 *
 * ```ts
 * initializers.computeFans([3, 3, 16, 32]); // [144, 288]: 3·3·16 in, 3·3·32 out
 * ```
 */
export function computeFans(shape: number[]): [number, number] {
  if (shape.length === 0) return [1, 1];
  if (shape.length === 1) return [shape[0], shape[0]];
  if (shape.length === 2) return [shape[0], shape[1]];
  const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1);
  return [shape[shape.length - 2] * receptive, shape[shape.length - 1] * receptive];
}

abstract class BaseInitializer implements Initializer {
  abstract readonly className: string;
  abstract apply(shape: number[], dtype?: DType): Tensor;
  getConfig(): Record<string, unknown> {
    return {};
  }
}

/**
 * All zeros. `new Zeros().apply([3])`
 *
 * ```ts
 * new initializers.Zeros().apply([2, 3]); // [[0, 0, 0], [0, 0, 0]]
 * ```
 */
export class Zeros extends BaseInitializer {
  readonly className = 'Zeros';
  apply(shape: number[], dtype: DType = 'float32'): Tensor {
    return fill(shape, 0, dtype);
  }
}

/**
 * All ones. `new Ones().apply([3])`
 *
 * ```ts
 * new initializers.Ones().apply([3]); // [1, 1, 1]
 * ```
 */
export class Ones extends BaseInitializer {
  readonly className = 'Ones';
  apply(shape: number[], dtype: DType = 'float32'): Tensor {
    return fill(shape, 1, dtype);
  }
}

/**
 * A constant value. `new Constant({ value: 0.1 })`
 *
 * ```ts
 * new layers.Dense(4, { biasInitializer: new initializers.Constant({ value: 0.1 }) });
 * ```
 */
export class Constant extends BaseInitializer {
  readonly className = 'Constant';
  readonly value: number;
  constructor(args: { value?: number } = {}) {
    super();
    this.value = args.value ?? 0;
  }
  apply(shape: number[], dtype: DType = 'float32'): Tensor {
    return fill(shape, this.value, dtype);
  }
  override getConfig(): Record<string, unknown> {
    return { value: this.value };
  }
}

/**
 * Normal values (Keras default stddev 0.05). `new RandomNormal({ stddev: 0.1, seed: 1 })`
 *
 * ```ts
 * new initializers.RandomNormal({ stddev: 0.1, seed: 1 }).apply([3, 3]);
 * ```
 */
export class RandomNormal extends BaseInitializer {
  readonly className = 'RandomNormal';
  constructor(readonly args: { mean?: number; stddev?: number; seed?: number } = {}) {
    super();
  }
  apply(shape: number[]): Tensor {
    const { mean = 0, stddev = 0.05, seed = nextSeed() } = this.args;
    return randomNormal(shape, { mean, stddev, seed });
  }
  override getConfig(): Record<string, unknown> {
    return { ...this.args };
  }
}

/**
 * Uniform values in [minval, maxval) (Keras default ±0.05). `new RandomUniform({ minval: -1, maxval: 1 })`
 *
 * ```ts
 * new initializers.RandomUniform({ minval: -1, maxval: 1, seed: 1 }).apply([4]);
 * ```
 */
export class RandomUniform extends BaseInitializer {
  readonly className = 'RandomUniform';
  constructor(readonly args: { minval?: number; maxval?: number; seed?: number } = {}) {
    super();
  }
  apply(shape: number[]): Tensor {
    const { minval = -0.05, maxval = 0.05, seed = nextSeed() } = this.args;
    return randomUniform(shape, { minval, maxval, seed });
  }
  override getConfig(): Record<string, unknown> {
    return { ...this.args };
  }
}

/**
 * Normal values redrawn beyond two standard deviations (here: folded back into range). `new TruncatedNormal({ stddev: 0.02 })`
 *
 * ```ts
 * new layers.Embedding(1000, 64, { embeddingsInitializer: new initializers.TruncatedNormal({ stddev: 0.02 }) });
 * ```
 */
export class TruncatedNormal extends BaseInitializer {
  readonly className = 'TruncatedNormal';
  constructor(readonly args: { mean?: number; stddev?: number; seed?: number } = {}) {
    super();
  }
  apply(shape: number[]): Tensor {
    const { mean = 0, stddev = 0.05, seed = nextSeed() } = this.args;
    return truncated(shape, mean, stddev, seed);
  }
  override getConfig(): Record<string, unknown> {
    return { ...this.args };
  }
}

// Values outside ±2σ are replaced by a second draw clipped into range, which keeps the bounded
// support of a truncated normal without a rejection loop.
function truncated(shape: number[], mean: number, stddev: number, seed: number | undefined): Tensor {
  return tidy(() => {
    const a = randomNormal(shape, { seed });
    const b = randomNormal(shape, { seed: seed === undefined ? undefined : (seed + 1) >>> 0 }).clipByValue(
      -2,
      2,
    );
    const inRange = a.abs().lessEqual(2);
    return where(inRange, a, b).mul(stddev).add(mean);
  });
}

type Mode = 'fan_in' | 'fan_out' | 'fan_avg';
type Distribution = 'truncated_normal' | 'untruncated_normal' | 'uniform';

/**
 * Keras VarianceScaling: the family behind glorot_*, he_* and lecun_*. `new VarianceScaling({ scale: 2, mode: 'fan_in' })`
 *
 * ```ts
 * new initializers.VarianceScaling({ scale: 2, mode: 'fan_in', distribution: 'truncated_normal' }).apply([256, 128]);
 * ```
 */
export class VarianceScaling extends BaseInitializer {
  readonly className: string = 'VarianceScaling';
  readonly scale: number;
  readonly mode: Mode;
  readonly distribution: Distribution;
  readonly seed: number | undefined;
  constructor(args: { scale?: number; mode?: Mode; distribution?: Distribution; seed?: number } = {}) {
    super();
    this.scale = args.scale ?? 1;
    this.mode = args.mode ?? 'fan_in';
    this.distribution = args.distribution ?? 'truncated_normal';
    this.seed = args.seed;
  }
  apply(shape: number[]): Tensor {
    const [fanIn, fanOut] = computeFans(shape);
    const n = this.mode === 'fan_in' ? fanIn : this.mode === 'fan_out' ? fanOut : (fanIn + fanOut) / 2;
    const variance = this.scale / Math.max(1, n);
    const seed = this.seed ?? nextSeed();
    if (this.distribution === 'uniform') {
      const limit = Math.sqrt(3 * variance);
      return randomUniform(shape, { minval: -limit, maxval: limit, seed });
    }
    if (this.distribution === 'untruncated_normal')
      return randomNormal(shape, { stddev: Math.sqrt(variance), seed });
    // 0.8796... is the stddev of a unit normal truncated to ±2σ (Keras uses the same constant).
    return truncated(shape, 0, Math.sqrt(variance) / 0.87962566103423978, seed);
  }
  override getConfig(): Record<string, unknown> {
    return { scale: this.scale, mode: this.mode, distribution: this.distribution, seed: this.seed };
  }
}

function scaling(className: string, scale: number, mode: Mode, distribution: Distribution) {
  return class extends VarianceScaling {
    override readonly className = className;
    constructor(args: { seed?: number } = {}) {
      super({ scale, mode, distribution, seed: args.seed });
    }
    override getConfig(): Record<string, unknown> {
      return { seed: this.seed };
    }
  };
}

/**
 * Glorot (Xavier) uniform, Keras's default kernel initializer. `new GlorotUniform({ seed: 1 })`
 *
 * ```ts
 * new initializers.GlorotUniform({ seed: 1 }).apply([784, 128]); // uniform in ±√(6 / (784 + 128))
 * ```
 */
export const GlorotUniform = scaling('GlorotUniform', 1, 'fan_avg', 'uniform');
/**
 * Glorot (Xavier) normal. `new GlorotNormal()`
 *
 * ```ts
 * new layers.Dense(64, { kernelInitializer: new initializers.GlorotNormal() });
 * ```
 */
export const GlorotNormal = scaling('GlorotNormal', 1, 'fan_avg', 'truncated_normal');
/**
 * He normal, for ReLU layers. `new HeNormal()`
 *
 * ```ts
 * new layers.Conv2D(32, 3, { activation: 'relu', kernelInitializer: new initializers.HeNormal() });
 * ```
 */
export const HeNormal = scaling('HeNormal', 2, 'fan_in', 'truncated_normal');
/**
 * He uniform. `new HeUniform()`
 *
 * ```ts
 * new initializers.HeUniform({ seed: 3 }).apply([128, 64]);
 * ```
 */
export const HeUniform = scaling('HeUniform', 2, 'fan_in', 'uniform');
/**
 * LeCun normal, for SELU. `new LecunNormal()`
 *
 * ```ts
 * new layers.Dense(64, { activation: 'selu', kernelInitializer: new initializers.LecunNormal() });
 * ```
 */
export const LecunNormal = scaling('LecunNormal', 1, 'fan_in', 'truncated_normal');
/**
 * LeCun uniform. `new LecunUniform()`
 *
 * ```ts
 * new initializers.LecunUniform().apply([32, 32]);
 * ```
 */
export const LecunUniform = scaling('LecunUniform', 1, 'fan_in', 'uniform');

/**
 * A (semi-)orthogonal matrix by Gram–Schmidt on a normal draw, times gain; used for recurrent kernels. `new Orthogonal()`
 *
 * ```ts
 * new layers.LSTM(32, { recurrentInitializer: new initializers.Orthogonal({ gain: 1 }) });
 * ```
 */
export class Orthogonal extends BaseInitializer {
  readonly className = 'Orthogonal';
  constructor(readonly args: { gain?: number; seed?: number } = {}) {
    super();
  }
  apply(shape: number[]): Tensor {
    const gain = this.args.gain ?? 1;
    const seed = this.args.seed ?? nextSeed();
    const rows = shape.slice(0, -1).reduce((a, b) => a * b, 1);
    const cols = shape[shape.length - 1] ?? 1;
    // Orthonormalize the longer side's vectors on the host: a one-off cost at build time.
    const tall = rows >= cols;
    const [n, m] = tall ? [cols, rows] : [rows, cols];
    // Same counter-based normals as randomNormal, drawn on the host (no readback needed).
    const s = seed ?? (Math.random() * 2 ** 32) >>> 0;
    const q = gramSchmidt(
      Float64Array.from({ length: n * m }, (_, i) => normalAt(s, i)),
      n,
      m,
    );
    return tidy(() => {
      const t = tensor(
        Float32Array.from(q, (v) => v * gain),
        [n, m],
      );
      return (tall ? t.transpose() : t).reshape(shape);
    });
  }
  override getConfig(): Record<string, unknown> {
    return { ...this.args };
  }
}

function gramSchmidt(a: Float64Array, n: number, m: number): Float64Array {
  for (let i = 0; i < n; i++) {
    const vi = a.subarray(i * m, (i + 1) * m);
    for (let j = 0; j < i; j++) {
      const vj = a.subarray(j * m, (j + 1) * m);
      let d = 0;
      for (let k = 0; k < m; k++) d += vi[k] * vj[k];
      for (let k = 0; k < m; k++) vi[k] -= d * vj[k];
    }
    let norm = 0;
    for (let k = 0; k < m; k++) norm += vi[k] * vi[k];
    norm = Math.sqrt(norm) || 1;
    for (let k = 0; k < m; k++) vi[k] /= norm;
  }
  return a;
}

/**
 * Identity matrix times gain (2-D shapes only). `new Identity()`
 *
 * ```ts
 * new initializers.Identity({ gain: 2 }).apply([2, 2]); // [[2, 0], [0, 2]]
 * ```
 */
export class Identity extends BaseInitializer {
  readonly className = 'Identity';
  constructor(readonly args: { gain?: number } = {}) {
    super();
  }
  apply(shape: number[]): Tensor {
    if (shape.length !== 2)
      throw new Error(`Identity initializer: needs a 2-D shape, got [${shape.join(', ')}]`);
    const [r, c] = shape;
    const v = new Float32Array(r * c);
    for (let i = 0; i < Math.min(r, c); i++) v[i * c + i] = this.args.gain ?? 1;
    return tensor(v, shape);
  }
  override getConfig(): Record<string, unknown> {
    return { ...this.args };
  }
}

type Factory = (config: Record<string, unknown>) => Initializer;
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

const FACTORIES: Record<string, Factory> = {
  zeros: () => new Zeros(),
  ones: () => new Ones(),
  constant: (c) => new Constant({ value: num(c.value) }),
  random_normal: (c) => new RandomNormal({ mean: num(c.mean), stddev: num(c.stddev), seed: num(c.seed) }),
  random_uniform: (c) =>
    new RandomUniform({ minval: num(c.minval), maxval: num(c.maxval), seed: num(c.seed) }),
  truncated_normal: (c) =>
    new TruncatedNormal({ mean: num(c.mean), stddev: num(c.stddev), seed: num(c.seed) }),
  glorot_uniform: (c) => new GlorotUniform({ seed: num(c.seed) }),
  glorot_normal: (c) => new GlorotNormal({ seed: num(c.seed) }),
  he_normal: (c) => new HeNormal({ seed: num(c.seed) }),
  he_uniform: (c) => new HeUniform({ seed: num(c.seed) }),
  lecun_normal: (c) => new LecunNormal({ seed: num(c.seed) }),
  lecun_uniform: (c) => new LecunUniform({ seed: num(c.seed) }),
  orthogonal: (c) => new Orthogonal({ gain: num(c.gain), seed: num(c.seed) }),
  identity: (c) => new Identity({ gain: num(c.gain) }),
  variance_scaling: (c) =>
    new VarianceScaling({
      scale: num(c.scale),
      mode: c.mode as Mode | undefined,
      distribution: c.distribution as Distribution | undefined,
      seed: num(c.seed),
    }),
};

/**
 * 'GlorotUniform', 'glorotUniform' and 'glorot_uniform' all become 'glorot_uniform'.
 *
 * ```ts
 * initializers.snakeCase('GlorotUniform'); // 'glorot_uniform'
 * ```
 */
export function snakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}

class FnInitializer extends BaseInitializer {
  readonly className = 'Function';
  constructor(private readonly fn: (shape: number[], dtype?: DType) => Tensor) {
    super();
  }
  apply(shape: number[], dtype?: DType): Tensor {
    return this.fn(shape, dtype);
  }
}

/**
 * Resolves a Keras initializer name (snake_case, camelCase or class name), an instance, a function
 * or a serialized `{ className, config }`.
 *
 * ```ts
 * initializers.getInitializer('he_normal').apply([784, 128]);
 * ```
 */
export function getInitializer(
  init: InitializerLike | { className: string; config?: Record<string, unknown> },
): Initializer {
  if (typeof init === 'function') return new FnInitializer(init);
  if (typeof init === 'string') return fromName(init, {});
  if ('apply' in init && typeof init.apply === 'function') return init as Initializer;
  const spec = init as { className: string; config?: Record<string, unknown> };
  return fromName(spec.className, spec.config ?? {});
}

function fromName(name: string, config: Record<string, unknown>): Initializer {
  const factory = FACTORIES[snakeCase(name)];
  if (!factory) throw new Error(`Unknown initializer '${name}'; known: ${Object.keys(FACTORIES).join(', ')}`);
  return factory(config);
}

/**
 * Serializes an initializer as Keras does: `{ className, config }`.
 *
 * ```ts
 * initializers.serializeInitializer(new initializers.Constant({ value: 0.1 })); // { className: 'Constant', config: { value: 0.1 } }
 * ```
 */
export function serializeInitializer(init: Initializer): {
  className: string;
  config: Record<string, unknown>;
} {
  return { className: init.className, config: init.getConfig() };
}
