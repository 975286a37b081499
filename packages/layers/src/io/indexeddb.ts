// IndexedDB storage of model artifacts ('indexeddb://name'), in browsers and workers.
import type { ModelArtifacts } from './artifacts.js';

const DB_NAME = 'webdl-models';
const STORE = 'models';

function openDb(): Promise<IDBDatabase> {
  const idb = (globalThis as { indexedDB?: IDBFactory }).indexedDB;
  if (!idb)
    throw new Error(
      'indexeddb://: IndexedDB is not available here (it exists in browsers and workers; in Node save to a file path)',
    );
  return new Promise((resolve, reject) => {
    const req = idb.open(DB_NAME, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () =>
      reject(new Error(`indexeddb://: cannot open the database: ${req.error?.message ?? 'unknown error'}`));
  });
}

function run<T>(mode: IDBTransactionMode, fn: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  return openDb().then(
    (db) =>
      new Promise<T>((resolve, reject) => {
        const tx = db.transaction(STORE, mode);
        const req = fn(tx.objectStore(STORE));
        tx.oncomplete = () => {
          db.close();
          resolve(req.result);
        };
        tx.onerror = () => {
          db.close();
          reject(new Error(`indexeddb://: ${tx.error?.message ?? 'transaction failed'}`));
        };
      }),
  );
}

/** The files of another format (.keras, .json + shard, .onnx), stored as one record. */
export interface StoredFiles {
  format: string;
  files: { name: string; bytes: Uint8Array }[];
}

/** Stores artifacts or a format's files under a name. `await saveToIndexedDB('my-model', artifacts)` */
export async function saveToIndexedDB(name: string, value: ModelArtifacts | StoredFiles): Promise<void> {
  await run('readwrite', (s) => s.put(value, name));
}

/** Reads what is stored under a name; a clear error when there is nothing. `await loadFromIndexedDB('my-model')` */
export async function loadFromIndexedDB(name: string): Promise<ModelArtifacts | StoredFiles> {
  const found = await run<unknown>('readonly', (s) => s.get(name));
  if (found === undefined) throw new Error(`indexeddb://${name}: no model saved under this name`);
  return found as ModelArtifacts | StoredFiles;
}
