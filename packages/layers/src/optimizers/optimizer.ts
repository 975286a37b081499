// The Optimizer base: learning rate (number or schedule), step count, slot variables, clipping and applyGradients.
import {
  hostEffect,
  hostScalar,
  tidy,
  untraced,
  variable,
  zerosLike,
  type Tensor,
  type Variable,
} from '@webdl/core';
import { applyConstraint } from '../constraints.js';
import { checkOptions } from '../engine/options.js';
import { LearningRateSchedule } from './schedules.js';
import { checkLearningRate, checkRanges, COMMON_RANGES } from './validate.js';

/**
 * Options every optimizer takes (Keras names, camelCase).
 *
 * ```ts
 * const args: optimizers.OptimizerArgs = { learningRate: 0.01, clipnorm: 1 };
 * new optimizers.SGD(args);
 * ```
 */
export interface OptimizerArgs {
  learningRate?: number | LearningRateSchedule;
  /** Clip each gradient to this L2 norm. */
  clipnorm?: number;
  /** Clip each gradient element to [-clipvalue, clipvalue]. */
  clipvalue?: number;
  /** Clip all gradients together to this global L2 norm. */
  globalClipnorm?: number;
  /** Decoupled weight decay (variable -= lr · weightDecay · variable), as Keras 3 applies it. */
  weightDecay?: number;
  name?: string;
}

/** The option names every optimizer takes (the keys of OptimizerArgs). */
const COMMON_OPTIONS = ['learningRate', 'clipnorm', 'clipvalue', 'globalClipnorm', 'weightDecay', 'name'];

/**
 * Base of the optimizers. Subclasses implement `updateStep(grad, variable, lr)` with tensor ops and
 * keep state in slot variables from `slot(variable, name)`.
 *
 * ```ts
 * const opt = new optimizers.SGD({ learningRate: 0.1 });
 * opt.applyGradients(grads, model.trainableWeights);
 * ```
 */
export abstract class Optimizer {
  /** The Keras class name; every subclass overrides this getter (it is usable in constructors). */
  get className(): string {
    return 'Optimizer';
  }
  /** Number of applyGradients calls so far. */
  iterations = 0;
  readonly clipnorm?: number;
  readonly clipvalue?: number;
  readonly globalClipnorm?: number;
  weightDecay?: number;
  private lr: number | LearningRateSchedule;
  private slots = new Map<Variable, Map<string, Variable>>();
  /** Set once the some-gradients-are-null warning was given (Keras warns once too). */
  private warnedMissing = false;

  /**
   * The options a subclass takes beyond OptimizerArgs. A prototype getter, like className, so the
   * base constructor can reject unknown (e.g. misspelt) options before any is used.
   */
  protected get ownOptions(): readonly string[] {
    return [];
  }

  constructor(args: OptimizerArgs, defaultLearningRate: number) {
    // className and ownOptions are prototype getters in every subclass, so they are defined here already.
    checkOptions(this.className, args, [...COMMON_OPTIONS, ...this.ownOptions]);
    checkLearningRate(this.className, args.learningRate ?? defaultLearningRate);
    checkRanges(this.className, args, COMMON_RANGES);
    this.lr = args.learningRate ?? defaultLearningRate;
    this.clipnorm = args.clipnorm;
    this.clipvalue = args.clipvalue;
    this.globalClipnorm = args.globalClipnorm;
    this.weightDecay = args.weightDecay;
  }

  /** The learning rate: a number (settable, e.g. by LearningRateScheduler) or a schedule. */
  get learningRate(): number | LearningRateSchedule {
    return this.lr;
  }
  set learningRate(value: number | LearningRateSchedule) {
    checkLearningRate(`${this.className}.learningRate`, value);
    this.lr = value;
  }

  /**
   * Whether every host number this optimizer's step uses that can change between steps (learning
   * rate, schedule, step count) is a declared host scalar (`hostScalar`), and `iterations` advances
   * through `hostEffect`: then a jitted training step may skip re-running the step's JavaScript
   * (jit's `direct` option). Subclasses that declare theirs override this with true.
   */
  get declaresHostScalars(): boolean {
    return false;
  }

  /**
   * @internal The host decisions that shape the step's graph (weight decay on or off): a jitted
   * step traces again when it changes.
   */
  graphKey(): string {
    return this.weightDecay ? 'decay' : '';
  }

  /** A scalar tensor of `read()`, re-read by jitted steps that skip the JavaScript (see declaresHostScalars). */
  protected hostScalar(read: () => number): Tensor {
    return hostScalar(read);
  }

  /** The current learning rate as a declared host scalar. */
  protected rate(): Tensor {
    return hostScalar(() => this.currentLearningRate);
  }

  /** The learning rate for the current step (the schedule evaluated at `iterations`). */
  get currentLearningRate(): number {
    return this.lr instanceof LearningRateSchedule ? this.lr.rate(this.iterations) : this.lr;
  }

  /**
   * Applies one update: `grads[i]` to `variables[i]` (null gradients are skipped). Also accepts
   * Keras's list of [gradient, variable] pairs.
   */
  applyGradients(grads: (Tensor | null)[], variables: Variable[]): void;
  applyGradients(pairs: [Tensor | null, Variable][]): void;
  applyGradients(a: (Tensor | null)[] | [Tensor | null, Variable][], b?: Variable[]): void {
    const pairs: [Tensor | null, Variable][] = b
      ? (a as (Tensor | null)[]).map((g, i) => [g, b[i]])
      : (a as [Tensor | null, Variable][]);
    if (b && a.length !== b.length)
      throw new Error(`${this.className}.applyGradients: ${a.length} gradients for ${b.length} variables`);
    const missing = pairs.filter((p) => p[0] === null || p[0] === undefined).map((p) => p[1]);
    if (pairs.length > 0 && missing.length === pairs.length)
      throw new Error(
        `${this.className}.applyGradients: No gradients provided for any variable: [${missing.map((v) => `'${v.name}'`).join(', ')}]. Compute the loss inside tape.record(() => ...) from these variables.`,
      );
    if (missing.length > 0 && !this.warnedMissing) {
      this.warnedMissing = true;
      console.warn(
        `${this.className}.applyGradients: Gradients do not exist for variables [${missing.map((v) => `'${v.name}'`).join(', ')}] when minimizing the loss; they are skipped.`,
      );
    }
    const lr = this.currentLearningRate;
    tidy(() => {
      let live = pairs.filter((p): p is [Tensor, Variable] => p[0] !== null && p[0] !== undefined);
      // Every shape is checked before the first update, so a bad gradient changes no variable.
      for (const [g, v] of live) {
        if (g.shape.length !== v.shape.length || g.shape.some((d, i) => d !== v.shape[i])) {
          throw new Error(
            `${this.className}.applyGradients: gradient [${g.shape}] does not match variable '${v.name}' [${v.shape}]`,
          );
        }
      }
      live = this.clip(live);
      for (const [g, v] of live) {
        if (this.weightDecay)
          v.assignSub(v.mul(hostScalar(() => this.currentLearningRate * (this.weightDecay ?? 0))));
        this.updateStep(g, v, lr);
        // Keras applies each variable's constraint right after its update.
        applyConstraint(v);
      }
    });
    hostEffect(() => {
      this.iterations++;
    });
  }

  private clip(pairs: [Tensor, Variable][]): [Tensor, Variable][] {
    let out = pairs;
    if (this.clipvalue !== undefined) {
      const c = this.clipvalue;
      out = out.map(([g, v]) => [g.clipByValue(-c, c), v]);
    }
    if (this.clipnorm !== undefined) {
      const c = this.clipnorm;
      // g · c / max(‖g‖, c): unchanged when the norm is within c.
      out = out.map(([g, v]) => [g.mul(c).div(g.square().sum().sqrt().maximum(c)), v]);
    }
    if (this.globalClipnorm !== undefined && out.length > 0) {
      const c = this.globalClipnorm;
      const norm = out
        .map(([g]) => g.square().sum())
        .reduce((s, t) => s.add(t))
        .sqrt();
      const scale = norm.maximum(c).reciprocal().mul(c);
      out = out.map(([g, v]) => [g.mul(scale), v]);
    }
    return out;
  }

  /** One variable's update for the current step (t = iterations + 1), written with tensor ops. */
  protected abstract updateStep(grad: Tensor, v: Variable, lr: number): void;

  /** A per-variable state tensor (zeros, or `init`), created on first use. */
  protected slot(v: Variable, name: string, init?: (v: Variable) => Tensor): Variable {
    let m = this.slots.get(v);
    if (!m) this.slots.set(v, (m = new Map()));
    let s = m.get(name);
    if (!s) {
      const make = () =>
        tidy(() => variable(init ? init(v) : zerosLike(v), { trainable: false, name: `${v.name}/${name}` }));
      // Zeros need only v's shape: made outside a jit trace, they are state, not part of the step.
      s = init ? make() : untraced(make);
      m.set(name, s);
    }
    return s;
  }

  /**
   * The slot `name` of `v` (zeros until a step writes it): how saved optimizer state is read and restored.
   *
   * ```ts
   * adam.getSlot(model.trainableWeights[0], 'momentum');
   * ```
   */
  getSlot(v: Variable, name: string): Variable {
    return this.slot(v, name);
  }

  /** All slot variables (for inspection and disposal). */
  get variables(): Variable[] {
    return [...this.slots.values()].flatMap((m) => [...m.values()]);
  }

  /** Hyperparameters for configs. */
  getConfig(): Record<string, unknown> {
    const lr =
      this.lr instanceof LearningRateSchedule
        ? { className: this.lr.className, config: this.lr.getConfig() }
        : this.lr;
    return {
      learningRate: lr,
      clipnorm: this.clipnorm,
      clipvalue: this.clipvalue,
      globalClipnorm: this.globalClipnorm,
      weightDecay: this.weightDecay,
    };
  }

  /** @internal Frees the slots not in `keep` (device-loss restore: state made after the snapshot goes). */
  dropSlotsExcept(keep: ReadonlySet<Variable>): void {
    for (const [v, m] of this.slots) {
      for (const [name, s] of m) {
        if (keep.has(s)) continue;
        s.dispose();
        m.delete(name);
      }
      if (m.size === 0) this.slots.delete(v);
    }
  }

  /** Frees the slot variables. */
  dispose(): void {
    for (const s of this.variables) s.dispose();
    this.slots.clear();
  }
}
