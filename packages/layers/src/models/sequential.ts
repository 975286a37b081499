// Sequential: a linear stack of layers, built from the first layer's inputShape or from the first data it sees.
import type { Tensor } from '@webdl/core';
import { Layer, type CallArgs, type Shape } from '../engine/layer.js';
import { Input, InputLayer } from '../engine/input.js';
import { SymbolicTensor } from '../engine/symbolic.js';
import { checkOptions } from '../engine/options.js';
import { checkModelInputs } from './input-checks.js';
import { buildLayer } from '../registry-table.js';
import { Model } from './model.js';

/**
 * Sequential's config object (TF.js style).
 *
 * ```ts
 * const args: SequentialArgs = { layers: [layers.dense({ units: 1, inputShape: [3] })], name: 'linear' };
 * new Sequential(args);
 * ```
 */
export interface SequentialArgs {
  layers?: (Layer | SymbolicTensor)[];
  name?: string;
  trainable?: boolean;
}

/**
 * A stack of layers, each feeding the next.
 *
 * ```ts
 * const model = new Sequential([
 *   new layers.Dense(32, { activation: 'relu', inputShape: [784] }),
 *   new layers.Dense(10, { activation: 'softmax' }),
 * ]);
 * const y: Tensor = await model.predict(x); // one output: one Tensor
 * ```
 */
export class Sequential extends Model<SymbolicTensor> {
  static override readonly className: string = 'Sequential';
  private stack: Layer[] = [];
  private inputSpec: SymbolicTensor | null = null;

  constructor(layers?: (Layer | SymbolicTensor)[], args?: { name?: string; trainable?: boolean });
  /** TF.js's config form: `new Sequential({ layers: [...], name })`. */
  constructor(config: SequentialArgs);
  constructor(
    layersOrConfig: (Layer | SymbolicTensor)[] | SequentialArgs = [],
    args: { name?: string; trainable?: boolean } = {},
  ) {
    const config = Array.isArray(layersOrConfig) ? { ...args, layers: layersOrConfig } : layersOrConfig;
    checkOptions('Sequential', config, ['layers', 'name', 'trainable']);
    super({ name: config.name, trainable: config.trainable });
    for (const l of config.layers ?? []) this.add(l);
  }

  /** Appends a layer (or, first, an Input giving the input shape). `model.add(new layers.Dense(10))` */
  add(layer: Layer | SymbolicTensor): void {
    if (layer instanceof SymbolicTensor) {
      if (this.stack.length > 0 || this.inputSpec)
        throw new Error(`${this.name}.add: an Input can only come first`);
      this.inputSpec = layer;
      this.buildGraph(layer.shape);
      return;
    }
    if (!(layer instanceof Layer))
      throw new Error(`${this.name}.add: expected a Layer, got ${String(layer)}`);
    if (layer instanceof InputLayer) {
      this.add(layer.output);
      return;
    }
    this.stack.push(layer);
    if (this.isGraph) {
      const out = layer.apply(this.outputs[0]);
      if (Array.isArray(out))
        throw new Error(
          `${this.name}.add: layer '${layer.name}' returns several outputs; use the functional API`,
        );
      this.initGraph(this.inputs, [out]);
    } else if (this.inputs.length > 0) {
      this.buildGraph(this.inputs[0].shape);
    } else if (this.stack.length === 1 && layer.batchInputShape) {
      this.buildGraph(layer.batchInputShape);
    }
  }

  /** Removes the last layer. */
  pop(): void {
    if (this.stack.length === 0) throw new Error(`${this.name}.pop: no layers`);
    this.stack.pop();
    const shape = this.inputs[0]?.shape;
    this.outputs = [];
    this.built = false;
    if (shape) this.buildGraph(shape);
  }

  override get layers(): Layer[] {
    return [...this.stack];
  }

  /** Builds the graph from an input shape (batch dimension included, null if unknown). */
  override build(inputShape: Shape | Shape[]): void {
    const shape = Array.isArray(inputShape[0]) ? (inputShape as Shape[])[0] : (inputShape as Shape);
    this.buildGraph([null, ...shape.slice(1)]);
  }

  private buildGraph(batchShape: Shape): void {
    const input = this.inputSpec ?? new Input({ batchInputShape: batchShape, name: `${this.name}_input` });
    let x: SymbolicTensor = input;
    for (const layer of this.stack) {
      const out = layer.apply(x);
      if (Array.isArray(out))
        throw new Error(
          `${this.name}: layer '${layer.name}' returns several outputs; use the functional API`,
        );
      x = out;
    }
    if (this.stack.length > 0) this.initGraph([input], [x]);
    else this.inputs = [input];
  }

  override call(inputs: Tensor | Tensor[], args: CallArgs = {}): Tensor | Tensor[] {
    if (this.stack.length === 0) throw new Error(`${this.name}: the model has no layers`);
    // Runs the stack directly: no graph bookkeeping on the hot path.
    // A built stack checks (and casts) what enters it against its declared input first.
    const checked = this.isGraph ? checkModelInputs(this, Array.isArray(inputs) ? inputs : [inputs]) : null;
    let x = checked ? (Array.isArray(inputs) ? checked : checked[0]) : inputs;
    for (const layer of this.stack) x = layer.apply(x, args);
    return x;
  }

  override getConfig(): Record<string, unknown> {
    const config: Record<string, unknown> = {
      name: this.name,
      trainable: this.trainable,
      layers: this.stack.map((l) => ({ className: l.getClassName(), config: l.getConfig() })),
    };
    const shape = this.inputs[0]?.shape;
    if (shape) config.batchInputShape = [...shape];
    return config;
  }

  /** Rebuilds a Sequential model from its config (registered layer classes only: call registerBuiltinLayers() first for the built-in ones, as loadModel does). */
  static override fromConfig(config: Record<string, unknown>): Sequential {
    if (!Array.isArray(config.layers)) throw new Error('Sequential config: expected a layers array');
    const layers = config.layers.map((spec: unknown) => buildLayer(spec));
    const model = new Sequential([], { name: typeof config.name === 'string' ? config.name : undefined });
    if (Array.isArray(config.batchInputShape))
      model.add(new Input({ batchInputShape: config.batchInputShape as Shape }));
    for (const l of layers) model.add(l);
    return model;
  }
}
