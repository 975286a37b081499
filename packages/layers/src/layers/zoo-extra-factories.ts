// TF.js-style lower-case factories of the zoo-extra layers (`layers.reLU({ maxValue: 6 })`, `layers.separableConv2d(...)`).
import { factory } from './factories.js';
import {
  Average,
  AveragePooling1D,
  CenterCrop,
  Cropping2D,
  Dot,
  ELU,
  GaussianDropout,
  GaussianNoise,
  GlobalAveragePooling1D,
  GlobalMaxPooling1D,
  GlobalMaxPooling2D,
  GroupNormalization,
  Identity,
  LeakyReLU,
  Masking,
  MaxPooling1D,
  Maximum,
  Minimum,
  Multiply,
  Normalization,
  PReLU,
  RandomFlip,
  RandomRotation,
  RandomTranslation,
  RandomZoom,
  Permute,
  ReLU,
  RepeatVector,
  Rescaling,
  Resizing,
  SeparableConv2D,
  Softmax,
  SpatialDropout2D,
  Subtract,
  TimeDistributed,
  UnitNormalization,
} from './zoo-extra.js';

/** `layers.reLU({ maxValue: 6 })` is `new layers.ReLU({ maxValue: 6 })`; the others likewise. */
export const average = factory(Average);
export const averagePooling1d = factory(AveragePooling1D);
export const centerCrop = factory(CenterCrop);
export const cropping2D = factory(Cropping2D);
export const dot = factory(Dot);
export const elu = factory(ELU);
export const gaussianDropout = factory(GaussianDropout);
export const gaussianNoise = factory(GaussianNoise);
export const globalAveragePooling1d = factory(GlobalAveragePooling1D);
export const globalMaxPooling1d = factory(GlobalMaxPooling1D);
export const globalMaxPooling2d = factory(GlobalMaxPooling2D);
export const groupNormalization = factory(GroupNormalization);
export const identity = factory(Identity);
export const leakyReLU = factory(LeakyReLU);
export const masking = factory(Masking);
export const maximum = factory(Maximum);
export const maxPooling1d = factory(MaxPooling1D);
export const minimum = factory(Minimum);
export const multiply = factory(Multiply);
export const normalization = factory(Normalization);
export const permute = factory(Permute);
export const prelu = factory(PReLU);
export const randomFlip = factory(RandomFlip);
export const randomRotation = factory(RandomRotation);
export const randomTranslation = factory(RandomTranslation);
export const randomZoom = factory(RandomZoom);
export const reLU = factory(ReLU);
export const repeatVector = factory(RepeatVector);
export const rescaling = factory(Rescaling);
export const resizing = factory(Resizing);
export const separableConv2d = factory(SeparableConv2D);
export const softmax = factory(Softmax);
export const spatialDropout2d = factory(SpatialDropout2D);
export const subtract = factory(Subtract);
export const timeDistributed = factory(TimeDistributed);
export const unitNormalization = factory(UnitNormalization);
