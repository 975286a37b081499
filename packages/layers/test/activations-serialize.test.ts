// serializeActivation names core ops passed as activations (`activation: relu`) by their Keras names, from an explicit
// list (core's namespace is not searched at run time, which kept every core export in each app's bundle).
import * as core from '@webdl/core';
import { activations, layers } from '@webdl/layers';
import { describe, expect, it } from 'vitest';
import { snakeCase } from '../src/initializers.js';

const KERAS_NAMES = [
  'linear',
  'relu',
  'relu6',
  'sigmoid',
  'hard_sigmoid',
  'tanh',
  'softmax',
  'log_softmax',
  'gelu',
  'elu',
  'selu',
  'softplus',
  'softsign',
  'swish',
  'silu',
  'leaky_relu',
  'exponential',
  'mish',
  'hard_silu',
  'hard_swish',
];

describe('serializeActivation of core ops', () => {
  it('every core export whose snake_case name is a Keras activation serializes to that name', () => {
    const found = Object.entries(core).filter(
      ([k, v]) => typeof v === 'function' && KERAS_NAMES.includes(snakeCase(k)),
    );
    expect(found.map(([k]) => k).sort()).toEqual([
      'elu',
      'gelu',
      'leakyRelu',
      'logSoftmax',
      'relu',
      'relu6',
      'selu',
      'sigmoid',
      'silu',
      'softmax',
      'softplus',
      'softsign',
      'tanh',
    ]);
    for (const [k, fn] of found)
      expect(activations.serializeActivation(fn as activations.ActivationFn), k).toBe(snakeCase(k));
  });

  it('the known names round-trip, other functions are custom', () => {
    for (const name of KERAS_NAMES) {
      const fn = activations.getActivation(name);
      expect(activations.serializeActivation(fn), name).toBe(name);
      expect(activations.getActivation(activations.serializeActivation(fn)), name).toBe(fn);
    }
    expect(activations.serializeActivation((x) => x.square())).toBe('custom');
    expect(activations.serializeActivation(core.exp as activations.ActivationFn)).toBe('custom');
  });

  it("a Dense layer built with 'hard_silu' saves 'hard_silu' (not its alias 'hard_swish')", () => {
    expect(new layers.Dense(2, { activation: 'hard_silu' }).getConfig().activation).toBe('hard_silu');
    expect(new layers.Dense(2, { activation: 'hard_swish' }).getConfig().activation).toBe('hard_swish');
  });

  it("a Dense layer given core's leakyRelu saves activation 'leaky_relu'", () => {
    const d = new layers.Dense(2, { activation: core.leakyRelu as (x: core.Tensor) => core.Tensor });
    expect(d.getConfig().activation).toBe('leaky_relu');
    expect(new layers.Dense(2, { activation: core.relu }).getConfig().activation).toBe('relu');
  });
});
