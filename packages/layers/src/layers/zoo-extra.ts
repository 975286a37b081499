// More of the layer zoo (activation layers, 1-D and global pooling, shaping, merges), registered for loading by the registry (not on import).
import type { LayerArgs } from '../engine/layer.js';
import { deserializeLayer, registerLayer } from '../registry.js';
import { AveragePooling1D } from './average-pooling1d.js';
import { Average } from './average.js';
import { Cropping2D, type Cropping2DArgs, type Cropping2DSpec } from './cropping2d.js';
import { Dot, type DotArgs } from './dot.js';
import { ELU, type ELUArgs } from './elu-layer.js';
import { GlobalAveragePooling1D } from './global-average-pooling1d.js';
import { GlobalMaxPooling1D } from './global-max-pooling1d.js';
import { GlobalMaxPooling2D } from './global-max-pooling2d.js';
import type { GlobalPoolingArgs } from './global-pooling-base.js';
import { Identity } from './identity.js';
import { LeakyReLU, type LeakyReLUArgs } from './leaky-relu.js';
import { MaxPooling1D } from './max-pooling1d.js';
import { Maximum } from './maximum.js';
import { Minimum } from './minimum.js';
import { Multiply } from './multiply.js';
import { Permute } from './permute.js';
import type { Pooling1DArgs } from './pooling1d-base.js';
import { PReLU, type PReLUArgs } from './prelu.js';
import { ReLU, type ReLUArgs } from './relu.js';
import { RepeatVector } from './repeat-vector.js';
import { Softmax, type SoftmaxArgs } from './softmax-layer.js';
import { Subtract } from './subtract.js';
import { TimeDistributed } from './time-distributed.js';

type Config = Record<string, unknown>;
const pool = (c: Config) => c.poolSize as number | number[];

/**
 * Registers these layers for loading saved models (the registry does this before its first use,
 * so importing registers nothing).
 *
 * ```ts
 * registerZooExtraLayers();
 * ```
 */
export function registerZooExtraLayers(): void {
  registerLayer('ReLU', (c) => new ReLU(c as ReLUArgs));
  registerLayer('LeakyReLU', (c) => new LeakyReLU(c as LeakyReLUArgs));
  registerLayer('PReLU', (c) => new PReLU(c as PReLUArgs));
  registerLayer('ELU', (c) => new ELU(c as ELUArgs));
  registerLayer('Softmax', (c) => new Softmax(c as SoftmaxArgs));
  registerLayer('MaxPooling1D', (c) => new MaxPooling1D(pool(c), c as Pooling1DArgs));
  registerLayer('AveragePooling1D', (c) => new AveragePooling1D(pool(c), c as Pooling1DArgs));
  registerLayer('GlobalMaxPooling2D', (c) => new GlobalMaxPooling2D(c as GlobalPoolingArgs));
  registerLayer('GlobalMaxPooling1D', (c) => new GlobalMaxPooling1D(c as GlobalPoolingArgs));
  registerLayer('GlobalAveragePooling1D', (c) => new GlobalAveragePooling1D(c as GlobalPoolingArgs));
  registerLayer('Cropping2D', (c) => new Cropping2D(c as Cropping2DArgs));
  registerLayer('Permute', (c) => new Permute(c.dims as number[], c as LayerArgs));
  registerLayer('RepeatVector', (c) => new RepeatVector(c.n as number, c as LayerArgs));
  registerLayer('Identity', (c) => new Identity(c as LayerArgs));
  registerLayer('TimeDistributed', (c) => new TimeDistributed(deserializeLayer(c.layer), c as LayerArgs));
  registerLayer('Multiply', (c) => new Multiply(c as LayerArgs));
  registerLayer('Subtract', (c) => new Subtract(c as LayerArgs));
  registerLayer('Average', (c) => new Average(c as LayerArgs));
  registerLayer('Maximum', (c) => new Maximum(c as LayerArgs));
  registerLayer('Minimum', (c) => new Minimum(c as LayerArgs));
  registerLayer('Dot', (c) => new Dot(c.axes as number | number[], c as DotArgs));
}

export {
  Average,
  AveragePooling1D,
  Cropping2D,
  Dot,
  ELU,
  GlobalAveragePooling1D,
  GlobalMaxPooling1D,
  GlobalMaxPooling2D,
  Identity,
  LeakyReLU,
  Maximum,
  MaxPooling1D,
  Minimum,
  Multiply,
  Permute,
  PReLU,
  ReLU,
  RepeatVector,
  Softmax,
  Subtract,
  TimeDistributed,
};
export type {
  Cropping2DArgs,
  Cropping2DSpec,
  DotArgs,
  ELUArgs,
  GlobalPoolingArgs,
  LeakyReLUArgs,
  Pooling1DArgs,
  PReLUArgs,
  ReLUArgs,
  SoftmaxArgs,
};
