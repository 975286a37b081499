// The basic layers (Dense, Activation, Flatten, Reshape, Dropout, InputLayer) and their registration for loading (called by the registry, not on import).
import type { LayerArgs } from '../engine/layer.js';
import { InputLayer, type InputLayerArgs } from '../engine/input.js';
import { registerLayer } from '../registry.js';
import { Activation } from './activation.js';
import { Dense, type DenseArgs } from './dense.js';
import { Dropout, type DropoutArgs } from './dropout.js';
import { Flatten } from './flatten.js';
import { Reshape } from './reshape.js';

/**
 * Registers the basic layers for loading saved models (the registry does this before its first use).
 *
 * ```ts
 * registerBasicLayers();
 * ```
 */
export function registerBasicLayers(): void {
  registerLayer('Dense', (c) => new Dense(c.units as number, c as DenseArgs));
  registerLayer('Activation', (c) => new Activation(c.activation as string, c as LayerArgs));
  registerLayer('Flatten', (c) => new Flatten(c as LayerArgs));
  registerLayer('Reshape', (c) => new Reshape(c.targetShape as number[], c as LayerArgs));
  registerLayer('Dropout', (c) => new Dropout(c.rate as number, c as DropoutArgs));
  registerLayer('InputLayer', (c) => new InputLayer(c as InputLayerArgs));
}

export { Activation, Dense, Dropout, Flatten, InputLayer, Reshape };
export type { DenseArgs, DropoutArgs, InputLayerArgs };
