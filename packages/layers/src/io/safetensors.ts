// The safetensors layout: 8-byte little-endian header length, a JSON header of {name: {dtype, shape, data_offsets}}, then raw data.
import type { DType, TypedArray } from '@webdl/core';

/** One named tensor's values. */
export interface NamedArray {
  name: string;
  shape: number[];
  dtype: DType;
  data: TypedArray;
}

const TO_ST: Record<DType, string> = { float32: 'F32', int32: 'I32', bool: 'BOOL' };
const FROM_ST: Record<string, DType> = { F32: 'float32', I32: 'int32', BOOL: 'bool' };
const BYTES: Record<DType, number> = { float32: 4, int32: 4, bool: 1 };

/**
 * Packs tensors into one safetensors buffer (names must be unique).
 *
 * ```ts
 * const buf = encodeSafetensors([{ name: 'w', shape: [2], dtype: 'float32', data: new Float32Array([1, 2]) }]);
 * ```
 */
export function encodeSafetensors(arrays: NamedArray[], metadata: Record<string, string> = {}): ArrayBuffer {
  const header: Record<string, unknown> = { __metadata__: metadata };
  let offset = 0;
  for (const a of arrays) {
    if (a.name in header) throw new Error(`safetensors: duplicate tensor name '${a.name}'`);
    const bytes = a.data.length * BYTES[a.dtype];
    header[a.name] = { dtype: TO_ST[a.dtype], shape: a.shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  // Pad the header with spaces so the data starts 8-byte aligned, as the reference writer does.
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - ((8 + new TextEncoder().encode(json).length) % 8)) % 8);
  const headerBytes = new TextEncoder().encode(json);
  const out = new ArrayBuffer(8 + headerBytes.length + offset);
  const view = new DataView(out);
  view.setUint32(0, headerBytes.length, true);
  view.setUint32(4, 0, true);
  new Uint8Array(out, 8, headerBytes.length).set(headerBytes);
  let pos = 8 + headerBytes.length;
  for (const a of arrays) {
    const src = new Uint8Array(a.data.buffer, a.data.byteOffset, a.data.byteLength);
    new Uint8Array(out, pos, src.length).set(src);
    pos += src.length;
  }
  return out;
}

/**
 * Reads a safetensors buffer, checking every length and offset; throws an error that says what is
 * wrong (truncated file, bad header, unknown dtype, size mismatch). Returns tensors in data order.
 *
 * ```ts
 * const { arrays } = decodeSafetensors(bytes);
 * ```
 */
export function decodeSafetensors(buffer: ArrayBuffer | Uint8Array): {
  arrays: NamedArray[];
  metadata: Record<string, string>;
} {
  const bytes = buffer instanceof Uint8Array ? buffer : new Uint8Array(buffer);
  if (bytes.byteLength < 8)
    throw new Error(
      `safetensors: the weight data is truncated (${bytes.byteLength} bytes, fewer than the 8-byte header length)`,
    );
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = view.getUint32(0, true) + view.getUint32(4, true) * 2 ** 32;
  if (8 + n > bytes.byteLength) {
    throw new Error(
      `safetensors: the weight data is truncated: the header says ${n} header bytes but only ${bytes.byteLength - 8} follow`,
    );
  }
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
  } catch (e) {
    throw new Error(`safetensors: the header is not valid JSON (${(e as Error).message})`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header))
    throw new Error('safetensors: the header is not a JSON object');
  const dataStart = 8 + n;
  const dataLength = bytes.byteLength - dataStart;
  const arrays: (NamedArray & { begin: number })[] = [];
  let metadata: Record<string, string> = {};
  for (const [name, entry] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      metadata = (entry ?? {}) as Record<string, string>;
      continue;
    }
    if (typeof entry !== 'object' || entry === null)
      throw new Error(`safetensors: entry '${name}' is not an object`);
    const {
      dtype: st,
      shape,
      data_offsets: offsets,
    } = entry as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    const dtype = typeof st === 'string' ? FROM_ST[st] : undefined;
    if (!dtype)
      throw new Error(
        `safetensors: tensor '${name}' has unsupported dtype ${JSON.stringify(st)} (supported: F32, I32, BOOL)`,
      );
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
      throw new Error(`safetensors: tensor '${name}' has an invalid shape ${JSON.stringify(shape)}`);
    }
    if (
      !Array.isArray(offsets) ||
      offsets.length !== 2 ||
      !offsets.every((o) => Number.isInteger(o) && o >= 0) ||
      offsets[1] < offsets[0]
    ) {
      throw new Error(`safetensors: tensor '${name}' has invalid data_offsets ${JSON.stringify(offsets)}`);
    }
    const [begin, end] = offsets as [number, number];
    const size = (shape as number[]).reduce((a, b) => a * b, 1);
    if (end - begin !== size * BYTES[dtype]) {
      throw new Error(
        `safetensors: tensor '${name}' of shape [${shape}] needs ${size * BYTES[dtype]} bytes but its offsets span ${end - begin}`,
      );
    }
    if (end > dataLength) {
      throw new Error(
        `safetensors: the weight data is truncated: tensor '${name}' ends at byte ${end} but the data has only ${dataLength} bytes`,
      );
    }
    const raw = bytes.slice(dataStart + begin, dataStart + end); // a copy, aligned for typed arrays
    const data =
      dtype === 'float32'
        ? new Float32Array(raw.buffer)
        : dtype === 'int32'
          ? new Int32Array(raw.buffer)
          : new Uint8Array(raw.buffer);
    arrays.push({ name, shape: shape as number[], dtype, data, begin });
  }
  arrays.sort((a, b) => a.begin - b.begin);
  return { arrays: arrays.map(({ name, shape, dtype, data }) => ({ name, shape, dtype, data })), metadata };
}
