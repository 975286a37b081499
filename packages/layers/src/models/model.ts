// Model: a Layer that can be trained. Functional (new Model({ inputs, outputs })) or subclassed (override call).
import type { Tensor } from '@webdl/core';
import { Layer, type CallArgs, type Shape } from '../engine/layer.js';
import { SymbolicTensor, type Node } from '../engine/symbolic.js';
import {
  graphConfig,
  graphFromConfig,
  graphLayers,
  runGraph,
  topologicalNodes,
  type GraphConfig,
} from '../engine/container.js';
import type { Optimizer } from '../optimizers/optimizer.js';
import type { History } from '../callbacks.js';
import {
  compileModel,
  evaluateModel,
  fitModel,
  predictModel,
  trainOnBatchModel,
  type CompileArgs,
  type CompiledState,
  type PredictArgs,
} from './training.js';
import { summarize } from './summary.js';
import { checkOptions } from '../engine/options.js';
import { checkModelInputs, withAdapted, type DataLike } from './input-checks.js';
import { checkTrainingOptions, type EvaluateOptions, type FitOptions } from './options.js';
import type { Dataset } from '../data/dataset.js';
import { isDataset } from '../data/sources.js';
import {
  evaluateDataset,
  fitDataset,
  predictDataset,
  type DatasetRunArgs,
  type FitDatasetArgs,
} from '../data/fit-dataset.js';
import { saveModel, type ModelArtifacts, type SaveResult } from '../io/save.js';

/**
 * What a functional model's outputs are declared as: one symbolic tensor, or a list of them.
 *
 * ```ts
 * const inp = input({ shape: [3] });
 * const outputs: ModelOutputs = [layers.dense(1).apply(inp), layers.dense(2).apply(inp)];
 * ```
 */
export type ModelOutputs = SymbolicTensor | readonly SymbolicTensor[];

/**
 * Options of a functional Model; O is the type of `outputs`, inferred by `new Model({ inputs, outputs })`.
 *
 * ```ts
 * const inp = input({ shape: [4] });
 * const args: ModelArgs = { inputs: inp, outputs: layers.dense(1).apply(inp), name: 'regressor' };
 * new Model(args);
 * ```
 */
export interface ModelArgs<O extends ModelOutputs = ModelOutputs> {
  inputs?: SymbolicTensor | readonly SymbolicTensor[];
  outputs?: O;
  name?: string;
  trainable?: boolean;
}

/**
 * What `predict` resolves to for a model with outputs O: one Tensor for one output (also a list
 * of one, as it is unwrapped), a tuple of Tensors for a list of two or more, either when unknown.
 *
 * ```ts
 * const inp = input({ shape: [3] });
 * const outputs: [SymbolicTensor, SymbolicTensor] = [layers.dense(1).apply(inp), layers.dense(2).apply(inp)];
 * const twoOutputModel = new Model({ inputs: inp, outputs });
 * const [p1, p2]: PredictResult<typeof outputs> = await twoOutputModel.predict(x); // [Tensor, Tensor]
 * ```
 */
export type PredictResult<O extends ModelOutputs> = O extends SymbolicTensor | readonly [SymbolicTensor]
  ? Tensor
  : O extends readonly [SymbolicTensor, SymbolicTensor, ...SymbolicTensor[]]
    ? { -readonly [K in keyof O]: Tensor }
    : Tensor | Tensor[];

/**
 * What `evaluate` and `trainOnBatch` resolve to for outputs O, by Keras's rule: one number for one
 * output and no metrics, else [loss, ...per-output losses, ...metrics]. Two or more outputs are
 * always a list; for one output the type cannot see compile's metrics (`{ returnDict: true }` names them).
 *
 * ```ts
 * const inp = input({ shape: [3] });
 * const outputs: [SymbolicTensor, SymbolicTensor] = [layers.dense(1).apply(inp), layers.dense(2).apply(inp)];
 * const twoOutputModel = new Model({ inputs: inp, outputs });
 * twoOutputModel.compile({ optimizer: 'adam', loss: ['mse', 'mse'] });
 * const [loss, lossA, lossB]: EvaluateResult<typeof outputs> = await twoOutputModel.evaluate(x, [y, y]);
 * ```
 */
export type EvaluateResult<O extends ModelOutputs> = O extends readonly [
  SymbolicTensor,
  SymbolicTensor,
  ...SymbolicTensor[],
]
  ? number[]
  : number | number[];

/**
 * Data a model takes or predicts: one tensor, or one per input/output.
 *
 * ```ts
 * const inputs: Data = [xs, ys]; // a two-input model takes a list
 * const single: Data = x;
 * ```
 */
export type Data = Tensor | Tensor[];

/**
 * A trainable graph of layers. Functional: `new Model({ inputs, outputs })` with several inputs,
 * outputs and shared layers. Subclassed: extend Model, create layers in the constructor and
 * override `call`.
 *
 * ```ts
 * const inp = new Input({ shape: [784] });
 * const hidden = new layers.Dense(64, { activation: 'relu' }).apply(inp);
 * const model = new Model({ inputs: inp, outputs: new layers.Dense(10).apply(hidden) });
 * model.compile({ optimizer: 'adam', loss: 'mse' });
 * const y: Tensor = await model.predict(x); // one output: one Tensor
 * ```
 */
export class Model<const O extends ModelOutputs = ModelOutputs> extends Layer {
  static readonly className: string = 'Functional';
  /** Symbolic inputs and outputs (empty for a subclassed model). */
  inputs: SymbolicTensor[] = [];
  outputs: SymbolicTensor[] = [];
  /** Set by a callback to end fit after the current batch. */
  stopTraining = false;
  /** The History of the last fit. */
  history: History | null = null;
  /** What compile configured (optimizer, losses, metrics). */
  compiled: CompiledState | null = null;
  protected graphNodes: Node[] = [];
  protected graphLayerList: Layer[] = [];

  constructor(args: ModelArgs<O> = {}) {
    checkOptions('Model', args, ['inputs', 'outputs', 'name', 'trainable']);
    super({ name: args.name, trainable: args.trainable });
    if (args.inputs !== undefined || args.outputs !== undefined) {
      if (args.inputs === undefined || args.outputs === undefined)
        throw new Error('Model: give both inputs and outputs (or neither, to subclass)');
      this.initGraph(toList(args.inputs), toList(args.outputs));
    }
  }

  /** Wires the functional graph between symbolic inputs and outputs. */
  protected initGraph(inputs: SymbolicTensor[], outputs: SymbolicTensor[]): void {
    for (const t of [...inputs, ...outputs]) {
      if (!(t instanceof SymbolicTensor))
        throw new Error(
          `Model: inputs and outputs must be symbolic tensors (from Input and layer.apply), got ${String(t)}`,
        );
    }
    this.inputs = inputs;
    this.outputs = outputs;
    this.graphNodes = topologicalNodes(inputs, outputs);
    this.graphLayerList = graphLayers(inputs, this.graphNodes);
    this.built = true;
  }

  /** Whether the model is a graph of layers (functional or Sequential) rather than a subclass with its own call. */
  get isGraph(): boolean {
    return this.outputs.length > 0;
  }

  /** The model's layers: for a graph in execution order (inputs first), for a subclass the layers held in its fields. */
  get layers(): Layer[] {
    return this.isGraph ? [...this.graphLayerList] : this.subLayers;
  }

  /** The layer with this name. `model.getLayer('dense_1')` */
  getLayer(name: string): Layer {
    const layer = this.layers.find((l) => l.name === name);
    if (!layer)
      throw new Error(
        `${this.name}.getLayer: no layer named '${name}' (layers: ${this.layers.map((l) => l.name).join(', ')})`,
      );
    return layer;
  }

  /** Runs the functional graph; subclasses override this with their own computation. */
  call(inputs: Tensor | Tensor[], args: CallArgs = {}): Tensor | Tensor[] {
    if (!this.isGraph)
      throw new Error(`${this.name}: a subclassed Model must override call(inputs, { training })`);
    const xs = checkModelInputs(this, toList(inputs));
    const out = runGraph(this.inputs, this.outputs, this.graphNodes, xs, args);
    return out.length === 1 ? out[0] : out;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    if (!this.isGraph) return super.computeOutputShape(inputShape);
    const shapes = this.outputs.map((o) => [...o.shape]);
    return shapes.length === 1 ? shapes[0] : shapes;
  }

  /** Output names for logs and losses (the output layers' names). */
  get outputNames(): string[] {
    return this.outputs.map((o) => o.sourceLayer.name);
  }

  /**
   * Configures training: optimizer, loss(es) and metrics, as strings (Keras snake_case or camelCase) or instances.
   *
   * ```ts
   * model.compile({ optimizer: 'adam', loss: 'categorical_crossentropy', metrics: ['accuracy'] });
   * ```
   */
  compile(args: CompileArgs): void {
    checkTrainingOptions('compile', args);
    // The new configuration is resolved first: a failing compile keeps the previous one (and its optimizer state).
    const next = compileModel(this, args);
    this.compiled?.dispose();
    this.compiled = next;
  }

  /** The compiled optimizer. */
  get optimizer(): Optimizer {
    if (!this.compiled) throw new Error(`${this.name}: call compile() first`);
    return this.compiled.optimizer;
  }

  /**
   * Trains for a number of epochs; resolves to the History. x and y: tensors, nested arrays or
   * TypedArrays, one per input/output or a dict keyed by name; or a dataset of { xs, ys } / [x, y] batches.
   *
   * ```ts
   * await model.fit(x, y, { epochs: 5, batchSize: 32 });
   * await model.fit(data.tensors({ xs: x, ys: y }).batch(32), { epochs: 5 });
   * ```
   */
  fit(dataset: Dataset, args?: FitDatasetArgs): Promise<History>;
  fit(x: DataLike, y: DataLike, args?: FitOptions): Promise<History>;
  fit(x: DataLike | Dataset, y?: DataLike | FitDatasetArgs, args: FitOptions = {}): Promise<History> {
    if (isDataset(x)) return fitDataset(this, x, y as FitDatasetArgs | undefined);
    checkTrainingOptions('fit', args);
    const [xv, yv] = args.validationData ?? [];
    return withAdapted(
      this,
      [
        [x, 'x'],
        [y as DataLike, 'y'],
        [xv, 'x'],
        [yv, 'y'],
      ],
      ([xs, ys, xvs, yvs]) =>
        fitModel(this, xs as Tensor[], ys as Tensor[], {
          ...args,
          validationData: xvs && yvs ? [xvs, yvs] : undefined,
        }),
    );
  }

  /**
   * Loss (and metrics) on data or a dataset: a number, or [loss, ...metrics];
   * `{ returnDict: true }` gives `{ loss, accuracy }`. `await model.evaluate(x, y)`
   */
  evaluate(dataset: Dataset, args?: DatasetRunArgs): Promise<EvaluateResult<O>>;
  evaluate(
    x: DataLike,
    y: DataLike,
    args: EvaluateOptions & { returnDict: true },
  ): Promise<Record<string, number>>;
  evaluate(x: DataLike, y: DataLike, args?: EvaluateOptions): Promise<EvaluateResult<O>>;
  async evaluate(
    x: DataLike | Dataset,
    y?: DataLike | DatasetRunArgs,
    args: EvaluateOptions = {},
  ): Promise<number | number[] | Record<string, number>> {
    if (isDataset(x)) return evaluateDataset(this, x, y as DatasetRunArgs | undefined);
    checkTrainingOptions('evaluate', args);
    const { returnDict, ...rest } = args;
    const result = await withAdapted(
      this,
      [
        [x, 'x'],
        [y as DataLike, 'y'],
      ],
      ([xs, ys]) => evaluateModel(this, xs as Tensor[], ys as Tensor[], rest),
    );
    if (!returnDict) return result;
    const values = typeof result === 'number' ? [result] : result;
    return Object.fromEntries((this.compiled?.logNames ?? []).map((k, i) => [k, values[i]]));
  }

  /** Outputs for the inputs (or a dataset's batches), computed in batches. `await model.predict(x, { batchSize: 256 })` */
  predict(x: DataLike | Dataset, args: PredictArgs & DatasetRunArgs = {}): Promise<PredictResult<O>> {
    // The runtime value follows the outputs: one output unwrapped, a list for several (PredictResult).
    if (isDataset(x)) return predictDataset(this, x, args) as Promise<PredictResult<O>>;
    checkTrainingOptions('predict', args);
    return withAdapted(this, [[x, 'x']], ([xs]) => predictModel(this, xs as Tensor[], args)) as Promise<
      PredictResult<O>
    >;
  }

  /** One gradient step on one batch; resolves to the loss (or [loss, ...metrics]). `await model.trainOnBatch(x, y)` */
  trainOnBatch(x: DataLike, y: DataLike): Promise<EvaluateResult<O>> {
    return withAdapted(
      this,
      [
        [x, 'x'],
        [y, 'y'],
      ],
      ([xs, ys]) => trainOnBatchModel(this, xs as Tensor[], ys as Tensor[]),
    ) as Promise<EvaluateResult<O>>;
  }

  /**
   * The Keras summary table (layers, output shapes, parameter counts), printed and returned.
   *
   * ```ts
   * const text = model.summary();
   * ```
   */
  summary(options: { lineLength?: number; print?: boolean } = {}): string {
    const text = summarize(this, options.lineLength);
    if (options.print ?? true) console.log(text);
    return text;
  }

  /**
   * Saves the model. No target: resolves to in-memory artifacts. Targets: 'indexeddb://name',
   * 'downloads://name', a file path in Node.
   *
   * ```ts
   * const artifacts = await model.save();
   * ```
   */
  save(): Promise<ModelArtifacts>;
  save(target: string): Promise<SaveResult>;
  save(target?: string): Promise<ModelArtifacts | SaveResult> {
    return saveModel(this, target);
  }

  override getConfig(): Record<string, unknown> {
    if (!this.isGraph) return super.getConfig();
    return {
      ...graphConfig(this.name, this.inputs, this.outputs, this.graphNodes),
      trainable: this.trainable,
    };
  }

  /** Rebuilds a functional model from its config (registered layer classes only: call registerBuiltinLayers() first for the built-in ones, as loadModel does). */
  static fromConfig(config: Record<string, unknown>): Model {
    const { inputs, outputs } = graphFromConfig(config as unknown as GraphConfig);
    return new Model({ inputs, outputs, name: typeof config.name === 'string' ? config.name : undefined });
  }

  override dispose(): void {
    super.dispose();
    this.compiled?.dispose();
    this.compiled = null;
  }
}

function toList<T>(x: T | readonly T[]): T[] {
  return Array.isArray(x) ? [...(x as readonly T[])] : [x as T];
}
