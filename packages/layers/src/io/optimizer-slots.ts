// Where an optimizer's state lives in a Keras file (slot blocks and scalars after iterations and learning_rate), shared
// by the .keras code and webdl's own artifacts; it imports no model class, so the save path can reach it statically.
import { tensor, type Variable } from '@webdl/core';
import { Nadam } from '../optimizers/nadam-lion.js';
import type { Optimizer } from '../optimizers/optimizer.js';
import type { H5Reader } from './h5.js';

/**
 * Keras's optimizer variables after iterations and learning_rate: blocks, each interleaving its
 * slot names per variable (Adam: momentum and velocity of each variable in turn, then AMSGrad's
 * maxima as a block of their own), in webdl's slot names. Null for optimizers without a layout here.
 */
function slotBlocks(opt: Optimizer): string[][] | null {
  const cfg = opt.getConfig();
  const on = (k: string): boolean => (typeof cfg[k] === 'number' ? (cfg[k] as number) > 0 : cfg[k] === true);
  switch (opt.className) {
    case 'Adam':
    case 'AdamW':
      return on('amsgrad') ? [['momentum', 'velocity'], ['velocity_hat']] : [['momentum', 'velocity']];
    case 'Adamax':
      return [['m', 'u']];
    case 'SGD':
      return on('momentum') ? [['momentum']] : [];
    case 'RMSprop':
      return [
        ['velocity'],
        ...(on('momentum') ? [['momentum']] : []),
        ...(on('centered') ? [['average_gradient']] : []),
      ];
    case 'Adadelta':
      return [['accumulated_grad', 'accumulated_delta_var']];
    case 'Nadam':
      return [['momentum', 'velocity']];
    case 'Lion':
      return [['momentum']];
    default:
      return null;
  }
}

/** A host-side number Keras keeps as an optimizer variable after the slots. */
export interface ScalarState {
  get(): number;
  set(value: number): void;
}

/** The optimizer's scalar variables after its slots, in Keras's order: Nadam's `_u_product` (keras/src/optimizers/nadam.py). */
export function scalarState(opt: Optimizer): ScalarState[] {
  if (!(opt instanceof Nadam)) return [];
  return [{ get: () => opt.uProductState, set: (v) => opt.restoreUProduct(v) }];
}

/** Whether webdl knows where this optimizer's state lives in a Keras file. */
export function hasKerasSlotLayout(opt: Optimizer): boolean {
  return slotBlocks(opt) !== null;
}

/**
 * The optimizer's slot variables in Keras's file order (after iterations and learning_rate); throws
 * for optimizers whose Keras layout webdl does not know.
 */
export function optimizerSlots(opt: Optimizer, vars: Variable[]): Variable[] {
  const blocks = slotBlocks(opt);
  if (!blocks) throw new Error(`the state of optimizer ${opt.className} has no Keras layout in webdl yet`);
  return blocks.flatMap((names) => vars.flatMap((v) => names.map((n) => opt.getSlot(v, n))));
}

/** The dataset paths of a Keras 3 file's optimizer state, in order ('optimizer/vars/0', ...). */
export function kerasOptimizerPaths(h: H5Reader): string[] {
  const keys = h.keys('optimizer/vars') ?? [];
  return keys.map((_, i) => `optimizer/vars/${i}`);
}

/**
 * Restores iterations, learning rate and slots from the datasets at `paths` (Keras order); returns
 * false when there are none. Everything is checked before anything is assigned.
 */
export function readOptimizerVars(
  opt: Optimizer,
  vars: Variable[],
  paths: string[],
  h: H5Reader,
  where: string,
): boolean {
  if (paths.length === 0) return false;
  if (!hasKerasSlotLayout(opt)) {
    console.warn(
      `loadModel: ${where}: the saved state of ${opt.className} is not restored (no Keras layout in webdl); training restarts its moments`,
    );
    return false;
  }
  const slots = optimizerSlots(opt, vars);
  const scalars = scalarState(opt);
  const hasLr = typeof opt.learningRate === 'number';
  const expected = 1 + (hasLr ? 1 : 0) + slots.length + scalars.length;
  if (paths.length !== expected)
    throw new Error(
      `${where}: the optimizer state holds ${paths.length} variable(s) but ${opt.className} over ${vars.length} weights has ${expected}`,
    );
  const iterations = h.read(paths[0]).data[0];
  const lr = hasLr ? h.read(paths[1]).data[0] : undefined;
  const first = hasLr ? 2 : 1;
  const values = slots.map((s, i) => {
    const a = h.read(paths[first + i]);
    if (a.shape.length !== s.shape.length || a.shape.some((d, j) => d !== s.shape[j]))
      throw new Error(
        `${where}: '${paths[first + i]}' is [${a.shape}] but the slot '${s.name}' is [${s.shape}]`,
      );
    return a;
  });
  const scalarValues = scalars.map((_, i) => {
    const path = paths[first + slots.length + i];
    const a = h.read(path);
    if (a.data.length !== 1) throw new Error(`${where}: '${path}' must be a scalar, got [${a.shape}]`);
    return a.data[0];
  });
  slots.forEach((s, i) => {
    const t = tensor(values[i].data, values[i].shape, 'float32');
    s.assign(t);
    t.dispose();
  });
  // The file holds the rate as float32: keep the config's exact number unless training changed it.
  if (lr !== undefined && Math.fround(opt.learningRate as number) !== lr) opt.learningRate = lr;
  opt.iterations = iterations;
  scalars.forEach((x, i) => x.set(scalarValues[i]));
  return true;
}
