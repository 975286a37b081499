// TF.js-specific differences from Keras configs, applied before (reading) and after (writing) the generic Keras translation.

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** TF.js initializer class names that Keras spells differently (TF.js -> Keras). */
const FROM_TFJS_CLASS: Record<string, string> = { LeCunNormal: 'LecunNormal', LeCunUniform: 'LecunUniform' };
const TO_TFJS_CLASS: Record<string, string> = Object.fromEntries(
  Object.entries(FROM_TFJS_CLASS).map(([t, k]) => [k, t]),
);

const HARD_SIGMOID =
  "TF.js's 'hard_sigmoid' is Keras 2's clip(0.2x + 0.5, 0, 1), not Keras 3's clip(x/6 + 0.5, 0, 1) that webdl implements";

function walk(v: unknown, where: string, fix: (o: Json, where: string) => Json): unknown {
  if (Array.isArray(v)) return v.map((x, i) => walk(x, `${where}[${i}]`, fix));
  if (!isObject(v)) return v;
  const out: Json = {};
  for (const [k, x] of Object.entries(v)) out[k] = walk(x, `${where}.${k}`, fix);
  return fix(out, where);
}

/**
 * A TF.js model config made readable by the Keras translation: TF.js class spellings mapped, and
 * activations whose meaning differs refused.
 *
 * ```ts
 * const keras = kerasTfjsTopology(modelJson.modelTopology, 'model.json');
 * ```
 */
export function kerasTfjsTopology(config: Json, where: string): unknown {
  return walk(config, where, (o, here) => {
    for (const key of ['activation', 'recurrent_activation']) {
      if (o[key] === 'hard_sigmoid') throw new Error(`${here}.${key}: ${HARD_SIGMOID}; not loaded`);
    }
    if (typeof o.class_name === 'string' && FROM_TFJS_CLASS[o.class_name])
      return { ...o, class_name: FROM_TFJS_CLASS[o.class_name] };
    return o;
  });
}

/** Keras 3 bookkeeping that TF.js's Keras 2 style configs do not have. */
const KERAS3_ONLY = new Set(['module', 'registered_name', 'build_config', 'optional', 'ragged']);

/**
 * A Keras 3 layer spec rewritten in TF.js's Keras 2 style: dtype policies as strings, InputLayer's
 * batch_input_shape, no module/registered_name, TF.js class spellings.
 *
 * ```ts
 * const spec = tfjsLayerSpec(layerToKeras('Dense', dense.getConfig()), 'Dense');
 * ```
 */
export function tfjsLayerSpec(spec: Json, where: string): Json {
  return walk(spec, where, (o, here) => {
    const out: Json = {};
    for (const [k, v] of Object.entries(o)) {
      if (KERAS3_ONLY.has(k)) continue;
      if ((k === 'activation' || k === 'recurrent_activation') && v === 'hard_sigmoid')
        throw new Error(`io.toTfjs: ${here}.${k}: ${HARD_SIGMOID}; TF.js would compute it differently`);
      if (k === 'dtype' && isObject(v) && isObject(v.config)) out[k] = v.config.name;
      else if (k === 'batch_shape') out.batch_input_shape = v;
      else out[k] = v;
    }
    if (typeof out.class_name === 'string' && TO_TFJS_CLASS[out.class_name])
      out.class_name = TO_TFJS_CLASS[out.class_name];
    const config = out.config;
    if (isObject(config)) {
      // TF.js keeps Keras 2's name for LeakyReLU's slope.
      if (out.class_name === 'LeakyReLU' && 'negative_slope' in config) {
        config.alpha = config.negative_slope;
        delete config.negative_slope;
      }
      if (out.class_name === 'GRU' && config.reset_after === true)
        throw new Error(
          `io.toTfjs: ${here}: TF.js's GRU has no reset_after (Keras 3's default); build the GRU with resetAfter: false to export it`,
        );
    }
    return out;
  }) as Json;
}
