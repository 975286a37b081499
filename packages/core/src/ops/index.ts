// Every op of the public API, as functions.
export * from './creation.js';
export * from './elementwise.js';
export * from './reduce.js';
export * from './shape-ops.js';
export * from './matmul.js';
export { conv2d, conv1d, conv2dTranspose, depthwiseConv2d, maxPool, avgPool, convInfo } from './conv.js';
export type { ConvOptions, PoolPadding } from './conv.js';
export * from './nn.js';
export * from './memory.js';
export { stopGradient } from './stop-gradient.js';
export { checkIndexRange } from './index-check.js';
export { profileMemory, setGcSafetyNet, type MemoryProfile } from './leak-report.js';
export type { Operand } from './operand.js';
export { image } from './image.js';
export type { ResizeOptions, CropAndResizeOptions, TransformOptions } from './image.js';
