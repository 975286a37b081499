// The basic layers (Dense, Activation, Flatten, Reshape, Dropout, InputLayer) and their registration for loading.
import { InputLayer, type InputLayerArgs } from '../engine/input.js';
import { registerLayerClass } from '../registry.js';
import { Activation, type ActivationConfig } from './activation.js';
import { Dense, type DenseArgs, type DenseConfig } from './dense.js';
import { Dropout, type DropoutArgs, type DropoutConfig } from './dropout.js';
import { Flatten } from './flatten.js';
import { Reshape, type ReshapeConfig } from './reshape.js';

// Each constructor takes its own getConfig() object (the TF.js config form).
for (const cls of [Dense, Activation, Flatten, Reshape, Dropout, InputLayer]) registerLayerClass(cls);

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
