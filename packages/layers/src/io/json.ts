// JSON from files, parsed so that no key can reach an object's prototype ('__proto__', 'constructor', 'prototype' are refused).
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Parses JSON text from a file, refusing prototype-polluting keys; errors name the file.
 *
 * ```ts
 * const config = parseJson(text, 'model.keras/config.json');
 * ```
 */
export function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text, (key: string, value: unknown) => {
      if (FORBIDDEN.has(key)) throw new Error(`${where}: the key '${key}' is not allowed in a model file`);
      return value;
    });
  } catch (e) {
    const msg = (e as Error).message;
    if (msg.startsWith(where)) throw e;
    throw new Error(`${where} is not valid JSON (${msg}); the file may be truncated`);
  }
}

/** parseJson over UTF-8 bytes. `parseJsonBytes(bytes, 'config.json')` */
export function parseJsonBytes(bytes: Uint8Array, where: string): unknown {
  return parseJson(new TextDecoder().decode(bytes), where);
}
