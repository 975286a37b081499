// The `io` namespace: conversions to other formats, each loading its format's code (and libraries) only when called.
import type { Model } from '../models/model.js';

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
  return (await import('./keras.js')).toKeras(model);
}
