// A structural check of HDF5 bytes before h5wasm sees them: the global heap collections that HDF5
// walks without a bound (a hostile object size there makes its synchronous loop spin forever).

const SIGNATURE = [0x47, 0x43, 0x4f, 0x4c]; // 'GCOL'
const HEADER = 16; // signature, version, 3 reserved bytes, 8-byte collection size
const OBJECT_HEADER = 16; // index (2), reference count (2), reserved (4), object size (8)

const u64 = (view: DataView, at: number) => Number(view.getBigUint64(at, true));

/**
 * Walks every global heap collection ('GCOL', where variable-length strings such as Keras's
 * `weight_names` live) the way HDF5's reader does, and throws where HDF5 would not terminate or
 * would read outside the collection: a collection running past the end of the file, an object
 * overrunning its collection, or a free-space entry of size 0 (HDF5 steps by that size: size 0 never
 * advances); and a variable-length value whose length exceeds its heap object (HDF5 allocates that
 * length first: gigabytes, seconds). Bytes that are not HDF5 pass untouched (h5wasm refuses them
 * itself). Work is linear in the file size.
 *
 * ```ts
 * checkH5Heaps(bytes, 'model.h5'); // throws on a hostile file
 * ```
 */
export function checkH5Heaps(bytes: Uint8Array, where: string): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const refuse = (at: number, why: string) => {
    throw new Error(`${where} is not a readable HDF5 file: the global heap collection at byte ${at} ${why}`);
  };
  const collections = new Map<number, Map<number, number>>();
  for (
    let g = bytes.indexOf(SIGNATURE[0]);
    g >= 0 && g + HEADER <= bytes.length;
    g = bytes.indexOf(SIGNATURE[0], g + 1)
  ) {
    if (bytes[g + 1] !== SIGNATURE[1] || bytes[g + 2] !== SIGNATURE[2] || bytes[g + 3] !== SIGNATURE[3])
      continue;
    // Only version 1 exists; HDF5 refuses any other version before walking.
    if (bytes[g + 4] !== 1) continue;
    const size = u64(view, g + 8);
    if (size < HEADER || g + size > bytes.length)
      refuse(g, `claims ${size} bytes, past the end of the ${bytes.length}-byte file`);
    const end = g + size;
    const objects = new Map<number, number>();
    collections.set(g, objects);
    for (let p = g + HEADER; p < end;) {
      if (p + OBJECT_HEADER > end) break; // a tail too small for an object is free space
      const index = view.getUint16(p, true);
      const objectSize = u64(view, p + 8);
      const need = index > 0 ? OBJECT_HEADER + Math.ceil(objectSize / 8) * 8 : objectSize;
      if (need === 0) refuse(g, `has a free-space entry of size 0 at byte ${p}`);
      if (p + need > end)
        refuse(g, `has an object of ${objectSize} bytes at byte ${p} overrunning the collection`);
      if (index > 0) objects.set(index, objectSize);
      p += need;
    }
  }
  for (const [g, objects] of collections) checkReferences(bytes, view, g, objects, where);
}

/**
 * Variable-length values point into a collection as [length u32][collection address u64][index u32];
 * HDF5 allocates `length` elements before reading the object, so a lying length costs gigabytes.
 * Every such reference to a known object of collection `g` must fit that object.
 */
function checkReferences(
  bytes: Uint8Array,
  view: DataView,
  g: number,
  objects: Map<number, number>,
  where: string,
): void {
  const address = new Uint8Array(8);
  new DataView(address.buffer).setBigUint64(0, BigInt(g), true);
  // Search on the address's first non-zero byte, then compare all eight.
  const k = address.findIndex((b) => b !== 0);
  for (let q = bytes.indexOf(address[k], 4 + k); q >= 0; q = bytes.indexOf(address[k], q + 1)) {
    const at = q - k;
    if (at + 12 > bytes.length) break;
    if (!address.every((b, i) => bytes[at + i] === b)) continue;
    const size = objects.get(view.getUint32(at + 8, true));
    const length = view.getUint32(at - 4, true);
    if (size !== undefined && length > size)
      throw new Error(
        `${where} is not a readable HDF5 file: a variable-length value at byte ${at - 4} claims ${length} elements but its heap object holds ${size} bytes`,
      );
  }
}
