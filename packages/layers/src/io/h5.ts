// In-memory HDF5 through h5wasm; only the format entry (io-formats.ts) reaches this file, so training bundles never carry the wasm.
import type { DType, TypedArray } from '@webdl/core';
import * as h5wasm from 'h5wasm';
import { checkH5Heaps } from './h5-guard.js';

type H5 = typeof h5wasm;
/** The part of Emscripten's in-memory filesystem used here. */
interface MemFs {
  writeFile(path: string, data: Uint8Array): void;
  readFile(path: string): Uint8Array;
  unlink(path: string): void;
}
interface Loaded {
  lib: H5;
  fs: MemFs;
}
type H5Group = InstanceType<H5['Group']>;
type H5Dataset = InstanceType<H5['Dataset']>;

let loading: Promise<Loaded> | null = null;
let fileCounter = 0;

/** h5wasm, its wasm ready; its error handler throws (a missing parent group is an error, not a null). */
async function h5(): Promise<Loaded> {
  loading ??= (async () => {
    const module = await h5wasm.ready;
    module.activate_throwing_error_handler();
    return { lib: h5wasm, fs: (module as unknown as { FS: MemFs }).FS };
  })();
  return loading;
}

/** One dataset read from a file: values widened or narrowed to a webdl dtype. */
export interface H5Array {
  shape: number[];
  dtype: DType;
  data: TypedArray;
}

/** Read access to an HDF5 file held in memory. Paths are '/'-separated, relative to the root. */
export interface H5Reader {
  /** Child names of a group, or null when the path is not a group. */
  keys(path: string): string[] | null;
  /** Whether the path is a dataset. */
  isDataset(path: string): boolean;
  /** An attribute as JSON-compatible data, or undefined when absent. */
  attr(path: string, name: string): unknown;
  /** A dataset's values; throws when it claims more bytes than the file holds or has an unusable type. */
  read(path: string): H5Array;
  close(): void;
}

function unlink(fs: MemFs, name: string): void {
  try {
    fs.unlink(name);
  } catch {
    // already gone
  }
}

/**
 * Opens HDF5 bytes for reading. `where` names the file in errors (e.g. 'model.weights.h5').
 *
 * ```ts
 * const h = await openH5(bytes, 'model.weights.h5');
 * h.read('layers/dense/vars/0'); h.close();
 * ```
 */
export async function openH5(bytes: Uint8Array, where: string): Promise<H5Reader> {
  // HDF5's own reader can spin forever on hostile heap sizes: check them first (h5-guard.ts).
  checkH5Heaps(bytes, where);
  const { lib, fs } = await h5();
  const name = `/webdl-read-${fileCounter++}.h5`;
  fs.writeFile(name, bytes);
  let file: InstanceType<H5['File']>;
  try {
    file = new lib.File(name, 'r');
  } catch (e) {
    unlink(fs, name);
    throw new Error(`${where} is not a readable HDF5 file (${(e as Error).message})`);
  }
  const get = (path: string): ReturnType<H5Group['get']> => {
    try {
      return file.get(path);
    } catch {
      return null;
    }
  };
  return {
    keys(path) {
      const g = path === '' ? file : get(path);
      return g instanceof lib.Group ? g.keys() : null;
    },
    isDataset(path) {
      return get(path) instanceof lib.Dataset;
    },
    attr(path, attrName) {
      const g = path === '' ? file : get(path);
      if (!g || !('attrs' in g)) return undefined;
      const attrs = (g as H5Group).attrs;
      if (!Object.prototype.hasOwnProperty.call(attrs, attrName)) return undefined;
      // A hostile dataspace makes HDF5 allocate (and zero) gigabytes before failing: check the size first.
      const a = attrs[attrName];
      const claimed = (a.shape ?? []).reduce((x, y) => x * y, 1) * a.metadata.size;
      if (claimed > bytes.byteLength)
        throw new Error(
          `${where}: attribute '${attrName}' of '${path}' claims ${claimed} bytes but the file has only ${bytes.byteLength}`,
        );
      return (g as H5Group).get_attribute(attrName, true);
    },
    read(path) {
      const d = get(path);
      if (!(d instanceof lib.Dataset)) throw new Error(`${where}: '${path}' is missing or not a dataset`);
      return readDataset(d, path, where, bytes.byteLength);
    },
    close() {
      try {
        file.close();
      } finally {
        unlink(fs, name);
      }
    },
  };
}

function readDataset(d: H5Dataset, path: string, where: string, fileBytes: number): H5Array {
  const meta = d.metadata;
  const shape = d.shape ?? [];
  const count = shape.reduce((a, b) => a * b, 1);
  const needed = count * meta.size;
  // A dataset cannot hold more bytes than the file unless it is compressed; Keras never compresses.
  if (needed > fileBytes) {
    throw new Error(
      `${where}: dataset '${path}' of shape [${shape}] claims ${needed} bytes but the file has only ${fileBytes}`,
    );
  }
  let v: unknown;
  try {
    v = d.value;
  } catch (e) {
    throw new Error(
      `${where}: dataset '${path}' of shape [${shape}] could not be read; its data may lie past the end of a truncated file (${(e as Error).message})`,
    );
  }
  const data = toWebdl(v, path, where);
  if (data.data.length !== count)
    throw new Error(`${where}: dataset '${path}' has ${data.data.length} values for shape [${shape}]`);
  return { shape, ...data };
}

function toWebdl(v: unknown, path: string, where: string): { dtype: DType; data: TypedArray } {
  if (v instanceof Float32Array) return { dtype: 'float32', data: v };
  if (v instanceof Float64Array) return { dtype: 'float32', data: Float32Array.from(v) };
  if (v instanceof Int32Array) return { dtype: 'int32', data: v };
  if (v instanceof BigInt64Array || v instanceof BigUint64Array)
    return { dtype: 'int32', data: Int32Array.from(v, (x) => Number(x)) };
  if (
    v instanceof Int8Array ||
    v instanceof Int16Array ||
    v instanceof Uint16Array ||
    v instanceof Uint32Array
  )
    return { dtype: 'int32', data: Int32Array.from(v) };
  if (v instanceof Uint8Array) return { dtype: 'int32', data: Int32Array.from(v) };
  if (typeof v === 'number') return { dtype: 'float32', data: new Float32Array([v]) };
  if (typeof v === 'bigint') return { dtype: 'int32', data: new Int32Array([Number(v)]) };
  throw new Error(`${where}: dataset '${path}' has an unsupported type (expected numbers)`);
}

/** One dataset to write. */
export interface H5WriteEntry {
  path: string;
  shape: number[];
  dtype: 'float32' | 'int32';
  data: Float32Array | Int32Array;
}

/** Groups (created even when empty) with string attributes, and datasets. */
export interface H5WriteSpec {
  groups: { path: string; attrs?: Record<string, string | string[]> }[];
  datasets: H5WriteEntry[];
}

/**
 * Writes an HDF5 file in memory and returns its bytes. Groups are created one level at a time, parents first.
 *
 * ```ts
 * const bytes = await writeH5({ groups: [{ path: 'vars' }], datasets: [] });
 * ```
 */
export async function writeH5(spec: H5WriteSpec): Promise<Uint8Array> {
  const { lib, fs } = await h5();
  const name = `/webdl-write-${fileCounter++}.h5`;
  const file = new lib.File(name, 'w');
  try {
    const made = new Set<string>(['']);
    const ensure = (path: string): void => {
      const parts = path.split('/').filter((p) => p !== '');
      for (let i = 1; i <= parts.length; i++) {
        const p = parts.slice(0, i).join('/');
        if (!made.has(p)) {
          file.create_group(p);
          made.add(p);
        }
      }
    };
    for (const g of spec.groups) {
      ensure(g.path);
      for (const [k, v] of Object.entries(g.attrs ?? {})) {
        const target = g.path === '' ? file : (file.get(g.path) as H5Group);
        target.create_attribute(k, v);
      }
    }
    for (const d of spec.datasets) {
      const parent = d.path.includes('/') ? d.path.slice(0, d.path.lastIndexOf('/')) : '';
      ensure(parent);
      // h5wasm's dtype strings follow Python's struct module: '<f' float32, '<i' int32 (what Keras on JAX writes).
      const dtype = d.dtype === 'float32' ? '<f' : '<i';
      file.create_dataset({ name: d.path, data: d.data, shape: d.shape, dtype });
    }
    file.flush();
  } finally {
    file.close();
  }
  const out = fs.readFile(name).slice();
  unlink(fs, name);
  return out;
}
