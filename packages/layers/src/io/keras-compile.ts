// Keras compile_config (optimizer, loss, metrics) <-> model.compile, so a loaded model goes on training where it stopped.
import type { Model } from '../models/model.js';
import { getOptimizer, type OptimizerArgs } from '../optimizers/index.js';
import { camelKey, kerasSnake, snakeKey } from './keras-config.js';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Keras optimizer options webdl has no counterpart for, with the value that means "off". */
const OPTIMIZER_OFF: Record<string, unknown> = {
  use_ema: false,
  ema_momentum: undefined,
  ema_overwrite_frequency: null,
  loss_scale_factor: null,
  gradient_accumulation_steps: null,
  nesterov: false,
};

function optimizerArgs(cls: string, raw: Json, where: string): OptimizerArgs {
  const args: Json = {};
  for (const [k, v] of Object.entries(raw)) {
    if (v === null) continue;
    if (k in OPTIMIZER_OFF && (OPTIMIZER_OFF[k] === undefined || OPTIMIZER_OFF[k] === v)) continue;
    if (k === 'learning_rate' && typeof v !== 'number')
      throw new Error(
        `${where}: the learning-rate schedule of ${cls} is not restored by webdl (use a number)`,
      );
    args[camelKey(k)] = v;
  }
  return args as OptimizerArgs;
}

function lossName(v: unknown, where: string): string {
  if (typeof v === 'string') return v;
  if (isObject(v) && typeof v.class_name === 'string') {
    const cfg = isObject(v.config) ? v.config : {};
    const unusual = Object.entries(cfg).filter(
      ([k, x]) => !['name', 'reduction', 'dtype'].includes(k) && x !== false && x !== 0 && x !== null,
    );
    if (unusual.length > 0)
      throw new Error(
        `${where}: loss ${v.class_name} with ${JSON.stringify(Object.fromEntries(unusual))} is not restored`,
      );
    return kerasSnake(v.class_name);
  }
  throw new Error(`${where}: unreadable loss ${JSON.stringify(v)}`);
}

/**
 * Compiles `model` as its Keras compile_config says. Returns false (model left uncompiled, with a
 * console warning saying why) when there is no config or it uses something webdl cannot restore.
 */
export function compileFromKeras(model: Model, config: unknown, where: string): boolean {
  if (!isObject(config) || !isObject(config.optimizer) || config.loss === undefined || config.loss === null)
    return false;
  try {
    const opt = config.optimizer;
    const cls = typeof opt.class_name === 'string' ? opt.class_name : String(opt);
    const optimizer = getOptimizer(cls, optimizerArgs(cls, isObject(opt.config) ? opt.config : {}, where));
    const loss = Array.isArray(config.loss)
      ? config.loss.map((l, i) => lossName(l, `${where}.loss[${i}]`))
      : isObject(config.loss) && typeof config.loss.class_name !== 'string'
        ? Object.fromEntries(
            Object.entries(config.loss).map(([k, l]) => [k, lossName(l, `${where}.loss.${k}`)]),
          )
        : lossName(config.loss, `${where}.loss`);
    const metrics = Array.isArray(config.metrics)
      ? config.metrics.map((m) => (typeof m === 'string' ? m : lossName(m, `${where}.metrics`)))
      : [];
    model.compile({ optimizer, loss, metrics });
    return true;
  } catch (e) {
    console.warn(`loadModel: the model was loaded uncompiled: ${(e as Error).message}`);
    return false;
  }
}

/** The Keras compile_config of a compiled webdl model. */
export function compileToKeras(model: Model): Json {
  const state = model.compiled;
  if (!state) return {};
  const opt = state.optimizer;
  const config: Json = { name: kerasSnake(opt.className) };
  for (const [k, v] of Object.entries(opt.getConfig())) if (v !== undefined) config[snakeKey(k)] = v;
  const losses = state.losses.map((l) => l.name);
  const metrics = [...new Set(state.metrics.flat().map((m) => m.name))];
  return {
    optimizer: { module: 'keras.optimizers', class_name: opt.className, config, registered_name: null },
    loss: losses.length === 1 ? losses[0] : losses,
    loss_weights: null,
    metrics: metrics.length > 0 ? metrics : null,
    weighted_metrics: null,
    run_eagerly: false,
    steps_per_execution: 1,
    jit_compile: false,
  };
}
