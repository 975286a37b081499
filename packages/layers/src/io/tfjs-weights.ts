// TF.js weight manifests: decoding float32/int32/bool and quantized uint8/uint16/float16 weights, checked against the bytes present.

/** One weight of a TF.js weightsManifest group. */
export interface ManifestEntry {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: { dtype: string; scale?: number; min?: number; original_dtype?: string };
}

const STORED_BYTES: Record<string, number> = {
  float32: 4,
  int32: 4,
  bool: 1,
  uint8: 1,
  uint16: 2,
  float16: 2,
};

/** IEEE half-precision bits to a number. */
function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024);
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}

/**
 * Decodes one manifest weight starting at `offset` of the concatenated shards; returns its values
 * and how many bytes it used. Throws when the entry is malformed or its bytes are not all there.
 *
 * ```ts
 * const { values, bytes } = decodeWeight({ name: 'w', shape: [2], dtype: 'float32' }, data, 0, 'model.json');
 * ```
 */
export function decodeWeight(
  e: ManifestEntry,
  data: Uint8Array,
  offset: number,
  where: string,
): { values: Float32Array | Int32Array; bytes: number } {
  if (typeof e !== 'object' || e === null || typeof e.name !== 'string')
    throw new Error(`${where}: an entry has no name`);
  const here = `${where} '${e.name}'`;
  if (!Array.isArray(e.shape) || !e.shape.every((d) => Number.isInteger(d) && d >= 0))
    throw new Error(`${here}: invalid shape ${JSON.stringify(e.shape)}`);
  const q = e.quantization;
  const stored = q ? q.dtype : e.dtype;
  const size = e.shape.reduce((a, b) => a * b, 1);
  const per = STORED_BYTES[stored];
  if (
    per === undefined ||
    (q && !['uint8', 'uint16', 'float16'].includes(stored)) ||
    (!q && per < 4 && stored !== 'bool')
  )
    throw new Error(
      `${here}: unsupported dtype '${stored}' (float32, int32, bool; quantized uint8, uint16, float16)`,
    );
  const bytes = size * per;
  if (offset + bytes > data.byteLength)
    throw new Error(
      `${here} of shape [${e.shape}] needs ${bytes} bytes at offset ${offset} but the weight data has only ${data.byteLength}: truncated or missing shard`,
    );
  const raw = data.slice(offset, offset + bytes);
  const view = new DataView(raw.buffer);
  if (!q) {
    if (stored === 'float32') return { values: new Float32Array(raw.buffer), bytes };
    if (stored === 'int32') return { values: new Int32Array(raw.buffer), bytes };
    return { values: Int32Array.from(raw), bytes };
  }
  const out = new Float32Array(size);
  if (stored === 'float16') {
    for (let i = 0; i < size; i++) out[i] = halfToFloat(view.getUint16(2 * i, true));
  } else {
    const { scale, min } = q;
    if (typeof scale !== 'number' || typeof min !== 'number')
      throw new Error(`${here}: ${stored} quantization needs numeric scale and min`);
    for (let i = 0; i < size; i++)
      out[i] = (stored === 'uint8' ? raw[i] : view.getUint16(2 * i, true)) * scale + min;
  }
  if ((q.original_dtype ?? e.dtype) === 'int32') return { values: Int32Array.from(out, Math.round), bytes };
  return { values: out, bytes };
}
