// Shared types of the benchmark page: case ids, the adapter each library implements, result records.

/** Float32 data on a plain ArrayBuffer (what every library's upload accepts). */
export type F32 = Float32Array<ArrayBuffer>;

/** The libraries compared, in the order their columns are printed. */
export type LibId = 'webdl' | 'tfjs' | 'jax';

/** Every benchmark case, in the order the rows are printed. */
export type CaseId =
  | 'firstMatmul1024'
  | 'matmul256'
  | 'matmul512'
  | 'matmul1024'
  | 'conv2d'
  | 'chain'
  | 'mlpStep'
  | 'cnnStep'
  | 'chainJit'
  | 'mlpStepJit'
  | 'cnnStepJit'
  | 'firstMlpStepJit';

/** Cases of compiled execution: a library without a jit is skipped there. */
export const JIT_CASES: readonly CaseId[] = ['chainJit', 'mlpStepJit', 'cnnStepJit', 'firstMlpStepJit'];

/**
 * One prepared benchmark. `step(reps)` runs the operation `reps` times and ends by reading the
 * last result back to the CPU (so the GPU work is finished when the promise resolves); it returns
 * what was read back: the output values, or the loss for a training step.
 */
export interface Runner {
  step(reps: number): Promise<F32 | number>;
  /** Converts a read-back output to the layout the reference check expects (default: as is). */
  canonical?(out: F32): F32;
  /**
   * Whether the last `step` ran the compiled (jitted) code rather than tracing it; absent: every
   * step does (a library whose jit compiles on its first call).
   */
  ranCompiled?(): boolean;
  /** Most `reps` per sample that makes sense (training steps: 1, each step reads its loss). */
  readonly maxReps?: number;
  /**
   * Waits for background work earlier calls started (webdl: faster kernels compiling for later
   * calls), so it overlaps neither this library's samples nor another library's measurement.
   */
  settle?(): Promise<void>;
  dispose(): void | Promise<void>;
}

/** Inputs of one training step: a batch of images and one-hot labels. */
export interface TrainBatch {
  /** `[batch, 784]` values in [0, 1); the CNN sees it as `[batch, 28, 28, 1]`. */
  x: F32;
  /** `[batch, 10]` one-hot labels. */
  y: F32;
  batch: number;
}

/** What each library implements; shapes and layouts are those of the case descriptions. */
export interface Library {
  readonly id: LibId;
  /** Starts the library on WebGPU; returns a one-line description (version, adapter). */
  init(): Promise<string>;
  /** `a`, `b`: row-major `[n, n]`. */
  matmul(n: number, a: F32, b: F32): Promise<Runner>;
  /** `x`: NHWC `[64, 28, 28, 32]`; `w`: HWIO `[3, 3, 32, 64]`; stride 1, 'same'. */
  conv2d(x: F32, w: F32): Promise<Runner>;
  /** `sigmoid(relu(x * a + b)) * c`, all four of the same length, computed eagerly. */
  chain(x: F32, a: F32, b: F32, c: F32): Promise<Runner>;
  /** The same chain compiled with the library's jit (absent: the library has none). */
  chainJit?(x: F32, a: F32, b: F32, c: F32): Promise<Runner>;
  /** One Adam training step of the 784-128-128-10 MLP, reading back the loss; `jit`: the compiled step. */
  mlpStep(data: TrainBatch, jit: boolean): Promise<Runner>;
  /** One Adam training step of the small CNN, reading back the loss; `jit`: the compiled step. */
  cnnStep(data: TrainBatch, jit: boolean): Promise<Runner>;
}

/** Thrown by a library adapter when a case depends on a part that does not exist yet. */
export class NotYetError extends Error {
  override name = 'NotYetError';
}

/** The outcome of one case for one library. */
export type CaseResult =
  | {
      status: 'ok';
      /** Median milliseconds per operation. */
      medianMs: number;
      /** Milliseconds per operation of every timed sample. */
      samplesMs: number[];
      /** Operations per timed sample (more than 1 only where one operation is very fast). */
      reps: number;
      /**
       * The round of each sample where the libraries' samples were interleaved round-robin
       * (bench/src/interleave.ts); absent where the case was timed one library after another.
       */
      rounds?: number[];
      /** Set when the output did not match the reference computed on the CPU. */
      mismatch?: string;
      /** Training steps: the loss read back by the first and the last step timed. */
      loss?: { first: number; last: number };
    }
  | { status: 'error' | 'notYet' | 'skipped'; message: string };

/** Options the runner passes to `runBench` (window.runBench). */
export interface BenchOptions {
  quick: boolean;
  libs: LibId[];
  cases: CaseId[];
  /** Longest one case may take for one library before it is abandoned. */
  caseTimeoutMs: number;
}

/** What the page returns to the runner. */
export interface BenchReport {
  userAgent: string;
  quick: boolean;
  adapter: AdapterSummary | null;
  /** The adapter's measured FMA throughput in GFLOP/s, or null if it could not be measured. */
  fmaPeakGflops: number | null;
  fmaDetail: string;
  libraries: Record<LibId, { description: string; adapter?: string }>;
  results: Record<CaseId, Partial<Record<LibId, CaseResult>>>;
  startedAt: string;
  totalSeconds: number;
}

/** What the page tells about the WebGPU adapter it sees. */
export interface AdapterSummary {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  isFallbackAdapter: boolean;
  features: string[];
}

declare global {
  /** What the page exposes to the runner (bench/run.mjs calls these through page.evaluate). */
  interface Window {
    runBench(options: BenchOptions): Promise<BenchReport>;
    probeAdapter(): Promise<AdapterSummary | null>;
  }
}
