// The `io` namespace: conversions to other formats, through the format code that registerFormats registered (in Node, found).
import type { Model } from '../models/model.js';
import type { TfjsArtifacts } from './tfjs.js';
import type { OnnxOptions } from './onnx/export.js';
import { formatCode } from './format-registry.js';

export { registerFormats, type ModelFormats, type FormatsSource } from './format-registry.js';

/**
 * A Keras 3 `.keras` file of the model (Sequential or functional) that `keras.saving.load_model`
 * reads: config, compile config, weights and optimizer state. Entries are stored, as Keras writes them.
 *
 * ```ts
 * const bytes = await io.toKeras(model);
 * const again = await loadModel(bytes);
 * ```
 */
export async function toKeras(model: Model): Promise<Uint8Array> {
  return (await formatCode('io.toKeras', '.keras')).toKeras(model);
}

/**
 * The model in TF.js Layers format, as `tf.loadLayersModel` reads it: `modelJson` (the model.json
 * object, its manifest naming one shard) and `weightData` (that shard).
 *
 * ```ts
 * const { modelJson, weightData } = await io.toTfjs(model);
 * const same = await loadModel({ modelJson, weightData });
 * ```
 */
export async function toTfjs(model: Model): Promise<TfjsArtifacts> {
  return (await formatCode('io.toTfjs', 'TF.js')).toTfjs(model);
}

/**
 * An ONNX ModelProto of the model (Sequential or functional) that onnxruntime runs, with a dynamic
 * batch dimension: Dense as Gemm (MatMul+Add on rank > 2), NHWC convolutions and pooling via
 * Transposes around Conv/ConvTranspose/MaxPool/AveragePool, BatchNormalization folded for inference,
 * LayerNormalization, activations, merges, Flatten/Reshape, Embedding as Gather, SimpleRNN/LSTM/GRU.
 *
 * ```ts
 * const bytes = await io.toOnnx(model, { opset: 17 });
 * ```
 */
export async function toOnnx(model: Model, options: OnnxOptions = {}): Promise<Uint8Array> {
  return (await formatCode('io.toOnnx', '.onnx')).toOnnx(model, options);
}
