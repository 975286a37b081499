// Which code reads and writes the other formats (.keras, legacy .h5, TF.js, ONNX): registered with registerFormats,
// or in Node found beside this file. Nothing here imports that code, so a bundle that only trains never carries it.
import type { Model } from '../models/model.js';
import type { OnnxOptions } from './onnx/export.js';
import type { TfjsArtifacts } from './tfjs.js';
import { isNode } from './node.js';

/**
 * The format code that `@webdl/layers/io` (and `webdl/io`) exports: what save, loadModel and `io` call.
 *
 * ```ts
 * const formats: io.ModelFormats = await import('@webdl/layers/io');
 * const bytes = await formats.toKeras(model);
 * ```
 */
export interface ModelFormats {
  toKeras(model: Model): Promise<Uint8Array>;
  fromKeras(bytes: Uint8Array, where?: string): Promise<Model>;
  fromLegacyH5(bytes: Uint8Array, where?: string): Promise<Model>;
  toTfjs(model: Model, shardName?: string): Promise<TfjsArtifacts>;
  fromTfjs(artifacts: TfjsArtifacts, where?: string): Model;
  loadTfjsFrom(text: string, where: string, read: (path: string) => Promise<Uint8Array>): Promise<Model>;
  toOnnx(model: Model, options?: OnnxOptions): Promise<Uint8Array>;
}

/**
 * The format code itself, or a function that loads it (a dynamic import, so that a bundler splits it off).
 *
 * ```ts
 * const lazy: io.FormatsSource = () => import('@webdl/layers/io'); // split off, loaded on first use
 * io.registerFormats(lazy);
 * ```
 */
export type FormatsSource = ModelFormats | (() => Promise<ModelFormats>);

const NAMES: (keyof ModelFormats)[] = [
  'toKeras',
  'fromKeras',
  'fromLegacyH5',
  'toTfjs',
  'fromTfjs',
  'loadTfjsFrom',
  'toOnnx',
];

let source: FormatsSource | null = null;
let loaded: Promise<ModelFormats> | null = null;

function checked(m: unknown, what: string): ModelFormats {
  const missing = NAMES.filter((n) => typeof (m as Record<string, unknown> | null)?.[n] !== 'function');
  if (missing.length)
    throw new Error(
      `io.registerFormats: ${what} lacks ${missing.join(', ')}; pass the module of 'webdl/io' (or '@webdl/layers/io')`,
    );
  return m as ModelFormats;
}

/**
 * Registers the code that reads and writes `.keras`, legacy `.h5`, TF.js and ONNX files, which
 * `model.save('x.keras')`, `loadModel(bytes)` and `io.toKeras`/`toTfjs`/`toOnnx` use. That code
 * needs the optional packages h5wasm, fflate and onnx-proto (`npm install h5wasm fflate onnx-proto`).
 * In Node it is found without this call. In a bundle, pass the module (its code goes into the bundle: what a
 * Worker built with Vite's default `iife` format needs) or a function that imports it (split off and
 * loaded on first use, where the bundle can split: a page, or a Worker with `worker.format: 'es'`).
 *
 * ```ts
 * import * as formats from 'webdl/io';
 * io.registerFormats(formats);
 * // or, loaded on first use: io.registerFormats(() => import('webdl/io'));
 * ```
 */
export function registerFormats(formats: FormatsSource): void {
  if (typeof formats === 'function') {
    source = formats;
    loaded = null;
    return;
  }
  source = checked(formats, 'the module');
  loaded = Promise.resolve(source);
}

/** The optional peer dependencies the format code imports. */
const LIBS = ['h5wasm', 'fflate', 'onnx-proto'];

/** In Node, the format entry beside this package's dist (a path no bundler follows). */
async function nodeFormats(caller: string, format: string): Promise<ModelFormats> {
  const entry = '../io-formats.js';
  try {
    return checked(await import(/* @vite-ignore */ entry), entry);
  } catch (e) {
    const missing = LIBS.find((lib) => String((e as Error).message).includes(`'${lib}'`));
    if (!missing) throw e;
    throw new Error(
      `${caller}: the ${format} format needs the optional packages ${LIBS.join(', ')} (${missing} is not installed): npm install ${LIBS.join(' ')}`,
    );
  }
}

/**
 * The registered format code, loaded once; in Node without registration, the package's own.
 * Elsewhere an error says what `caller` needs and how to register it.
 *
 * ```ts
 * const { toKeras } = await formatCode('model.save', '.keras');
 * ```
 */
export async function formatCode(caller: string, format: string): Promise<ModelFormats> {
  if (!loaded) {
    if (source) {
      const load = source as () => Promise<ModelFormats>;
      loaded = load().then((m) => checked(m, 'what the registered function loaded'));
    } else if (isNode()) {
      loaded = nodeFormats(caller, format);
    } else {
      throw new Error(
        `${caller}: the ${format} format's code is not in this bundle; register it once: ` +
          `import * as formats from 'webdl/io'; io.registerFormats(formats) ` +
          `(or io.registerFormats(() => import('webdl/io')) to load it on first use)`,
      );
    }
    loaded.catch(() => {
      loaded = null;
    });
  }
  return loaded;
}
