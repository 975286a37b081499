// Node's file system for save and load, imported only when used so that browser bundles never include it.

/** Whether this runs in Node (files are reachable). */
export function isNode(): boolean {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof p?.versions?.node === 'string';
}

/** The part of Node's fs/promises that save and load use (typed here so browser builds need no Node types). */
export interface NodeFs {
  mkdir(path: string, options: { recursive: boolean }): Promise<unknown>;
  writeFile(path: string, data: Uint8Array | string): Promise<void>;
  readFile(path: string): Promise<Uint8Array>;
  readFile(path: string, encoding: 'utf8'): Promise<string>;
  stat(path: string): Promise<{ isFile(): boolean }>;
}

/** Node's fs/promises, imported only when needed so browser bundles never include it. */
export async function nodeFs(): Promise<NodeFs> {
  const name = 'node:fs/promises';
  return (await import(/* @vite-ignore */ name)) as NodeFs;
}
