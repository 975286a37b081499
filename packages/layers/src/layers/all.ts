// Everything in the `layers` namespace: the basic layers and the layer zoo.
export * from './basic.js';
export * from './zoo.js';
export { Layer } from '../engine/layer.js';
export * from './zoo-extra.js';
export * from './factories.js';
export * from './zoo-extra-factories.js';
