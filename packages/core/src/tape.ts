// GradientTape: records primitive ops on watched tensors and plays them backwards with tensor ops,
// so a tape recording while another computes gradients yields higher-order derivatives.
import { ENGINE, type GradFn, type TapeLike } from './engine.js';
import { fmtShape, shapesEqual } from './shape.js';
import { Tensor } from './tensor.js';
import { isFloat } from './types.js';
import { onesLike, zerosLike } from './ops/creation.js';
import { add } from './ops/elementwise.js';
import { reshape } from './ops/shape-ops.js';

interface Entry {
  name: string;
  inputIds: number[];
  outputIds: number[];
  inputs: Tensor[];
  outputs: Tensor[];
  grad: GradFn;
}

type Sources = Tensor | readonly Tensor[] | Record<string, Tensor>;
type Grads<S> = S extends Tensor
  ? Tensor | null
  : S extends readonly Tensor[]
    ? (Tensor | null)[]
    : Record<string, Tensor | null>;

let warnedNothingRecorded = false;

/** Warns once per process: a gradient through a tape that recorded nothing is all nulls, a common slip. */
function warnNothingRecorded(target: Tensor, sources: Sources): void {
  const list = sources instanceof Tensor ? [sources] : Object.values(sources as Record<string, Tensor>);
  if (warnedNothingRecorded || list.some((s) => s === target)) return;
  warnedNothingRecorded = true;
  console.warn(
    'GradientTape.gradient: the tape recorded no ops, so every gradient is null. Compute the target inside tape.record(() => ...): ops run before or outside record are not recorded.',
  );
}

/**
 * Records operations for automatic differentiation (TensorFlow 2's GradientTape).
 *
 * ```ts
 * const w = variable(3);
 * const tape = new GradientTape();
 * const y = tape.record(() => w.square());
 * tape.gradient(y, w); // 6
 * ```
 */
export class GradientTape implements TapeLike {
  readonly persistent: boolean;
  private watched = new Set<number>();
  private entries: Entry[] = [];
  private used = false;
  private disposed = false;

  constructor(options: { persistent?: boolean } = {}) {
    this.persistent = options.persistent ?? false;
  }

  /** Runs fn while recording its ops; returns fn's value. */
  record<T>(fn: () => T): T {
    if (this.disposed) throw new Error('GradientTape.record: the tape was disposed');
    ENGINE.pushTape(this);
    const mark = this.entries.length;
    try {
      const out = fn();
      if (out instanceof Promise)
        throw new Error('GradientTape.record: the function must be synchronous (it returned a Promise)');
      return out;
    } catch (e) {
      // What a failed function recorded can never be differentiated: free its saved copies now.
      for (const entry of this.entries.splice(mark))
        for (const t of [...entry.inputs, ...entry.outputs]) t.dispose();
      throw e;
    } finally {
      ENGINE.popTape(this);
    }
  }

  /** Watches tensors (constants are not watched otherwise; trainable Variables always are). */
  watch(...tensors: (Tensor | readonly Tensor[])[]): void {
    for (const t of tensors.flat()) {
      if (!(t instanceof Tensor)) throw new Error(`GradientTape.watch: expected a Tensor, got ${String(t)}`);
      this.watched.add(t.id);
    }
  }

  /** @internal called by the engine for every primitive op while recording. */
  onOp(name: string, inputs: Tensor[], outputs: Tensor[], grad: GradFn): void {
    if (!inputs.some((t) => this.watched.has(t.id) || t.watchedByDefault)) return;
    for (const o of outputs) if (isFloat(o.dtype)) this.watched.add(o.id);
    this.entries.push({
      name,
      inputIds: inputs.map((t) => t.id),
      outputIds: outputs.map((t) => t.id),
      inputs: inputs.map((t) => t.savedCopy()),
      outputs: outputs.map((t) => t.savedCopy()),
      grad,
    });
  }

  /**
   * d target / d sources. Sources the target does not depend on get null. `outputGradient`
   * (default ones) seeds the backward pass.
   */
  gradient<S extends Sources>(target: Tensor, sources: S, outputGradient?: Tensor): Grads<S> {
    // The non-persistent case first: its tape is disposed after one call, and that is what to tell.
    if (this.used && !this.persistent) {
      throw new Error(
        'GradientTape.gradient: a non-persistent tape can compute gradients only once (use new GradientTape({ persistent: true }))',
      );
    }
    if (this.disposed) throw new Error('GradientTape.gradient: the tape was disposed');
    this.used = true;
    if (this.entries.length === 0) warnNothingRecorded(target, sources);
    try {
      checkTarget(target, outputGradient);
    } catch (e) {
      if (!this.persistent) this.dispose();
      throw e;
    }
    const list: Tensor[] =
      sources instanceof Tensor
        ? [sources]
        : Array.isArray(sources)
          ? [...sources]
          : Object.values(sources as Record<string, Tensor>);
    ENGINE.popTape(this);
    let results: (Tensor | null)[];
    try {
      const firstNew = ENGINE.nextId;
      results = ENGINE.tidy(() => distinct(this.backward(target, list, outputGradient), firstNew));
    } finally {
      if (!this.persistent) this.dispose();
    }
    if (sources instanceof Tensor) return results[0] as Grads<S>;
    if (Array.isArray(sources)) return results as Grads<S>;
    const keys = Object.keys(sources as Record<string, Tensor>);
    return Object.fromEntries(keys.map((k, i) => [k, results[i]])) as Grads<S>;
  }

  private backward(target: Tensor, sources: Tensor[], seed?: Tensor): (Tensor | null)[] {
    const wanted = new Set(sources.map((s) => s.id));
    // Ids that lie on a path from a source: only their gradients are worth computing.
    const reachable = new Set(wanted);
    for (const e of this.entries) {
      if (e.inputIds.some((id) => reachable.has(id))) for (const id of e.outputIds) reachable.add(id);
    }
    const grads = new Map<number, Tensor>();
    if (!reachable.has(target.id)) return sources.map(() => null);
    grads.set(target.id, seed ?? onesLike(target));
    for (let k = this.entries.length - 1; k >= 0; k--) {
      const e = this.entries[k];
      if (!e.outputIds.some((id) => grads.has(id))) continue;
      const needs = e.inputIds.map((id, i) => reachable.has(id) && isFloat(e.inputs[i].dtype));
      if (!needs.some(Boolean)) continue;
      const dys = e.outputIds.map((id, i) => grads.get(id) ?? zerosLike(e.outputs[i]));
      const inGrads = e.grad(dys, { inputs: e.inputs, outputs: e.outputs, needs });
      inGrads.forEach((g, i) => {
        if (!g || !needs[i]) return;
        const id = e.inputIds[i];
        const prev = grads.get(id);
        grads.set(id, prev ? add(prev, g) : g);
      });
    }
    return sources.map((s) => grads.get(s.id) ?? null);
  }

  /** Releases the tensors the tape saved (done automatically after a non-persistent gradient). */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    ENGINE.popTape(this);
    for (const e of this.entries) for (const t of [...e.inputs, ...e.outputs]) t.dispose();
    this.entries = [];
    this.watched.clear();
  }

  [Symbol.dispose](): void {
    this.dispose();
  }
}

/**
 * Gradients handed to the caller are tensors of their own: a rule may pass one tensor to several
 * inputs (add's dy), or return the outputGradient or a saved tensor. Those get a view (a reshape),
 * so that disposing one gradient never disposes another, the seed, or the tape's saved copies.
 */
function distinct(grads: (Tensor | null)[], firstNew: number): (Tensor | null)[] {
  const seen = new Set<Tensor>();
  return grads.map((g) => {
    if (!g) return g;
    const out = seen.has(g) || g.id < firstNew ? reshape(g, g.shape) : g;
    seen.add(g);
    return out;
  });
}

function checkTarget(target: Tensor, outputGradient?: Tensor): void {
  if (!(target instanceof Tensor))
    throw new Error(`GradientTape.gradient: the target must be a Tensor, got ${String(target)}`);
  target.assertAlive('GradientTape.gradient');
  if (outputGradient && !shapesEqual(outputGradient.shape, target.shape)) {
    throw new Error(
      `GradientTape.gradient: outputGradient ${fmtShape(outputGradient.shape)} must match the target ${fmtShape(target.shape)}`,
    );
  }
}
