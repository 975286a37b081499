// The HDF5 guard: byte overwrites that made h5wasm's HDF5 loop forever (found by a byte-by-byte search of
// the legacy .h5 fixture) are refused with an Error before h5wasm sees them, and the fixture still loads.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as dl from '@webdl/core';
import { loadModel } from '@webdl/layers';
import { describe, expect, it } from 'vitest';
import { checkH5Heaps } from '../src/io/h5-guard.js';

const h5 = new Uint8Array(
  readFileSync(fileURLToPath(new URL('./fixtures/keras/dense_seq_legacy.h5', import.meta.url))),
);
// [offset, byte]: object sizes and indices in the fixture's global heap collection (at byte 2048).
const HANGS: [number, number][] = [
  [5296, 0xff],
  [5352, 0xff],
  [5408, 0xff],
  [5464, 0xff],
  [5504, 0xff],
  [2088, 0],
  [4800, 0],
  [5536, 0],
  [5537, 0],
];
const mutated = ([at, v]: [number, number]) => {
  const b = h5.slice();
  b[at] = v;
  return b;
};

describe('HDF5 heap guard', () => {
  it('passes the valid fixture, which loads', async () => {
    expect(() => checkH5Heaps(h5, 'model.h5')).not.toThrow();
    await dl.setBackend('cpu');
    const m = await loadModel(h5);
    expect(m.layers.length).toBeGreaterThan(0);
    m.dispose();
  });

  it.each(HANGS)('refuses byte %i set to %i (HDF5 would spin forever)', async (at, v) => {
    const bytes = mutated([at, v]);
    expect(() => checkH5Heaps(bytes, 'model.h5')).toThrow(
      /model\.h5 is not a readable HDF5 file: the global heap collection at byte 2048 (has a free-space entry of size 0|has an object of \d+ bytes at byte \d+ overrunning)/,
    );
    const t0 = performance.now();
    await expect(loadModel(bytes)).rejects.toThrow(/global heap collection/);
    expect(performance.now() - t0).toBeLessThan(2000);
  });

  it('refuses a collection claiming more bytes than the file has', () => {
    const b = h5.slice();
    new DataView(b.buffer).setUint32(2048 + 8, 1 << 30, true);
    expect(() => checkH5Heaps(b, 'w.h5')).toThrow(
      /claims 1073741824 bytes, past the end of the 24056-byte file/,
    );
  });
});
