// One-file container for in-memory model artifacts: a JSON header, then the binary parts, no base64.
const MAGIC = 0x4d4c4457; // 'WDLM' little-endian
const VERSION = 1;

const TYPED = {
  Float32Array,
  Int32Array,
  Uint8Array,
  Uint16Array,
  Int16Array,
  Int8Array,
  Uint32Array,
  Float64Array,
} as const;
type TypedName = keyof typeof TYPED;

interface BinaryRef {
  $binary: number;
  type: 'ArrayBuffer' | TypedName;
}

function isBinaryRef(v: unknown): v is BinaryRef {
  return typeof v === 'object' && v !== null && typeof (v as BinaryRef).$binary === 'number';
}

/**
 * Packs any JSON-like value holding ArrayBuffers or typed arrays (what `model.save()` returns)
 * into one ArrayBuffer.
 *
 * ```ts
 * const bytes = packArtifacts(await model.save());
 * const model2 = await loadModel(unpackArtifacts(bytes));
 * ```
 */
export function packArtifacts(artifacts: unknown): ArrayBuffer {
  const parts: Uint8Array[] = [];
  const header = JSON.stringify(artifacts, (_key, value: unknown) => {
    if (value instanceof ArrayBuffer) {
      parts.push(new Uint8Array(value));
      return { $binary: parts.length - 1, type: 'ArrayBuffer' } satisfies BinaryRef;
    }
    if (ArrayBuffer.isView(value)) {
      const type = value.constructor.name as TypedName;
      if (!(type in TYPED)) throw new Error(`packArtifacts: cannot store a ${type}`);
      parts.push(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
      return { $binary: parts.length - 1, type } satisfies BinaryRef;
    }
    return value;
  });
  const headerBytes = new TextEncoder().encode(
    JSON.stringify({ artifacts: JSON.parse(header) as unknown, sizes: parts.map((p) => p.byteLength) }),
  );
  // Every part starts 8-byte aligned so it can be viewed as any typed array in place.
  const align = (n: number): number => Math.ceil(n / 8) * 8;
  let total = align(12 + headerBytes.byteLength);
  const offsets = parts.map((p) => {
    const at = total;
    total = align(total + p.byteLength);
    return at;
  });
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, VERSION, true);
  view.setUint32(8, headerBytes.byteLength, true);
  out.set(headerBytes, 12);
  parts.forEach((p, i) => out.set(p, offsets[i]));
  return out.buffer;
}

/** Reverses packArtifacts; throws a clear error for files that are not playground models. */
export function unpackArtifacts(bytes: ArrayBuffer): unknown {
  const view = new DataView(bytes);
  if (bytes.byteLength < 12 || view.getUint32(0, true) !== MAGIC) {
    throw new Error('not a webdl playground model file (bad magic number)');
  }
  if (view.getUint32(4, true) !== VERSION)
    throw new Error(`unsupported model file version ${view.getUint32(4, true)}`);
  const headerLength = view.getUint32(8, true);
  const { artifacts, sizes } = JSON.parse(
    new TextDecoder().decode(new Uint8Array(bytes, 12, headerLength)),
  ) as {
    artifacts: unknown;
    sizes: number[];
  };
  const align = (n: number): number => Math.ceil(n / 8) * 8;
  let at = align(12 + headerLength);
  const buffers = sizes.map((size) => {
    const part = bytes.slice(at, at + size);
    at = align(at + size);
    return part;
  });
  const revive = (value: unknown): unknown => {
    if (isBinaryRef(value)) {
      const buffer = buffers[value.$binary];
      return value.type === 'ArrayBuffer' ? buffer : new TYPED[value.type](buffer);
    }
    if (Array.isArray(value)) return value.map(revive);
    if (typeof value === 'object' && value !== null) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, revive(v)]));
    }
    return value;
  };
  return revive(artifacts);
}
