// model.save(target): in-memory artifacts, 'indexeddb://', 'downloads://', or a file path in Node; the extension picks the format.
import type { Model } from '../models/model.js';
import { modelToArtifacts, type ModelArtifacts } from './artifacts.js';
import { saveToIndexedDB } from './indexeddb.js';
import { formatCode } from './format-registry.js';
import { isNode, nodeFs } from './node.js';

export { isNode, nodeFs, type NodeFs } from './node.js';

export type { ModelArtifacts } from './artifacts.js';

/** What a save to a target wrote. */
export interface SaveResult {
  target: string;
  /** Bytes of JSON topology and of weight data. */
  topologyBytes: number;
  weightBytes: number;
}

/** The JSON file written next to the weights: topology, specs and the weights file's name. */
export interface ModelJson {
  modelTopology: ModelArtifacts['modelTopology'];
  weightSpecs: ModelArtifacts['weightSpecs'];
  weightsPath: string;
}

/** Splits a path into the JSON file and the weights file it names (a directory gets model.json + model.safetensors). */
export function filePaths(path: string): { json: string; weights: string; weightsName: string } {
  const clean = path.replace(/^file:\/\//, '');
  if (clean.endsWith('.json')) {
    const weights = clean.replace(/\.json$/, '.safetensors');
    return { json: clean, weights, weightsName: weights.split('/').pop() as string };
  }
  const dir = clean.replace(/\/+$/, '');
  return { json: `${dir}/model.json`, weights: `${dir}/model.safetensors`, weightsName: 'model.safetensors' };
}

function modelJson(artifacts: ModelArtifacts, weightsName: string): string {
  const json: ModelJson = {
    modelTopology: artifacts.modelTopology,
    weightSpecs: artifacts.weightSpecs,
    weightsPath: weightsName,
  };
  return JSON.stringify(json);
}

function download(name: string, data: BlobPart, type: string): void {
  const doc = (globalThis as { document?: Document }).document;
  if (!doc) throw new Error('downloads://: needs a browser page (document); in Node save to a file path');
  const url = URL.createObjectURL(new Blob([data], { type }));
  const a = doc.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** One file to write: its name (no directory) and bytes. */
interface OutFile {
  name: string;
  bytes: Uint8Array;
  mime: string;
}

/** A file format picked by a target's extension: encodes a model into the files of that format. */
type Format = { ext: string; encode: (model: Model, file: string) => Promise<OutFile[]> } | null;

function formatOf(target: string): Format {
  if (/\.keras$/i.test(target))
    return {
      ext: '.keras',
      encode: async (m, file) => [
        {
          name: file,
          bytes: await (await formatCode('model.save', '.keras')).toKeras(m),
          mime: 'application/zip',
        },
      ],
    };
  if (/\.onnx$/i.test(target))
    return {
      ext: '.onnx',
      encode: async (m, file) => [
        {
          name: file,
          bytes: await (await formatCode('model.save', '.onnx')).toOnnx(m),
          mime: 'application/octet-stream',
        },
      ],
    };
  if (/\.json$/i.test(target))
    return {
      ext: '.json',
      encode: async (m, file) => {
        // TF.js's naming: name.json beside name.weights.bin (what its downloads:// writes).
        const shard = file.replace(/\.json$/i, '.weights.bin');
        const { modelJson, weightData } = await (
          await formatCode('model.save', 'TF.js .json')
        ).toTfjs(m, shard);
        return [
          {
            name: file,
            bytes: new TextEncoder().encode(JSON.stringify(modelJson)),
            mime: 'application/json',
          },
          { name: shard, bytes: new Uint8Array(weightData), mime: 'application/octet-stream' },
        ];
      },
    };
  return null;
}

/** Writes the files of another format to downloads:// or a Node path. */
async function saveFiles(model: Model, target: string, format: NonNullable<Format>): Promise<SaveResult> {
  const downloads = target.startsWith('downloads://');
  const path = downloads ? target.slice('downloads://'.length) : target.replace(/^(file|indexeddb):\/\//, '');
  const slash = path.lastIndexOf('/');
  const dir = slash >= 0 ? path.slice(0, slash) : '.';
  const files = await format.encode(model, path.slice(slash + 1));
  const result: SaveResult = {
    target,
    topologyBytes: format.ext === '.json' ? files[0].bytes.byteLength : 0,
    weightBytes:
      files.reduce((n, f) => n + f.bytes.byteLength, 0) -
      (format.ext === '.json' ? files[0].bytes.byteLength : 0),
  };
  if (downloads) {
    for (const f of files) download(f.name, f.bytes as BlobPart, f.mime);
    return result;
  }
  if (target.startsWith('indexeddb://')) {
    const files2 = files.map(({ name, bytes }) => ({ name, bytes }));
    await saveToIndexedDB(target.slice('indexeddb://'.length), { format: format.ext, files: files2 });
    return result;
  }
  if (/^https?:\/\//.test(target) || !isNode())
    throw new Error(
      `model.save: a ${format.ext} file can go to downloads://name${format.ext}, indexeddb://name${format.ext} or (Node) a file path, not '${target}'`,
    );
  const fs = await nodeFs();
  await fs.mkdir(dir, { recursive: true });
  for (const f of files) await fs.writeFile(`${dir}/${f.name}`, f.bytes);
  return result;
}

/**
 * Saves a model; without a target resolves to in-memory artifacts. The extension picks the
 * format: `.keras` a Keras 3 file, `.onnx` an ONNX model (opset 17), `.json` TF.js Layers files (name.json + name.weights.bin), none
 * webdl's own (JSON + safetensors). Targets: 'indexeddb://name', 'downloads://name.ext', a Node path.
 *
 * ```ts
 * await saveModel(model, 'indexeddb://mnist-mlp');
 * ```
 */
export async function saveModel(model: Model, target?: string): Promise<ModelArtifacts | SaveResult> {
  const format = target === undefined ? null : formatOf(target);
  if (target !== undefined && format) return saveFiles(model, target, format);
  const artifacts = await modelToArtifacts(model);
  if (target === undefined) return artifacts;
  const result = (topologyBytes: number): SaveResult => ({
    target,
    topologyBytes,
    weightBytes: artifacts.weightData.byteLength,
  });
  if (target.startsWith('indexeddb://')) {
    await saveToIndexedDB(target.slice('indexeddb://'.length), artifacts);
    return result(JSON.stringify(artifacts.modelTopology).length);
  }
  if (target.startsWith('downloads://')) {
    const name = target.slice('downloads://'.length) || 'model';
    const json = modelJson(artifacts, `${name}.safetensors`);
    download(`${name}.json`, json, 'application/json');
    download(`${name}.safetensors`, artifacts.weightData, 'application/octet-stream');
    return result(json.length);
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(target))
    throw new Error(
      `model.save: saving to a URL is not supported (${target}); use indexeddb://, downloads:// or a file path in Node`,
    );
  if (!isNode())
    throw new Error(
      `model.save: unknown target '${target}' (use indexeddb://name or downloads://name in a browser)`,
    );
  const fs = await nodeFs();
  const { json, weights, weightsName } = filePaths(target);
  const dir = json.includes('/') ? json.slice(0, json.lastIndexOf('/')) : '.';
  await fs.mkdir(dir, { recursive: true });
  const text = modelJson(artifacts, weightsName);
  await fs.writeFile(weights, new Uint8Array(artifacts.weightData));
  await fs.writeFile(json, text);
  return result(text.length);
}
