// Variable: a mutable tensor for model state, assigned in place (and seen by jit traces as state).
import { ENGINE } from './engine.js';
import { fmtShape, shapesEqual } from './shape.js';
import { Tensor } from './tensor.js';
import type { TensorLike } from './types.js';
import { tensor } from './ops/creation.js';
import { add, sub } from './ops/elementwise.js';
import { runPrimitive } from './primitives/registry.js';

/**
 * A mutable tensor for model state: `assign`, `assignAdd`, `assignSub` replace its value in place.
 *
 * ```ts
 * const v = variable(zeros([2]));
 * v.assignAdd(ones([2]));
 * ```
 */
export class Variable extends Tensor {
  readonly trainable: boolean;
  readonly name: string;

  /** @internal use `variable()`. */
  constructor(initial: Tensor, trainable: boolean, name: string) {
    super(
      { dataId: initial.dataId, shape: initial.shape, dtype: initial.dtype },
      initial.backend,
      ENGINE.nextId++,
      false,
    );
    this.trainable = trainable;
    this.name = name;
    (this as { watchedByDefault: boolean }).watchedByDefault = trainable;
  }

  /** Replaces the value; shape and dtype must match. */
  assign(value: Tensor | TensorLike): this {
    const t = value instanceof Tensor ? value : tensor(value, undefined, this.dtype);
    this.checkCompatibleOrFree('assign', t, value);
    const info = runPrimitive('assign', [t], {})[0];
    this.write(info);
    info.dispose();
    if (!(value instanceof Tensor)) t.dispose();
    return this;
  }

  /** this += value (in place). */
  assignAdd(value: Tensor | TensorLike): this {
    return this.update('assignAdd', value, (v) => add(this, v));
  }

  /** this -= value (in place). */
  assignSub(value: Tensor | TensorLike): this {
    return this.update('assignSub', value, (v) => sub(this, v));
  }

  private update(op: string, value: Tensor | TensorLike, f: (v: Tensor) => Tensor): this {
    const t = value instanceof Tensor ? value : tensor(value, undefined, this.dtype);
    this.checkCompatibleOrFree(op, t, value);
    const next = ENGINE.withoutTapes(() => f(t));
    this.write(next);
    next.dispose();
    if (!(value instanceof Tensor)) t.dispose();
    return this;
  }

  protected override get kindName(): string {
    return 'Variable';
  }

  /** Takes the storage of `value` (a jit recorder sees the write first). */
  private write(value: Tensor): void {
    if (ENGINE.recorder?.write(this, value)) return;
    this.moveTo(value.backend, value.dataId);
  }

  /** checkCompatible, freeing t (made from a plain value) when it fails. */
  private checkCompatibleOrFree(op: string, t: Tensor, value: Tensor | TensorLike): void {
    try {
      this.checkCompatible(op, t);
    } catch (e) {
      if (!(value instanceof Tensor)) t.dispose();
      throw e;
    }
  }

  private checkCompatible(op: string, t: Tensor): void {
    this.assertAlive(op);
    if (!shapesEqual(t.shape, this.shape) || t.dtype !== this.dtype) {
      throw new Error(
        `${op}: variable '${this.name}' is ${this.dtype} ${fmtShape(this.shape)}, value is ${t.dtype} ${fmtShape(t.shape)}`,
      );
    }
  }
}
