// The Layer base class: Keras's build/call contract, weight tracking, eager and symbolic application, configs.
import { Tensor, tidy, variable, zeros, type DType, type Variable } from '@webdl/core';
import { getInitializer, type InitializerLike } from '../initializers.js';
import { kerasName } from './options.js';
import { isSymbolic, SymbolicTensor, type Node } from './symbolic.js';
import { checkLayerArgs } from './layer-checks.js';
import { addActivityLoss } from './loss-collector.js';
import { propagateMask } from './masks.js';
import { setWeightConstraint, getConstraint, type ConstraintLike } from '../constraints.js';
import {
  getRegularizer,
  serializeRegularizer,
  setWeightRegularizer,
  type Regularizer,
  type RegularizerLike,
} from '../regularizers.js';
import { chargeWeight, madeWeight } from '../io/load-budget.js';

/**
 * A shape whose unknown dimensions (the batch, usually) are null.
 *
 * ```ts
 * const shape: Shape = [null, 28, 28, 1]; // batch size unknown
 * new layers.Conv2D(8, 3).computeOutputShape(shape); // [null, 26, 26, 8]
 * ```
 */
export type Shape = (number | null)[];

/**
 * Options every layer accepts.
 *
 * ```ts
 * const args: LayerArgs = { name: 'hidden', inputShape: [784], trainable: true };
 * new layers.Dense(128, args);
 * ```
 */
export interface LayerArgs {
  name?: string;
  trainable?: boolean;
  /** Shape of one sample (no batch dimension); makes the layer usable as a Sequential's first layer. */
  inputShape?: number[];
  /** Full input shape, batch dimension included (null if unknown). */
  batchInputShape?: Shape;
  batchSize?: number;
  dtype?: DType;
  /** A penalty on the layer's outputs, added to the loss in fit (Keras's activity_regularizer). */
  activityRegularizer?: RegularizerLike;
}

/**
 * Per-call options.
 *
 * ```ts
 * const args: CallArgs = { training: true };
 * new layers.Dropout(0.5).apply(ones([2, 4]), args);
 * ```
 */
export interface CallArgs {
  /** True during fit (Dropout drops, BatchNormalization uses batch statistics). */
  training?: boolean;
}

/**
 * What apply accepts and returns.
 *
 * ```ts
 * const inp: LayerInput = [input({ shape: [4] }), input({ shape: [4] })];
 * layers.add().apply(inp);
 * ```
 */
export type LayerInput = Tensor | Tensor[] | SymbolicTensor | SymbolicTensor[];

const nameCounters = new Map<string, number>();

/** Keras-style unique name: 'dense', 'dense_1', ... (the prefix is `kerasName(className)`: 'conv2d', 'max_pooling2d'). */
export function uniqueLayerName(prefix: string): string {
  const n = nameCounters.get(prefix) ?? 0;
  nameCounters.set(prefix, n + 1);
  return n === 0 ? prefix : `${prefix}_${n}`;
}

/** Whether a shape value is a list of shapes rather than one shape. */
export function isShapeList(s: Shape | Shape[]): s is Shape[] {
  return s.length > 0 && Array.isArray(s[0]);
}

/**
 * What `apply` on a list gives, by type: one tensor for layers that merge their inputs (they declare
 * `declare readonly mergesInputs: true`, as Add and Concatenate do), else one or several.
 */
export type ListOutput<L, T> = L extends { readonly mergesInputs: true } ? T : T | T[];

/**
 * What `apply` on one tensor gives, by type: one tensor, unless the layer may return several (RNNs
 * with returnState declare `declare readonly mayReturnList: true`).
 */
export type SingleOutput<L, T> = L extends { readonly mayReturnList: true } ? T | T[] : T;

/**
 * Arguments of addWeight.
 *
 * ```ts
 * class Scale extends Layer {
 *   scale!: Variable;
 *   override build() {
 *     const args: AddWeightArgs = { name: 'scale', shape: [1], initializer: 'ones' };
 *     this.scale = this.addWeight(args);
 *   }
 *   override call(x: Tensor) {
 *     return x.mul(this.scale);
 *   }
 * }
 * ```
 */
export interface AddWeightArgs {
  name?: string;
  shape: number[];
  initializer?: InitializerLike;
  trainable?: boolean;
  dtype?: DType;
  /** A penalty on the weight, added to the loss in fit. */
  regularizer?: RegularizerLike;
  /** A projection applied to the weight after each optimizer update. */
  constraint?: ConstraintLike;
}

/**
 * Base class of every layer and model. Subclasses create weights in `build(inputShape)` and compute
 * in `call(inputs, { training })`; `apply` builds on first use.
 *
 * ```ts
 * class SimpleDense extends Layer {
 *   W!: Variable; b!: Variable;
 *   constructor(public units: number, public activation?: (x: Tensor) => Tensor) { super(); }
 *   override build(inputShape: Shape) {
 *     this.W = this.addWeight({ shape: [inputShape.at(-1) as number, this.units], initializer: 'random_normal' });
 *     this.b = this.addWeight({ shape: [this.units], initializer: 'zeros' });
 *   }
 *   call(x: Tensor) { const y = x.matmul(this.W).add(this.b); return this.activation ? this.activation(y) : y; }
 * }
 * new SimpleDense(32, relu).apply(ones([2, 784])); // shape [2, 32]
 * ```
 */
export abstract class Layer {
  name: string;
  trainable: boolean;
  built = false;
  readonly dtype: DType;
  /** Input shape (batch dim included) given to the constructor, if any. */
  batchInputShape: Shape | null = null;
  /** The shape the layer was built from (kept so a loaded model can recreate its weights). */
  buildInputShape: Shape | Shape[] | null = null;
  /** Graph nodes where this layer was applied to symbolic tensors. */
  inboundNodes: Node[] = [];
  private ownWeights: Variable[] = [];
  private ownTrainable = new Set<Variable>();
  /** Penalty on the outputs, added to the loss in fit; null for none. */
  activityRegularizer: Regularizer | null = null;
  private weightCounter = 0;

  constructor(args: LayerArgs = {}) {
    checkLayerArgs(this.getClassName(), args);
    this.name = args.name ?? uniqueLayerName(kerasName(this.getClassName()));
    this.trainable = args.trainable ?? true;
    this.dtype = args.dtype ?? 'float32';
    this.activityRegularizer = getRegularizer(args.activityRegularizer);
    if (args.batchInputShape) this.batchInputShape = [...args.batchInputShape];
    else if (args.inputShape) this.batchInputShape = [args.batchSize ?? null, ...args.inputShape];
  }

  /** The class name used in configs: the subclass's `static readonly className = 'Dense'`, else the JS class name. */
  getClassName(): string {
    const ctor = this.constructor as { className?: string; name: string };
    return Object.prototype.hasOwnProperty.call(ctor, 'className') && ctor.className
      ? ctor.className
      : ctor.name;
  }

  /** Creates weights from the input shape (batch dim may be null). Default: nothing. */
  build(_inputShape: Shape | Shape[]): void {
    this.built = true;
  }

  /** The computation on concrete tensors. */
  abstract call(inputs: Tensor | Tensor[], args: CallArgs): Tensor | Tensor[];

  /**
   * Output shape from the input shape. The default runs `call` on zeros inside tidy, with unknown
   * dimensions set to 2 and then 3: output dimensions that change between the runs are unknown.
   */
  computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    const list = isShapeList(inputShape) ? inputShape : [inputShape];
    const hasUnknown = list.some((s) => s.some((d) => d === null));
    const run = (fillIn: number): number[][] =>
      tidy(() => {
        const xs = list.map((s) => zeros(s.map((d) => d ?? fillIn)));
        const out = this.call(isShapeList(inputShape) ? xs : xs[0], { training: false });
        return (Array.isArray(out) ? out : [out]).map((t) => [...t.shape]);
      });
    const a = run(2);
    const b = hasUnknown ? run(3) : a;
    const shapes: Shape[] = a.map((s, i) => s.map((d, j) => (b[i][j] === d ? d : null)));
    return shapes.length === 1 && !this.returnsList ? shapes[0] : shapes;
  }

  /** Set when call returns an array (detected on the first symbolic application). */
  protected returnsList = false;

  /** Creates a weight variable named '<layer>/<name>' and tracks it. */
  addWeight(args: AddWeightArgs): Variable {
    const name = args.name ?? `weight_${this.weightCounter++}`;
    const init = getInitializer(args.initializer ?? 'glorot_uniform');
    const trainable = args.trainable ?? true;
    chargeWeight(`${this.name}/${name}`, args.shape);
    const v = tidy(() => {
      const t = init.apply([...args.shape], args.dtype ?? this.dtype);
      return variable(t, { trainable, name: `${this.name}/${name}` });
    });
    madeWeight(v);
    this.ownWeights.push(v);
    if (trainable) this.ownTrainable.add(v);
    setWeightRegularizer(v, getRegularizer(args.regularizer));
    setWeightConstraint(v, getConstraint(args.constraint));
    return v;
  }

  /** Layers held in this layer's fields (directly or in arrays): their weights count as this layer's. */
  get subLayers(): Layer[] {
    const found: Layer[] = [];
    const seen = new Set<Layer>([this]);
    const visit = (v: unknown): void => {
      if (v instanceof Layer) {
        if (!seen.has(v)) {
          seen.add(v);
          found.push(v);
        }
      } else if (Array.isArray(v)) v.forEach(visit);
    };
    for (const [key, value] of Object.entries(this)) if (key !== 'inboundNodes') visit(value);
    return found;
  }

  /** Trainable weights of this layer and its sublayers (none when `trainable` is false). */
  get trainableWeights(): Variable[] {
    if (!this.trainable) return [];
    const own = this.ownWeights.filter((w) => this.ownTrainable.has(w));
    return unique([...own, ...this.subLayers.flatMap((l) => l.trainableWeights)]);
  }

  /** Weights not updated by the optimizer (moving statistics, or everything when frozen). */
  get nonTrainableWeights(): Variable[] {
    const trainable = new Set(this.trainableWeights);
    return this.weights.filter((w) => !trainable.has(w));
  }

  /** All weights: trainable ones first, as Keras orders them. */
  get weights(): Variable[] {
    const all = unique([...this.ownWeights, ...this.subLayers.flatMap((l) => l.weights)]);
    const trainable = new Set(this.trainable ? all.filter((w) => this.isTrainableHere(w)) : []);
    return [...all.filter((w) => trainable.has(w)), ...all.filter((w) => !trainable.has(w))];
  }

  private isTrainableHere(w: Variable): boolean {
    if (this.ownTrainable.has(w)) return true;
    return this.subLayers.some((l) => l.trainableWeights.includes(w));
  }

  /**
   * Applies the layer. On Tensors it builds on first use (from the first input's shape) and runs
   * `call` eagerly; on SymbolicTensors it records a graph node and returns SymbolicTensor(s).
   */
  apply<L extends Layer>(this: L, inputs: SymbolicTensor, args?: CallArgs): SingleOutput<L, SymbolicTensor>;
  apply<L extends Layer>(this: L, inputs: SymbolicTensor[], args?: CallArgs): ListOutput<L, SymbolicTensor>;
  apply<L extends Layer>(this: L, inputs: Tensor, args?: CallArgs): SingleOutput<L, Tensor>;
  apply<L extends Layer>(this: L, inputs: Tensor[], args?: CallArgs): ListOutput<L, Tensor>;
  apply(inputs: Tensor | Tensor[], args?: CallArgs): Tensor | Tensor[];
  apply(inputs: SymbolicTensor | SymbolicTensor[], args?: CallArgs): SymbolicTensor | SymbolicTensor[];
  apply(inputs: LayerInput, args?: CallArgs): LayerInput;
  apply(inputs: LayerInput, args: CallArgs = {}): LayerInput {
    if (isSymbolic(inputs)) return this.applySymbolic(inputs, args);
    const list = Array.isArray(inputs) ? inputs : [inputs];
    if (!list.every((t) => t instanceof Tensor)) {
      throw new Error(`${this.name}.apply: expected Tensor(s) or SymbolicTensor(s), got ${describe(inputs)}`);
    }
    this.maybeBuild(Array.isArray(inputs) ? list.map((t) => [...t.shape]) : [...list[0].shape]);
    const out = this.call(inputs as Tensor | Tensor[], args);
    addActivityLoss(this.activityRegularizer, out);
    propagateMask(this.getClassName(), inputs as Tensor | Tensor[], out);
    return out;
  }

  /** Builds once, from concrete or symbolic shapes. */
  protected maybeBuild(inputShape: Shape | Shape[]): void {
    if (this.built) return;
    this.buildInputShape = inputShape;
    this.build(inputShape);
    this.built = true;
  }

  private applySymbolic(
    inputs: SymbolicTensor | SymbolicTensor[],
    args: CallArgs,
  ): SymbolicTensor | SymbolicTensor[] {
    const list = Array.isArray(inputs) ? inputs : [inputs];
    const shapes = list.map((s) => [...s.shape]);
    const inShape = Array.isArray(inputs) ? shapes : shapes[0];
    this.maybeBuild(inShape);
    const out = this.computeOutputShape(inShape);
    const outShapes = isShapeList(out) ? out : [out];
    const nodeIndex = this.inboundNodes.length;
    const outputs = outShapes.map((s, i) => new SymbolicTensor(s, this.dtype, this, nodeIndex, i));
    const outputIsList = isShapeList(out);
    if (outputIsList) this.returnsList = true;
    this.inboundNodes.push({
      layer: this,
      inputs: list,
      outputs,
      inputIsList: Array.isArray(inputs),
      outputIsList,
      callArgs: args,
    });
    return outputIsList ? outputs : outputs[0];
  }

  /** Output shape of the layer's first graph node (for summaries). */
  get outputShape(): Shape | Shape[] {
    const node = this.inboundNodes[0];
    if (!node)
      throw new Error(
        `${this.name}: the layer has not been applied to a symbolic input, so it has no output shape`,
      );
    return node.outputIsList ? node.outputs.map((o) => o.shape) : node.outputs[0].shape;
  }

  /**
   * Keras-style config: name, trainable, dtype, batchInputShape (when given) plus the subclass's own
   * constructor options. Must round-trip through the registry's factory.
   */
  getConfig(): Record<string, unknown> {
    const config: Record<string, unknown> = { name: this.name, trainable: this.trainable, dtype: this.dtype };
    if (this.batchInputShape) config.batchInputShape = [...this.batchInputShape];
    if (this.activityRegularizer) config.activityRegularizer = serializeRegularizer(this.activityRegularizer);
    return config;
  }

  /** Number of scalar weights. */
  countParams(): number {
    return this.weights.reduce((n, w) => n + w.size, 0);
  }

  /** Copies of the weights' current values, in `weights` order. */
  getWeights(): Tensor[] {
    // A reshape shares storage but is a new tensor: later assigns to the weight do not change it.
    return this.weights.map((w) => {
      const copy = w.reshape([...w.shape]);
      return copy === w ? w.mul(1) : copy;
    });
  }

  /** Assigns new values to the weights, in `weights` order (shapes must match). */
  setWeights(values: Tensor[]): void {
    const ws = this.weights;
    if (values.length !== ws.length) {
      throw new Error(`${this.name}.setWeights: expected ${ws.length} tensors, got ${values.length}`);
    }
    ws.forEach((w, i) => w.assign(values[i]));
  }

  /** Frees the layer's weights (and its sublayers'). */
  dispose(): void {
    for (const w of this.weights) if (!w.isDisposed) w.dispose();
  }
}

function unique<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}

function describe(x: unknown): string {
  if (Array.isArray(x)) return `[${x.map(describe).join(', ')}]`;
  if (x === null) return 'null';
  if (typeof x === 'object') return (x as object).constructor?.name ?? 'object';
  return typeof x;
}
