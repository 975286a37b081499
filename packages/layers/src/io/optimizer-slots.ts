// Where an optimizer's state lives in a Keras file (slot blocks after iterations and learning_rate), shared by the .keras
// code and webdl's own artifacts; it imports no model class, so the save path can reach it statically.
import { tensor, type Variable } from '@webdl/core';
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
    default:
      return null;
  }
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
  const hasLr = typeof opt.learningRate === 'number';
  const expected = 1 + (hasLr ? 1 : 0) + slots.length;
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
  slots.forEach((s, i) => {
    const t = tensor(values[i].data, values[i].shape, 'float32');
    s.assign(t);
    t.dispose();
  });
  // The file holds the rate as float32: keep the config's exact number unless training changed it.
  if (lr !== undefined && Math.fround(opt.learningRate as number) !== lr) opt.learningRate = lr;
  opt.iterations = iterations;
  return true;
}
