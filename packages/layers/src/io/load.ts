// loadModel(source): artifacts, bytes of a .keras/.h5 file, TF.js artifacts, 'indexeddb://name', a URL, or a file path in Node.
import { refuseNonFinite } from './load-checks.js';
import type { Model } from '../models/model.js';
import { artifactsToModel, type ModelArtifacts } from './artifacts.js';
import { loadFromIndexedDB, type StoredFiles } from './indexeddb.js';
import { parseJson } from './json.js';
import type { TfjsArtifacts } from './tfjs.js';
import { formatCode } from './format-registry.js';
import { isNode, nodeFs } from './node.js';
import { filePaths, type ModelJson } from './save.js';

function parseModelJson(text: string, where: string): ModelJson | TfjsJson {
  const parsed = parseJson(text, `loadModel: ${where}`);
  if (typeof parsed !== 'object' || parsed === null || !('modelTopology' in parsed)) {
    throw new Error(`loadModel: ${where} has no modelTopology: neither a webdl nor a TF.js model.json`);
  }
  if (Array.isArray((parsed as TfjsJson).weightsManifest)) return parsed as TfjsJson;
  const json = parsed as ModelJson;
  if (typeof json.weightsPath !== 'string') throw new Error(`loadModel: ${where} has no weightsPath`);
  return json;
}

type TfjsJson = { modelTopology: unknown; weightsManifest: unknown[] };
const isTfjs = (j: ModelJson | TfjsJson): j is TfjsJson => 'weightsManifest' in j;

async function tfjsFrom(
  text: string,
  where: string,
  read: (p: string) => Promise<Uint8Array>,
): Promise<Model> {
  return (await formatCode('loadModel', 'TF.js')).loadTfjsFrom(text, where, read);
}

async function fetchModel(url: string): Promise<Model> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`loadModel: fetching ${url} failed: HTTP ${res.status}`);
  const text = await res.text();
  const json = parseModelJson(text, url);
  const base = new URL(url, (globalThis as { location?: { href: string } }).location?.href);
  const get = async (path: string): Promise<Uint8Array> => {
    const at = new URL(path, base).href;
    const r = await fetch(at);
    if (!r.ok) throw new Error(`loadModel: fetching the weights ${at} failed: HTTP ${r.status}`);
    return new Uint8Array(await r.arrayBuffer());
  };
  if (isTfjs(json)) return tfjsFrom(text, url, get);
  const weightData = await get(json.weightsPath);
  return artifactsToModel({
    modelTopology: json.modelTopology,
    weightSpecs: json.weightSpecs,
    weightData: weightData.buffer as ArrayBuffer,
  });
}

async function readFileModel(path: string): Promise<Model> {
  const fs = await nodeFs();
  let { json: jsonPath } = filePaths(path);
  const stat = await fs.stat(path.replace(/^file:\/\//, '')).catch(() => null);
  if (stat?.isFile()) jsonPath = path.replace(/^file:\/\//, '');
  const text = await fs.readFile(jsonPath, 'utf8').catch((e: Error) => {
    throw new Error(`loadModel: cannot read ${jsonPath}: ${e.message}`);
  });
  const json = parseModelJson(text, jsonPath);
  const dir = jsonPath.includes('/') ? jsonPath.slice(0, jsonPath.lastIndexOf('/') + 1) : '';
  const read = (p: string): Promise<Uint8Array> =>
    fs.readFile(dir + p).catch((e: Error) => {
      throw new Error(`loadModel: cannot read the weights ${dir + p}: ${e.message}`);
    });
  if (isTfjs(json)) return tfjsFrom(text, jsonPath, read);
  const data = await read(json.weightsPath);
  const weightData = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer;
  return artifactsToModel({ modelTopology: json.modelTopology, weightSpecs: json.weightSpecs, weightData });
}

const ZIP = [0x50, 0x4b, 0x03, 0x04];
const HDF5 = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];
const startsWith = (b: Uint8Array, magic: number[]): boolean => magic.every((m, i) => b[i] === m);

/** What loadModel accepts besides a string. */
export type ModelBytes = Uint8Array | ArrayBuffer | Blob;

async function toBytes(source: ModelBytes): Promise<Uint8Array> {
  if (source instanceof Uint8Array) return source;
  if (source instanceof ArrayBuffer) return new Uint8Array(source);
  return new Uint8Array(await source.arrayBuffer());
}

/** Loads a model file's bytes, by content: a zip is a Keras 3 .keras archive, HDF5 a legacy Keras .h5. */
async function fromBytes(bytes: Uint8Array, where?: string): Promise<Model> {
  if (startsWith(bytes, ZIP))
    return (await formatCode('loadModel', '.keras')).fromKeras(bytes, where ?? 'model.keras');
  if (startsWith(bytes, HDF5))
    return (await formatCode('loadModel', 'legacy .h5')).fromLegacyH5(bytes, where ?? 'model.h5');
  const head = Array.from(bytes.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join(' ');
  throw new Error(
    `loadModel: ${where ?? 'the data'} is neither a Keras 3 .keras file (a zip) nor a legacy Keras .h5 file (HDF5); it starts with bytes ${head || '(empty)'}`,
  );
}

function isBytes(x: unknown): x is ModelBytes {
  return (
    x instanceof Uint8Array || x instanceof ArrayBuffer || (typeof Blob !== 'undefined' && x instanceof Blob)
  );
}

/**
 * Loads a model, detecting the format by content: bytes (Uint8Array, ArrayBuffer, Blob/File) of a
 * Keras 3 `.keras` or legacy Keras `.h5` file; `{ modelJson, weightData }` of a TF.js Layers model;
 * webdl's own artifacts; 'indexeddb://name'; a URL or (Node) a path of a .keras/.h5 file, of a
 * TF.js model.json (shards fetched beside it) or of webdl's model.json. Malformed, truncated or
 * hostile input throws an error naming the problem; no half-built model is ever returned, and no
 * code from a file is ever run.
 *
 * ```ts
 * const model = await loadModel(new Uint8Array(await file.arrayBuffer())); // a .keras file
 * const tfjsModel = await loadModel('https://example.com/model/model.json');
 * const same = await loadModel(await model.save());
 * ```
 */
export async function loadModel(
  source: ModelArtifacts | TfjsArtifacts | ModelBytes | string,
): Promise<Model> {
  return refuseNonFinite(await loadAnyModel(source));
}

async function loadAnyModel(source: ModelArtifacts | TfjsArtifacts | ModelBytes | string): Promise<Model> {
  if (isBytes(source)) {
    const name = typeof File !== 'undefined' && source instanceof File ? source.name : undefined;
    return fromBytes(await toBytes(source), name);
  }
  if (typeof source !== 'string') {
    if (typeof source === 'object' && source !== null && 'modelJson' in source)
      return (await formatCode('loadModel', 'TF.js')).fromTfjs(source, 'modelJson');
    return artifactsToModel(source);
  }
  if (source.startsWith('indexeddb://')) {
    const stored = await loadFromIndexedDB(source.slice('indexeddb://'.length));
    return 'files' in stored ? fromStoredFiles(stored, source) : artifactsToModel(stored);
  }
  if (source.startsWith('downloads://'))
    throw new Error(
      'loadModel: downloads:// is for saving; load the downloaded files from a URL or with a file input',
    );
  const remote = /^https?:\/\//.test(source) || !isNode();
  if (/\.(keras|h5|hdf5)$/i.test(source)) return fromBytes(await readBytes(source, remote), source);
  return remote ? fetchModel(source) : readFileModel(source);
}

/** A model saved to IndexedDB in another format's files (.keras, or TF.js .json with its shard). */
async function fromStoredFiles(stored: StoredFiles, where: string): Promise<Model> {
  const [first] = stored.files;
  if (stored.format === '.keras') return fromBytes(first.bytes, where);
  if (stored.format === '.json') {
    const byName = new Map(stored.files.map((f) => [f.name, f.bytes]));
    return tfjsFrom(new TextDecoder().decode(first.bytes), where, async (p) => {
      const found = byName.get(p);
      if (!found) throw new Error(`loadModel: ${where} has no stored shard '${p}'`);
      return found;
    });
  }
  throw new Error(
    `loadModel: ${where} holds ${stored.format} bytes; webdl reads .keras, .h5 and TF.js models, not ${stored.format}`,
  );
}

/** A whole file from a URL (fetch) or, in Node, a path. */
async function readBytes(source: string, remote: boolean): Promise<Uint8Array> {
  if (remote) {
    const res = await fetch(source);
    if (!res.ok) throw new Error(`loadModel: fetching ${source} failed: HTTP ${res.status}`);
    return new Uint8Array(await res.arrayBuffer());
  }
  const fs = await nodeFs();
  const path = source.replace(/^file:\/\//, '');
  return fs.readFile(path).catch((e: Error) => {
    throw new Error(`loadModel: cannot read ${path}: ${e.message}`);
  });
}
