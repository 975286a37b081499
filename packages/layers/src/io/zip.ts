// Zip archives in memory through fflate, with bounds on what an archive may claim.
import { unzipSync, zipSync } from 'fflate';

/** Limits on reading an archive: no entry may expand past these. */
export interface ZipLimits {
  /** Largest uncompressed entry, bytes (default 2 GiB). */
  maxEntryBytes?: number;
  /** Largest uncompressed/compressed ratio for entries above 1 MiB (default 200; Keras stores entries, ratio 1). */
  maxRatio?: number;
}

/**
 * Reads the named entries of a zip archive (others are skipped without being inflated). Sizes are
 * checked against the limits from the central directory before anything is decompressed.
 *
 * ```ts
 * const entries = await readZip(bytes, ['config.json'], 'model.keras');
 * ```
 */
export async function readZip(
  bytes: Uint8Array,
  wanted: string[],
  where: string,
  limits: ZipLimits = {},
): Promise<Map<string, Uint8Array>> {
  const maxEntry = limits.maxEntryBytes ?? 2 ** 31;
  const maxRatio = limits.maxRatio ?? 200;
  const names: string[] = [];
  let out: Record<string, Uint8Array>;
  try {
    out = unzipSync(bytes, {
      filter(file) {
        names.push(file.name);
        if (!wanted.includes(file.name)) return false;
        if (file.originalSize > maxEntry) {
          throw new Error(
            `${where}: entry '${file.name}' claims ${file.originalSize} bytes uncompressed, over the ${maxEntry}-byte limit`,
          );
        }
        const ratio = file.originalSize / Math.max(1, file.size);
        if (file.originalSize > 2 ** 20 && ratio > maxRatio) {
          throw new Error(
            `${where}: entry '${file.name}' would expand ${Math.round(ratio)}x (${file.size} -> ${file.originalSize} bytes), over the ${maxRatio}x limit: refusing a possible zip bomb`,
          );
        }
        return true;
      },
    });
  } catch (e) {
    const msg = (e as Error).message;
    if (msg.startsWith(where)) throw e;
    throw new Error(`${where} is not a readable zip archive (truncated or corrupt: ${msg})`);
  }
  const result = new Map<string, Uint8Array>();
  for (const name of wanted) {
    if (!Object.prototype.hasOwnProperty.call(out, name)) continue;
    result.set(name, out[name]);
  }
  return result;
}

/**
 * Writes a zip archive with stored (uncompressed) entries, as Keras writes .keras files.
 *
 * ```ts
 * const zip = await writeZip({ 'config.json': new TextEncoder().encode('{}') });
 * ```
 */
export async function writeZip(entries: Record<string, Uint8Array>): Promise<Uint8Array> {
  return zipSync(entries, { level: 0, mtime: new Date('2000-01-01T00:00:00Z') });
}
