// loadModel(source): from artifacts, 'indexeddb://name', a URL to model.json, or a file path in Node.
import type { Model } from '../models/model.js';
import { artifactsToModel, type ModelArtifacts } from './artifacts.js';
import { loadFromIndexedDB } from './indexeddb.js';
import { filePaths, isNode, nodeFs, type ModelJson } from './save.js';

function parseModelJson(text: string, where: string): ModelJson {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new Error(
      `loadModel: ${where} is not valid JSON (${(e as Error).message}); the file may be truncated`,
    );
  }
  if (typeof parsed !== 'object' || parsed === null || !('modelTopology' in parsed)) {
    throw new Error(`loadModel: ${where} has no modelTopology: not a saved webdl model`);
  }
  const json = parsed as ModelJson;
  if (typeof json.weightsPath !== 'string') throw new Error(`loadModel: ${where} has no weightsPath`);
  return json;
}

async function fetchArtifacts(url: string): Promise<ModelArtifacts> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`loadModel: fetching ${url} failed: HTTP ${res.status}`);
  const json = parseModelJson(await res.text(), url);
  const weightsUrl = new URL(
    json.weightsPath,
    new URL(url, (globalThis as { location?: { href: string } }).location?.href),
  ).href;
  const wres = await fetch(weightsUrl);
  if (!wres.ok) throw new Error(`loadModel: fetching the weights ${weightsUrl} failed: HTTP ${wres.status}`);
  return {
    modelTopology: json.modelTopology,
    weightSpecs: json.weightSpecs,
    weightData: await wres.arrayBuffer(),
  };
}

async function readFileArtifacts(path: string): Promise<ModelArtifacts> {
  const fs = await nodeFs();
  let { json: jsonPath } = filePaths(path);
  const stat = await fs.stat(path.replace(/^file:\/\//, '')).catch(() => null);
  if (stat?.isFile()) jsonPath = path.replace(/^file:\/\//, '');
  const text = await fs.readFile(jsonPath, 'utf8').catch((e: Error) => {
    throw new Error(`loadModel: cannot read ${jsonPath}: ${e.message}`);
  });
  const json = parseModelJson(text, jsonPath);
  const dir = jsonPath.includes('/') ? jsonPath.slice(0, jsonPath.lastIndexOf('/') + 1) : '';
  const weightsPath = dir + json.weightsPath;
  const data = await fs.readFile(weightsPath).catch((e: Error) => {
    throw new Error(`loadModel: cannot read the weights ${weightsPath}: ${e.message}`);
  });
  const weightData = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer;
  return { modelTopology: json.modelTopology, weightSpecs: json.weightSpecs, weightData };
}

/**
 * Loads a saved model: in-memory artifacts, 'indexeddb://name', an http(s) or relative URL of the
 * model JSON (browsers), or a file/directory path (Node). Malformed or truncated input throws an
 * error naming the problem; no half-built model is ever returned.
 *
 * ```ts
 * const model = await loadModel('indexeddb://mnist-mlp');
 * const same = await loadModel(await model.save());
 * ```
 */
export async function loadModel(source: ModelArtifacts | string): Promise<Model> {
  if (typeof source !== 'string') return artifactsToModel(source);
  if (source.startsWith('indexeddb://'))
    return artifactsToModel(await loadFromIndexedDB(source.slice('indexeddb://'.length)));
  if (source.startsWith('downloads://'))
    throw new Error(
      'loadModel: downloads:// is for saving; load the downloaded files from a URL or with a file input',
    );
  if (/^https?:\/\//.test(source) || !isNode()) return artifactsToModel(await fetchArtifacts(source));
  return artifactsToModel(await readFileArtifacts(source));
}
