// Keras layer configs (snake_case, Keras 3 or Keras 2 shape) <-> webdl configs (camelCase), generic over the layer registry.
import { deserializeLayer, isRegistered } from '../registry.js';

type Json = Record<string, unknown>;

/** Keras's `to_snake_case`: 'Conv2D' -> 'conv2d', 'BatchNormalization' -> 'batch_normalization', 'ReLU' -> 're_lu'. */
export function kerasSnake(name: string): string {
  return name
    .replace(/\W+/g, '')
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

/** 'use_bias' -> 'useBias', 'beta_1' -> 'beta1'. */
export function camelKey(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** 'useBias' -> 'use_bias', 'beta1' -> 'beta_1' (digits after a letter get an underscore only where Keras has one). */
export function snakeKey(key: string): string {
  const special = SNAKE_SPECIAL[key];
  if (special) return special;
  return key.replace(/([A-Z])/g, (c) => `_${c.toLowerCase()}`);
}
const SNAKE_SPECIAL: Record<string, string> = { beta1: 'beta_1', beta2: 'beta_2' };

/** Per-class key names that are not the camelCase of the Keras key (Keras key -> webdl key). */
const KEY_EXCEPTIONS: Record<string, Record<string, string>> = {
  InputLayer: { batch_shape: 'batchInputShape', batch_input_shape: 'batchInputShape' },
};

/**
 * Keras options webdl does not have, accepted when they hold the value that means "off" (anything
 * else is refused: a file is never half-honoured).
 */
const KERAS_OFF: Record<string, unknown> = {
  sparse: false,
  ragged: false,
  optional: false,
  synchronized: false,
  renorm: false,
  renorm_momentum: undefined,
  stateful: false,
  zero_output_for_mask: false,
  time_major: false,
  rms_scaling: false,
  autocast: true,
  lora_rank: null,
  groups: 1,
  data_format: 'channels_last',
  // Performance hints and shape documentation with no effect on results.
  implementation: undefined,
  input_length: undefined,
};

/** Keys that are Keras bookkeeping, not options. */
const BOOKKEEPING = new Set(['module', 'registered_name', 'build_config', 'shared_object_id']);

/** Classes that hold other layers' configs and are checked through their parts. */
const CONTAINERS = new Set(['Sequential', 'Functional', 'Model']);

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Refuses class names that would run code or that webdl does not know, naming the path in the file. */
export function checkKerasClass(spec: Json, where: string): string {
  const cls = spec.class_name;
  if (typeof cls !== 'string') throw new Error(`${where}: a layer has no class_name`);
  if (cls === 'Lambda' || cls === 'TFOpLambda' || cls === 'SlicingOpLambda') {
    throw new Error(
      `${where}: layer class '${cls}' holds Python code, which webdl never runs: replace it with a built-in layer before saving`,
    );
  }
  const registered = spec.registered_name;
  const module = spec.module;
  const custom =
    (typeof registered === 'string' && registered !== cls && !registered.startsWith('keras')) ||
    (typeof module === 'string' && !module.startsWith('keras'));
  if (custom)
    throw new Error(
      `${where}: '${String(registered ?? cls)}' is a custom object (module '${String(module)}'); webdl loads only built-in Keras classes and never runs code from a file`,
    );
  if (!isRegistered(cls))
    throw new Error(`${where}: unknown layer class '${cls}' (webdl has no such layer; nothing was loaded)`);
  return cls;
}

function dtypeOf(v: unknown, where: string): unknown {
  if (!isObject(v)) return v;
  const cfg = v.config;
  const name = isObject(cfg) ? cfg.name : undefined;
  if (typeof name !== 'string') throw new Error(`${where}: unreadable dtype policy ${JSON.stringify(v)}`);
  if (name !== 'float32' && name !== 'int32' && name !== 'bool')
    throw new Error(`${where}: dtype policy '${name}' is not supported (webdl computes in float32)`);
  return name;
}

function objectSpec(v: Json, where: string, what: string): { className: string; config: Json } {
  if (typeof v.class_name !== 'string') throw new Error(`${where}: ${what} has no class_name`);
  if (v.class_name === 'function' || (typeof v.module === 'string' && !v.module.startsWith('keras')))
    throw new Error(
      `${where}: ${what} '${String(v.config ?? v.class_name)}' is a custom object; webdl never runs code from a file`,
    );
  const cfg = isObject(v.config) ? v.config : {};
  const config: Json = {};
  for (const [k, x] of Object.entries(cfg)) if (x !== null) config[camelKey(k)] = x;
  return { className: v.class_name, config };
}

function valueFromKeras(key: string, v: unknown, where: string): unknown {
  if (key === 'dtype') return dtypeOf(v, where);
  if (key === 'data_format') {
    if (v === 'channels_last') return 'channelsLast';
    throw new Error(`${where}: data_format '${String(v)}' is not supported (webdl is channels_last only)`);
  }
  if (key.endsWith('activation')) {
    if (typeof v === 'string') return v;
    if (isObject(v) && typeof v.config === 'string' && v.class_name === 'function')
      throw new Error(
        `${where}: activation '${v.config}' is a custom function; webdl never runs code from a file`,
      );
    throw new Error(`${where}: unreadable activation ${JSON.stringify(v)}`);
  }
  if (isObject(v) && typeof v.class_name === 'string') {
    if (/(initializer|regularizer|constraint)$/.test(key) || key === 'dtype_policy')
      return objectSpec(v, where, key);
    return layerFromKeras(v, `${where}.${key}`);
  }
  if (Array.isArray(v)) return v.map((x, i) => valueFromKeras('', x, `${where}[${i}]`));
  return v;
}

/** Translates one Keras layer spec `{ class_name, config }` into webdl's `{ className, config }`. */
export function layerFromKeras(spec: unknown, where: string): { className: string; config: Json } {
  if (!isObject(spec)) throw new Error(`${where}: a layer entry is not an object`);
  const className = checkKerasClass(spec, where);
  const raw = spec.config;
  if (!isObject(raw)) throw new Error(`${where}: layer '${className}' has no config object`);
  const here = `${where} (${className} '${String(raw.name ?? '?')}')`;
  if (className === 'Sequential' || CONTAINERS.has(className))
    return containerFromKeras(className, raw, here);
  const exceptions = KEY_EXCEPTIONS[className] ?? {};
  const config: Json = {};
  for (const [k, v] of Object.entries(raw)) {
    if (v === null || BOOKKEEPING.has(k)) continue;
    if (k in KERAS_OFF && (KERAS_OFF[k] === undefined || KERAS_OFF[k] === v)) continue;
    config[exceptions[k] ?? camelKey(k)] = valueFromKeras(k, v, `${here}.${k}`);
  }
  checkHonoured(className, config, raw, here);
  return { className, config };
}

/** Builds the layer once from the translated config and refuses options it did not keep. */
function checkHonoured(className: string, config: Json, raw: Json, where: string): void {
  let kept: Json;
  try {
    const layer = deserializeLayer({ className, config });
    kept = layer.getConfig();
    layer.dispose();
  } catch (e) {
    const msg = (e as Error).message;
    // A constructor that rejects an unknown option names it in camelCase: report the file's key.
    const unknown = /unknown option '(\w+)'/.exec(msg)?.[1];
    if (unknown !== undefined && unknown in config) unsupported([unknown], raw, className, where);
    throw new Error(`${where}: ${msg}`);
  }
  const dropped = Object.keys(config).filter((k) => !(k in kept) && k !== 'batchInputShape');
  if (dropped.length > 0) unsupported(dropped, raw, className, where);
}

function unsupported(keys: string[], raw: Json, className: string, where: string): never {
  const keras = Object.keys(raw).filter((k) => keys.includes(camelKey(k)));
  throw new Error(
    `${where}: option(s) ${keras.map((k) => `${k}=${JSON.stringify(raw[k])}`).join(', ')} not supported by webdl's ${className}`,
  );
}

type Ref = [string, number, number];

function refOf(t: unknown, where: string): Ref {
  if (Array.isArray(t) && typeof t[0] === 'string') return [t[0], Number(t[1] ?? 0), Number(t[2] ?? 0)];
  throw new Error(`${where}: unreadable tensor reference ${JSON.stringify(t)}`);
}

/** Collects `__keras_tensor__` histories (Keras 3) in argument order. */
function tensorsIn(v: unknown, out: Ref[], where: string): void {
  if (Array.isArray(v)) v.forEach((x) => tensorsIn(x, out, where));
  else if (isObject(v)) {
    if (v.class_name === '__keras_tensor__' && isObject(v.config))
      out.push(refOf(v.config.keras_history, where));
    else Object.values(v).forEach((x) => tensorsIn(x, out, where));
  }
}

/** Keras 3 `[{ args, kwargs }]` or Keras 2 `[[[name, node, tensor, kwargs], ...]]` -> one ref list per node. */
function inboundFromKeras(nodes: unknown, where: string): Ref[][] {
  if (!Array.isArray(nodes)) return [];
  return nodes.map((node, i) => {
    const refs: Ref[] = [];
    if (isObject(node)) {
      tensorsIn(node.args, refs, `${where}.inbound_nodes[${i}]`);
      tensorsIn(node.kwargs, refs, `${where}.inbound_nodes[${i}]`);
    } else if (Array.isArray(node)) {
      for (const r of node) refs.push(refOf(r, `${where}.inbound_nodes[${i}]`));
    }
    return refs;
  });
}

function refList(v: unknown, where: string): Ref[] {
  if (!Array.isArray(v)) throw new Error(`${where} is missing`);
  return typeof v[0] === 'string' ? [refOf(v, where)] : v.map((r) => refOf(r, where));
}

function containerFromKeras(
  className: string,
  raw: Json,
  where: string,
): { className: string; config: Json } {
  const layers = raw.layers;
  if (!Array.isArray(layers)) throw new Error(`${where}: config has no layers list`);
  const name = typeof raw.name === 'string' ? raw.name : undefined;
  if (className === 'Sequential') {
    const config: Json = { name, layers: layers.map((l, i) => layerFromKeras(l, `${where}.layers[${i}]`)) };
    return { className, config };
  }
  const translated = layers.map((l, i) => {
    const here = `${where}.layers[${i}]`;
    const spec = layerFromKeras(l, here);
    const lname = (l as Json).name ?? spec.config.name;
    return { ...spec, name: lname, inboundNodes: inboundFromKeras((l as Json).inbound_nodes, here) };
  });
  return {
    className: 'Functional',
    config: {
      name,
      layers: translated,
      inputLayers: refList(raw.input_layers, `${where}.input_layers`),
      outputLayers: refList(raw.output_layers, `${where}.output_layers`),
    },
  };
}

const policy = (name: unknown): Json => ({
  module: 'keras',
  class_name: 'DTypePolicy',
  config: { name },
  registered_name: null,
});

function valueToKeras(key: string, v: unknown): unknown {
  if (key === 'dtype') return policy(v);
  if (key === 'dataFormat') return 'channels_last';
  if (isObject(v) && typeof v.className === 'string' && isObject(v.config)) {
    if (/(Initializer|Regularizer|Constraint)$/.test(key)) {
      const kind = /Initializer$/.test(key)
        ? 'initializers'
        : /Regularizer$/.test(key)
          ? 'regularizers'
          : 'constraints';
      const config: Json = {};
      for (const [k, x] of Object.entries(v.config)) if (x !== undefined) config[snakeKey(k)] = x;
      return { module: `keras.${kind}`, class_name: v.className, config, registered_name: null };
    }
    return layerToKeras(v.className, v.config);
  }
  return v;
}

/** Translates a webdl `{ className, config }` into a Keras 3 layer spec (module, class_name, config). */
export function layerToKeras(className: string, config: Json): Json {
  const out: Json = {};
  const reverse = Object.fromEntries(Object.entries(KEY_EXCEPTIONS[className] ?? {}).map(([k, w]) => [w, k]));
  for (const [k, v] of Object.entries(config)) {
    if (v === undefined) continue;
    if (k === 'batchInputShape' && className !== 'InputLayer') continue;
    out[reverse[k] ?? snakeKey(k)] = valueToKeras(k, v);
  }
  if (className === 'InputLayer') {
    out.dtype = config.dtype ?? 'float32';
    Object.assign(out, { sparse: false, ragged: false, optional: false });
  }
  return { module: 'keras.layers', class_name: className, config: out, registered_name: null };
}
