// The hostile-file mutator: seeded byte flips, truncation, header-length and HDF5 size lies, huge shapes,
// deep JSON nesting, __proto__ keys, unknown classes, Lambda layers and zip bombs over valid model files.
import { unzipSync, zipSync } from 'fflate';

/** mulberry32. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type R = () => number;
const int = (r: R, n: number) => Math.floor(r() * n);

/** Byte-level mutations of any binary file. */
export function mutateBytes(r: R, bytes: Uint8Array): [string, Uint8Array] {
  const out = bytes.slice();
  switch (int(r, 5)) {
    case 0: {
      const n = 1 + int(r, 8);
      for (let i = 0; i < n; i++) out[int(r, out.length)] ^= 1 << int(r, 8);
      return [`flip ${n} bits`, out];
    }
    case 1: {
      const cut = int(r, bytes.length);
      return [`truncate to ${cut}`, bytes.slice(0, cut)];
    }
    case 2: {
      const at = int(r, out.length);
      out.fill(r() < 0.5 ? 0 : 0xff, at, at + 1 + int(r, 64));
      return [`overwrite at ${at}`, out];
    }
    case 3: {
      // A length or count field lie: the first 8 bytes (safetensors' header length, zip signatures).
      const view = new DataView(out.buffer);
      const lie = [0, 1, 0x7fffffff, 0xffffffff, bytes.length * 2][int(r, 5)];
      view.setUint32(0, lie, true);
      return [`header length ${lie}`, out];
    }
    default: {
      const at = int(r, bytes.length);
      return [
        `duplicate tail at ${at}`,
        Uint8Array.from([...bytes.subarray(0, at), ...bytes.subarray(at - Math.min(at, 200))]),
      ];
    }
  }
}

/**
 * Mutations of an HDF5 file: the byte-level ones, or a size lie (0, 1, 2^31 - 1, 2^32 - 1, 2^53 - 1 or
 * twice the file) written over a random 4- or 8-byte field, where HDF5 keeps its offsets and lengths.
 */
export function mutateH5(r: R, bytes: Uint8Array): [string, Uint8Array] {
  if (r() < 0.5) return mutateBytes(r, bytes);
  const out = bytes.slice();
  const view = new DataView(out.buffer);
  const lie = [0, 1, 2 ** 31 - 1, 2 ** 32 - 1, 2 ** 53 - 1, bytes.length * 2][int(r, 6)];
  if (r() < 0.5) {
    const at = int(r, out.length - 8);
    view.setBigUint64(at, BigInt(lie), true);
    return [`size lie ${lie} (8 bytes) at ${at}`, out];
  }
  const at = int(r, out.length - 4);
  view.setUint32(at, Math.min(lie, 2 ** 32 - 1), true);
  return [`size lie ${Math.min(lie, 2 ** 32 - 1)} (4 bytes) at ${at}`, out];
}

/** Structural mutations of a JSON document (a model config or topology). */
export function mutateJson(r: R, json: string): [string, string] {
  const doc = JSON.parse(json) as unknown;
  const nodes: { parent: Record<string, unknown> | unknown[]; key: string | number }[] = [];
  const walk = (v: unknown) => {
    if (v === null || typeof v !== 'object') return;
    for (const [k, c] of Object.entries(v)) {
      nodes.push({ parent: v as Record<string, unknown>, key: Array.isArray(v) ? Number(k) : k });
      walk(c);
    }
  };
  walk(doc);
  const at = nodes[int(r, nodes.length)];
  const set = (value: unknown) => ((at.parent as Record<string | number, unknown>)[at.key] = value);
  switch (int(r, 8)) {
    case 0:
      set([1e9, 1e9, 1e9]);
      return [`huge shape at ${String(at.key)}`, JSON.stringify(doc)];
    case 1:
      set(2 ** 31);
      return [`2^31 at ${String(at.key)}`, JSON.stringify(doc)];
    case 2:
      return [
        'Lambda layer',
        json.replace(
          /"class_?[nN]ame":\s*"(Dense|InputLayer)"/,
          '"class_name":"Lambda","className":"Lambda"',
        ),
      ];
    case 3:
      return ['unknown class', json.replace(/"(Dense|InputLayer)"/, '"EvilLayer"')];
    case 4:
      // JSON.parse makes __proto__ an own key: harmless unless code merges it into an object.
      return [
        '__proto__ keys',
        json.replace(/\{/g, () =>
          r() < 0.3 ? '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},' : '{',
        ),
      ];
    case 5: {
      // Spliced in as text: building it as a value would overflow JSON.stringify's own recursion.
      const depth = 2000 + int(r, 8000);
      set('@@NEST@@');
      return [
        `nesting ${depth}`,
        JSON.stringify(doc).replace('"@@NEST@@"', '['.repeat(depth) + ']'.repeat(depth)),
      ];
    }
    case 6:
      set(r() < 0.5 ? 'not a number' : null);
      return [`wrong type at ${String(at.key)}`, JSON.stringify(doc)];
    default:
      set(-1 - int(r, 5));
      return [`negative at ${String(at.key)}`, JSON.stringify(doc)];
  }
}

let bomb: Uint8Array | undefined;

/** A .keras (zip) with one entry mutated (its JSON structurally, or its bytes), or a zip bomb. */
export function mutateKeras(r: R, file: Uint8Array): [string, Uint8Array] {
  const entries = unzipSync(file);
  const names = Object.keys(entries);
  if (r() < 0.05) {
    // A zip bomb: a weights entry of 64 MiB of zeros, compressed to a few tens of KiB (made once).
    bomb ??= zipSync({ ...entries, 'model.weights.h5': new Uint8Array(64 << 20) }, { level: 9 });
    return [`zip bomb (${bomb.length} bytes)`, bomb];
  }
  const name = names[int(r, names.length)];
  if (name.endsWith('.json')) {
    const [what, text] = mutateJson(r, new TextDecoder().decode(entries[name]));
    return [
      `${name}: ${what}`,
      zipSync({ ...entries, [name]: new TextEncoder().encode(text) }, { level: 0 }),
    ];
  }
  const [what, bytes] = name.endsWith('.h5') ? mutateH5(r, entries[name]) : mutateBytes(r, entries[name]);
  return [`${name}: ${what}`, zipSync({ ...entries, [name]: bytes }, { level: 0 })];
}
