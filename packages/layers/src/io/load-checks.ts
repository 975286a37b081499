// Checks every loaded model passes, whatever its format: weights must be finite and within ±1e15 (a
// corrupt or hostile file's NaN, Infinity or 1e38 weights would make every prediction silently wrong;
// trained float32 weights are never near 1e15, whose products already approach float32's range).
import type { Model } from '../models/model.js';

const LIMIT = 1e15;

/** Returns the model, or disposes it and throws naming the first weight holding NaN, ±Infinity or a value beyond ±1e15. */
export async function refuseNonFinite(model: Model, where = 'loadModel'): Promise<Model> {
  for (const w of model.weights) {
    if (w.dtype !== 'float32') continue;
    const values = await w.data();
    const bad = values.findIndex((v) => !(Math.abs(v) <= LIMIT));
    if (bad >= 0) {
      model.dispose();
      throw new Error(
        `${where}: weight '${w.name}' [${w.shape.join(',')}] holds ${values[bad]} at index ${bad} (weights must be finite and within ±1e15): the file is corrupt`,
      );
    }
  }
  return model;
}
