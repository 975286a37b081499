// The optional replay-program contract between jit and a backend: a backend that can record one
// replay's kernels (pipelines, bindings, parameters, workgroup counts) replays them later without
// re-planning, allocating or re-binding (WebGPU; see @webdl/webgpu program.ts).
import type { DataId } from './backend.js';
import type { TypedArray } from './types.js';

/**
 * What a recording covers: the roles of the storage its kernels touched.
 *
 * ```ts
 * import type { CaptureSpec } from '@webdl/core';
 * const spec: CaptureSpec = { inputs: [], constants: [], outputs: [], writes: [] }; // nothing bound
 * ```
 */
export interface CaptureSpec {
  /** Storage of each external slot during the recorded run; later runs pass theirs in this order. */
  readonly inputs: readonly DataId[];
  /** Storage of the graph's constants (stable; later runs may overwrite their values). */
  readonly constants: readonly DataId[];
  /** Storage handed to the caller after the run (escaping values): fresh storage on every later run. */
  readonly outputs: readonly DataId[];
  /** In-place Variable updates: `from` (storage computed by the run) is copied into `into` at the end of each run. */
  readonly writes: readonly { readonly from: DataId; readonly into: DataId }[];
}

/**
 * One later run of a program.
 *
 * ```ts
 * import type { ProgramRun } from '@webdl/core';
 * const run: ProgramRun = { inputs: [], writes: [], constants: [] }; // no inputs, writes or new constants
 * ```
 */
export interface ProgramRun {
  /** Storage of each external slot now (same order as `CaptureSpec.inputs`). */
  readonly inputs: readonly DataId[];
  /** Targets of the in-place writes now (same order as `CaptureSpec.writes`). */
  readonly writes: readonly DataId[];
  /** New values for constant storage (written into it, in order with this run). */
  readonly constants: readonly (readonly [DataId, TypedArray])[];
  /** Re-runs the kernels recorded inside `ReplayCapture.dynamic` with this call's attrs (a seed); absent: as recorded. */
  readonly refresh?: () => void;
}

/**
 * A recorded replay.
 *
 * ```ts
 * import { CpuBackend, type Backend } from '@webdl/core';
 * const backend: Backend = new CpuBackend();
 * const cap = backend.beginCapture?.(); // undefined: the CPU backend replays graphs directly
 * const program = cap?.finish({ inputs: [], constants: [], outputs: [], writes: [] });
 * program?.run({ inputs: [], writes: [], constants: [] });
 * program?.dispose();
 * ```
 */
export interface ReplayProgram {
  /** Runs it again; the outputs' storage in `CaptureSpec.outputs` order, or null when it cannot (then replay normally). */
  run(run: ProgramRun): DataId[] | null;
  /** Frees the program's own storage (its intermediates and parameters). */
  dispose(): void;
  /**
   * True once recording the call again would give a faster program (kernels that were still
   * compiling when it was recorded are ready): jit then records again, which is not a failure.
   */
  stale?(): boolean;
}

/**
 * An open recording (from `Backend.beginCapture`): kernels run while it is open are planned, not
 * run; the program's first run does the recorded call's work.
 *
 * ```ts
 * import { CpuBackend, type Backend } from '@webdl/core';
 * const backend: Backend = new CpuBackend();
 * const cap = backend.beginCapture?.();
 * cap?.dynamic(() => backend.random('uniform', 4, 7, 0, 1)); // a kernel whose seed changes per call
 * cap?.finish({ inputs: [], constants: [], outputs: [], writes: [] })?.dispose();
 * ```
 */
export interface ReplayCapture {
  /** Runs fn, whose kernels' parameters change per call (random seeds): later runs refresh them. */
  dynamic<T>(fn: () => T): T;
  /** Ends the recording: the program, or null when this run cannot be replayed as recorded. */
  finish(spec: CaptureSpec): ReplayProgram | null;
}
