// Reads a data asset: from disk in Node (a file: URL beside the package's code), else with fetch; gunzips when gzipped.

const isNode =
  typeof (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node === 'string';

async function gunzip(bytes: Uint8Array): Promise<Uint8Array> {
  // Servers may already have removed the gzip layer (Content-Encoding): only decompress a gzip stream.
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/**
 * The bytes of an asset (gunzipped): Node reads file: URLs from disk, everything else is fetched.
 *
 * ```ts
 * const bytes = await readAsset(new URL('../assets/mnist.bin.gz', import.meta.url));
 * ```
 */
export async function readAsset(url: string | URL): Promise<Uint8Array> {
  const href = String(url);
  if (isNode && href.startsWith('file:')) {
    // A variable specifier keeps browser bundlers from resolving the Node module.
    const fsName = 'node:fs/promises';
    const fs = (await import(/* @vite-ignore */ fsName)) as { readFile(u: URL): Promise<Uint8Array> };
    try {
      return await gunzip(new Uint8Array(await fs.readFile(new URL(href))));
    } catch (e) {
      throw new Error(`datasets: could not read ${href}: ${(e as Error).message}`);
    }
  }
  const res = await fetch(href);
  if (!res.ok) throw new Error(`datasets: could not fetch ${href}: HTTP ${res.status} ${res.statusText}`);
  return gunzip(new Uint8Array(await res.arrayBuffer()));
}
