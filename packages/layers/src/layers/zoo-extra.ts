// More of the layer zoo (activation layers, pooling, shaping, merges, preprocessing, noise, normalization), registered for loading by the registry (not on import).
import { Layer, type LayerArgs } from '../engine/layer.js';
import { deserializeLayer, registerLayer, registerLayerClass } from '../registry.js';
// This module's own exports, read when registering (after every import has run).
import * as zooExtra from './zoo-extra.js';
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
import { Masking, type MaskingArgs } from './masking.js';
import { MaxPooling1D } from './max-pooling1d.js';
import { Maximum } from './maximum.js';
import { Minimum } from './minimum.js';
import { Multiply } from './multiply.js';
import { Permute } from './permute.js';
import type { Pooling1DArgs } from './pooling1d-base.js';
import { PReLU, type PReLUArgs } from './prelu.js';
import { RandomFlip, type FlipMode, type RandomFlipArgs } from './random-flip.js';
import type { FillMode, RandomTransformArgs } from './random-image-base.js';
import { RandomRotation, type RandomRotationConfig } from './random-rotation.js';
import { RandomTranslation, type RandomTranslationConfig } from './random-translation.js';
import { RandomZoom, type RandomZoomArgs, type RandomZoomConfig } from './random-zoom.js';
import { Resizing, type ResizingArgs, type ResizingConfig } from './resizing.js';
import { ReLU, type ReLUArgs } from './relu.js';
import { RepeatVector } from './repeat-vector.js';
import { Softmax, type SoftmaxArgs } from './softmax-layer.js';
import { Subtract } from './subtract.js';
import { TimeDistributed } from './time-distributed.js';
import { CenterCrop, type CenterCropArgs } from './center-crop.js';
import { GaussianDropout, type GaussianDropoutArgs } from './gaussian-dropout.js';
import { GaussianNoise, type GaussianNoiseArgs } from './gaussian-noise.js';
import { GroupNormalization, type GroupNormalizationArgs } from './group-normalization.js';
import { Normalization, type NormalizationArgs } from './normalization.js';
import { Rescaling, type RescalingArgs } from './rescaling.js';
import { SeparableConv2D, type SeparableConv2DArgs } from './separable-conv2d.js';
import { SpatialDropout2D, type SpatialDropout2DArgs } from './spatial-dropout2d.js';
import { UnitNormalization, type UnitNormalizationArgs } from './unit-normalization.js';

/**
 * Registers these layers for loading saved models (the registry does this before its first use,
 * so importing registers nothing).
 *
 * ```ts
 * layers.registerZooExtraLayers();
 * ```
 */
export function registerZooExtraLayers(): void {
  // Every layer class this module exports (the list below is the only one); each constructor takes
  // its own getConfig() object (the TF.js config form).
  for (const value of Object.values(zooExtra)) {
    if (typeof value === 'function' && value.prototype instanceof Layer && value !== TimeDistributed)
      registerLayerClass(value as unknown as Parameters<typeof registerLayerClass>[0]);
  }
  // The wrapped layer is saved as a { className, config } spec and rebuilt first.
  registerLayer(
    'TimeDistributed',
    (c) => new TimeDistributed({ ...(c as LayerArgs), layer: deserializeLayer(c.layer) }),
  );
}

export {
  RandomFlip,
  RandomRotation,
  RandomTranslation,
  RandomZoom,
  Resizing,
  Average,
  CenterCrop,
  GaussianDropout,
  GaussianNoise,
  GroupNormalization,
  Normalization,
  Rescaling,
  SeparableConv2D,
  SpatialDropout2D,
  UnitNormalization,
  AveragePooling1D,
  Cropping2D,
  Dot,
  ELU,
  GlobalAveragePooling1D,
  GlobalMaxPooling1D,
  GlobalMaxPooling2D,
  Identity,
  LeakyReLU,
  Masking,
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
  FillMode,
  FlipMode,
  RandomFlipArgs,
  RandomRotationConfig,
  RandomTransformArgs,
  RandomTranslationConfig,
  RandomZoomArgs,
  RandomZoomConfig,
  ResizingArgs,
  ResizingConfig,
  CenterCropArgs,
  GaussianDropoutArgs,
  GaussianNoiseArgs,
  GroupNormalizationArgs,
  NormalizationArgs,
  RescalingArgs,
  SeparableConv2DArgs,
  SpatialDropout2DArgs,
  UnitNormalizationArgs,
  Cropping2DArgs,
  Cropping2DSpec,
  DotArgs,
  ELUArgs,
  GlobalPoolingArgs,
  LeakyReLUArgs,
  MaskingArgs,
  Pooling1DArgs,
  PReLUArgs,
  ReLUArgs,
  SoftmaxArgs,
};
