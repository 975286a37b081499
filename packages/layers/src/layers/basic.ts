// The basic layers (Dense, Activation, Flatten, Reshape, Dropout, InputLayer) and their registration for loading (called by the registry, not on import).
import { InputLayer, type InputLayerArgs } from '../engine/input.js';
import { registerLayerClass } from '../registry.js';
import { Activation, type ActivationConfig } from './activation.js';
import { Dense, type DenseArgs, type DenseConfig } from './dense.js';
import { Dropout, type DropoutArgs, type DropoutConfig } from './dropout.js';
import { Flatten } from './flatten.js';
import { Reshape, type ReshapeConfig } from './reshape.js';

/**
 * Registers the basic layers for loading saved models (the registry does this before its first
 * use). Each constructor takes its own getConfig() object (the TF.js config form).
 *
 * ```ts
 * layers.registerBasicLayers();
 * ```
 */
export function registerBasicLayers(): void {
  for (const cls of [Dense, Activation, Flatten, Reshape, Dropout, InputLayer]) registerLayerClass(cls);
}

export { Activation, Dense, Dropout, Flatten, InputLayer, Reshape };
export type {
  ActivationConfig,
  DenseArgs,
  DenseConfig,
  DropoutArgs,
  DropoutConfig,
  InputLayerArgs,
  ReshapeConfig,
};
