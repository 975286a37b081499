// The recurrent-layer base: the time loop shared by SimpleRNN, LSTM and GRU (states, directions, dropout masks).
import { dropout, keep, matmul, ones, stack, zeros, type Tensor, type Variable } from '@webdl/core';
import { getMask, setMask } from '../../engine/masks.js';
import { Layer, type CallArgs, type LayerArgs, type Shape } from '../../engine/layer.js';
import { formatShape } from '../../engine/format.js';
import type { OptionTable } from '../../engine/options.js';
import {
  getActivation,
  serializeActivation,
  type ActivationFn,
  type ActivationLike,
} from '../../activations.js';
import type { Initializer } from '../../initializers.js';
import {
  initializerConfig,
  knownDim,
  resolveInitializer,
  singleShape,
  type InitializerOption,
} from '../layer-utils.js';
import {
  penaltyConfig,
  penaltyOptions,
  resolvePenalties,
  type PenaltyArgs,
  type WeightPenalty,
} from '../weight-penalties.js';

/**
 * Options shared by SimpleRNN, LSTM and GRU (Keras names, camelCase).
 *
 * ```ts
 * const args: layers.RNNArgs = { returnSequences: true, returnState: false, goBackwards: false };
 * new layers.SimpleRNN(8, args);
 * ```
 */
export interface RNNArgs extends LayerArgs, PenaltyArgs<'kernel' | 'recurrent' | 'bias'> {
  activation?: ActivationLike;
  useBias?: boolean;
  kernelInitializer?: InitializerOption;
  recurrentInitializer?: InitializerOption;
  biasInitializer?: InitializerOption;
  /** Fraction of the inputs dropped while training (one mask for every time step). */
  dropout?: number;
  /** Fraction of the recurrent state dropped while training (one mask for every time step). */
  recurrentDropout?: number;
  /** Return the output of every step ([batch, steps, units]) instead of the last ([batch, units]). */
  returnSequences?: boolean;
  /** Also return the final states: [output, ...states]. */
  returnState?: boolean;
  /** Process the sequence backwards (and return the reversed output sequence, as Keras). */
  goBackwards?: boolean;
  /** Recorded for Keras compatibility; the loop is always unrolled eagerly here. */
  unroll?: boolean;
  /** Carry the last states of each batch into the next call (sample i continues sample i); see resetStates. */
  stateful?: boolean;
}

/**
 * The config object of SimpleRNN, LSTM and GRU: the options plus units.
 *
 * ```ts
 * const config: layers.RNNConfig = { units: 16, activation: 'relu' };
 * layers.simpleRNN(config);
 * ```
 */
export type RNNConfig = RNNArgs & { units: number };

/** Keras's positional order for the recurrent layers. */
export const RNN_POSITIONAL = ['units', 'activation'] as const;

/** The options every recurrent layer accepts (LSTM and GRU add theirs). */
export const RNN_OPTIONS: OptionTable<RNNConfig> = {
  units: true,
  activation: true,
  useBias: true,
  kernelInitializer: true,
  recurrentInitializer: true,
  biasInitializer: true,
  dropout: true,
  recurrentDropout: true,
  returnSequences: true,
  returnState: true,
  goBackwards: true,
  unroll: true,
  stateful: true,
  ...penaltyOptions(['kernel', 'recurrent', 'bias']),
};

/** A recurrent layer's weights in Keras layout: kernel [inputDim, gates*units], recurrentKernel [units, gates*units], bias. */
export interface RNNWeights {
  kernel: Variable;
  recurrentKernel: Variable;
  bias: Variable | null;
}

/**
 * Base of the recurrent layers. Subclasses give the number of gates and states and the step
 * function; the input projection `x · kernel (+ bias)` is computed once for all steps.
 * `apply(x)` or `apply([x, ...initialStates])`.
 *
 * ```ts
 * const rnn: layers.RNN = layers.lstm({ units: 8, returnSequences: true });
 * rnn.apply(zeros([2, 5, 3])); // shape [2, 5, 8]
 * ```
 */
export abstract class RNN extends Layer {
  /** Type-level: apply may give several tensors (returnState / returnAttentionScores / mergeMode null). */
  declare readonly mayReturnList: true;
  readonly units: number;
  readonly activation: ActivationFn;
  readonly useBias: boolean;
  readonly dropout: number;
  readonly recurrentDropout: number;
  readonly returnSequences: boolean;
  readonly returnState: boolean;
  readonly goBackwards: boolean;
  readonly unroll: boolean;
  protected readonly kernelInitializer: Initializer;
  protected readonly recurrentInitializer: Initializer;
  protected readonly biasInitializer: Initializer;
  /** Regularizers and constraints of the weights. */
  readonly penalties: Record<'kernel' | 'recurrent' | 'bias', WeightPenalty>;
  readonly stateful: boolean;
  /** The states a stateful layer carries into its next call (null: zeros). */
  private heldStates: Tensor[] | null = null;
  /** The previous held states: the current step's gradient may still read them, so they go one call later. */
  private retiredStates: Tensor[] = [];
  kernel: Variable | null = null;
  recurrentKernel: Variable | null = null;
  bias: Variable | null = null;

  static readonly positional = RNN_POSITIONAL;
  static readonly options: OptionTable<RNNConfig> = RNN_OPTIONS;

  constructor(args: RNNConfig, defaultActivation: string) {
    super(args);
    const { units } = args;
    const cls = (this.constructor as unknown as { className: string }).className;
    if (!Number.isInteger(units) || units < 1)
      throw new Error(`${cls}: units must be a positive integer, got ${units}`);
    for (const [what, v] of [
      ['dropout', args.dropout ?? 0],
      ['recurrentDropout', args.recurrentDropout ?? 0],
    ] as const) {
      if (!(v >= 0 && v < 1)) throw new Error(`${cls}: ${what} must be in [0, 1), got ${v}`);
    }
    this.units = units;
    this.activation = getActivation(args.activation === undefined ? defaultActivation : args.activation);
    this.useBias = args.useBias ?? true;
    this.dropout = args.dropout ?? 0;
    this.recurrentDropout = args.recurrentDropout ?? 0;
    this.returnSequences = args.returnSequences ?? false;
    this.returnState = args.returnState ?? false;
    this.goBackwards = args.goBackwards ?? false;
    this.unroll = args.unroll ?? false;
    this.stateful = args.stateful ?? false;
    this.kernelInitializer = resolveInitializer(args.kernelInitializer, 'glorot_uniform');
    this.recurrentInitializer = resolveInitializer(args.recurrentInitializer, 'orthogonal');
    this.biasInitializer = resolveInitializer(args.biasInitializer, 'zeros');
    this.penalties = resolvePenalties(args, ['kernel', 'recurrent', 'bias'], cls);
  }

  /** Number of gate blocks in the kernels (1 SimpleRNN, 4 LSTM, 3 GRU). */
  protected abstract get gates(): number;
  /** Number of state tensors (1, or 2 for LSTM's [h, c]). */
  protected abstract get numStates(): number;
  /** Shape of the bias weight. */
  protected biasShape(): number[] {
    return [this.gates * this.units];
  }
  /** Adds the bias weight (LSTM overrides it for unitForgetBias). */
  protected addBias(): Variable {
    return this.addWeight({
      name: 'bias',
      shape: this.biasShape(),
      initializer: this.biasInitializer,
      ...this.penalties.bias,
    });
  }
  /**
   * One step: `xProj` is this step's `x · kernel (+ input bias)` [batch, gates*units], `states` the
   * previous states (h already multiplied by the recurrent dropout mask in `hDropped`). Returns the
   * new states; the first is the step's output.
   */
  protected abstract step(xProj: Tensor, states: Tensor[], hDropped: Tensor, w: RNNWeights): Tensor[];
  /** The part of the bias added to the input projection (all of it, except GRU's reset-after layout). */
  protected inputBias(bias: Variable): Tensor {
    return bias;
  }

  override build(inputShape: Shape | Shape[]): void {
    const list = Array.isArray(inputShape[0]) ? (inputShape as Shape[]) : [inputShape as Shape];
    const shape = singleShape(list[0], this.name);
    if (shape.length !== 3)
      throw new Error(`${this.name}: expects input [batch, steps, features], got ${formatShape(shape)}`);
    const inputDim = knownDim(shape[2], this.name, 'feature');
    const g = this.gates * this.units;
    this.kernel = this.addWeight({
      name: 'kernel',
      shape: [inputDim, g],
      initializer: this.kernelInitializer,
      ...this.penalties.kernel,
    });
    this.recurrentKernel = this.addWeight({
      name: 'recurrent_kernel',
      shape: [this.units, g],
      initializer: this.recurrentInitializer,
      ...this.penalties.recurrent,
    });
    if (this.useBias) this.bias = this.addBias();
    this.built = true;
  }

  call(inputs: Tensor | Tensor[], args: CallArgs): Tensor | Tensor[] {
    const [x, ...initial] = Array.isArray(inputs) ? inputs : [inputs];
    if (this.kernel === null || this.recurrentKernel === null)
      throw new Error(`${this.name}: call before build`);
    if (x.rank !== 3)
      throw new Error(`${this.name}: expects input [batch, steps, features], got [${x.shape.join(',')}]`);
    const [n, steps, dim] = x.shape;
    const w: RNNWeights = { kernel: this.kernel, recurrentKernel: this.recurrentKernel, bias: this.bias };
    if (initial.length !== 0 && initial.length !== this.numStates) {
      throw new Error(
        `${this.name}: expects ${this.numStates} initial state tensor(s), got ${initial.length}`,
      );
    }
    if (this.stateful && this.heldStates && initial.length === 0 && this.heldStates[0].shape[0] !== n)
      throw new Error(
        `${this.name}: a stateful layer holds states for batches of ${this.heldStates[0].shape[0]}, got a batch of ${n}; use a fixed batch size (shuffle: false) or call resetStates()`,
      );
    let states =
      initial.length > 0
        ? initial
        : this.stateful && this.heldStates
          ? this.heldStates
          : Array.from({ length: this.numStates }, () => zeros([n, this.units]));
    // A [batch, steps] mask (Embedding maskZero, Masking): masked steps keep the previous states.
    const maskFn = getMask(x);
    const mask = maskFn ? maskFn().cast('float32').reshape([n, steps, 1]) : null;
    const training = args.training === true;
    let xin = x;
    if (training && this.dropout > 0) xin = x.mul(dropout(ones([n, 1, dim]), this.dropout));
    const recMask =
      training && this.recurrentDropout > 0 ? dropout(ones([n, this.units]), this.recurrentDropout) : null;
    // Input projection for every step at once: [n*steps, dim] · [dim, gates*units].
    let proj = matmul(xin.reshape([n * steps, dim]), this.kernel);
    if (this.bias !== null) proj = proj.add(this.inputBias(this.bias));
    const proj3 = proj.reshape([n, steps, this.gates * this.units]);
    const outputs: Tensor[] = [];
    for (let i = 0; i < steps; i++) {
      const t = this.goBackwards ? steps - 1 - i : i;
      const xt = proj3
        .slice([0, t, 0], [n, 1, this.gates * this.units])
        .reshape([n, this.gates * this.units]);
      const hDropped = recMask === null ? states[0] : states[0].mul(recMask);
      const next = this.step(xt, states, hDropped, w);
      if (mask) {
        const m = mask.slice([0, t, 0], [n, 1, 1]).reshape([n, 1]);
        states = next.map((s, k) => s.mul(m).add(states[k].mul(m.neg().add(1))));
      } else states = next;
      if (this.returnSequences) outputs.push(states[0]);
    }
    if (this.stateful) this.holdStates(states);
    const output = this.returnSequences ? stack(outputs, 1) : states[0];
    // The output sequence keeps the input's mask (as Keras); a last-step output has none.
    if (maskFn && this.returnSequences) setMask(output, maskFn);
    return this.returnState ? [output, ...states] : output;
  }

  /** Keeps copies of the final states for the next call (kept out of the caller's tidy). */
  private holdStates(states: Tensor[]): void {
    for (const t of this.retiredStates) t.dispose();
    this.retiredStates = this.heldStates ?? [];
    this.heldStates = states.map((s) => keep(s.mul(1)));
  }

  /**
   * Stateful layers: forget the carried states (the next call starts from zeros), or set them to
   * `states` ([batch, units] each). `lstm.resetStates()`
   */
  resetStates(states?: Tensor[]): void {
    if (!this.stateful)
      throw new Error(
        `${this.name}.resetStates: the layer is not stateful (construct it with stateful: true)`,
      );
    if (states !== undefined) {
      if (states.length !== this.numStates || states.some((s) => s.rank !== 2 || s.shape[1] !== this.units))
        throw new Error(
          `${this.name}.resetStates: expected ${this.numStates} state tensor(s) of shape [batch, ${this.units}], got ${states.map((s) => `[${s.shape.join(',')}]`).join(', ')}`,
        );
    }
    for (const t of [...this.retiredStates, ...(this.heldStates ?? [])]) t.dispose();
    this.retiredStates = [];
    this.heldStates = states ? states.map((s) => keep(s.mul(1))) : null;
  }

  override dispose(): void {
    for (const t of [...this.retiredStates, ...(this.heldStates ?? [])]) if (!t.isDisposed) t.dispose();
    this.retiredStates = [];
    this.heldStates = null;
    super.dispose();
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    const list = Array.isArray(inputShape[0]) ? (inputShape as Shape[]) : [inputShape as Shape];
    const [n, steps] = list[0];
    const out: Shape = this.returnSequences ? [n, steps, this.units] : [n, this.units];
    if (!this.returnState) return out;
    return [out, ...Array.from({ length: this.numStates }, (): Shape => [n, this.units])];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      units: this.units,
      activation: serializeActivation(this.activation),
      useBias: this.useBias,
      kernelInitializer: initializerConfig(this.kernelInitializer),
      recurrentInitializer: initializerConfig(this.recurrentInitializer),
      biasInitializer: initializerConfig(this.biasInitializer),
      ...penaltyConfig(this.penalties),
      dropout: this.dropout,
      recurrentDropout: this.recurrentDropout,
      returnSequences: this.returnSequences,
      returnState: this.returnState,
      goBackwards: this.goBackwards,
      unroll: this.unroll,
      stateful: this.stateful,
    };
  }
}
