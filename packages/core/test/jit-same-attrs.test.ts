// sameAttrs, the shadow run's check of a primitive's attrs against its traced node: equal plain
// data matches, any difference (a key, an array element, an array vs typed array) diverges, and
// dynamic attrs (a seed) are skipped.
import { describe, expect, it } from 'vitest';
import { sameAttrs } from '../src/jit/graph.js';

describe('sameAttrs', () => {
  it('matches equal plain data and rejects every difference', () => {
    expect(sameAttrs({ axis: [0, 2], keepDims: false }, { axis: [0, 2], keepDims: false })).toBe(true);
    expect(sameAttrs({}, {})).toBe(true);
    expect(sameAttrs({ alpha: NaN }, { alpha: NaN })).toBe(true);
    expect(sameAttrs({ shape: [[1, 2]] }, { shape: [[1, 2]] })).toBe(true);
    expect(sameAttrs({ axis: [0, 2] }, { axis: [0, 3] })).toBe(false);
    expect(sameAttrs({ axis: [0, 2] }, { axis: [0, 2, 1] })).toBe(false);
    expect(sameAttrs({ a: 1 }, { b: 1 })).toBe(false);
    expect(sameAttrs({ a: 1 }, { a: 1, b: undefined })).toBe(false);
    expect(sameAttrs({ a: [1] }, { a: Int32Array.of(1) })).toBe(false);
    expect(sameAttrs({ a: Int32Array.of(1, 2) }, { a: Int32Array.of(1, 2) })).toBe(true);
    expect(sameAttrs({ a: 'x' }, { a: 'y' })).toBe(false);
    expect(sameAttrs({ a: 0 }, { a: -0 })).toBe(false);
  });

  it('skips the dynamic attrs', () => {
    expect(sameAttrs({ seed: 1, rate: 0.5 }, { seed: 2, rate: 0.5 }, ['seed'])).toBe(true);
    expect(sameAttrs({ seed: 1, rate: 0.5 }, { seed: 2, rate: 0.4 }, ['seed'])).toBe(false);
  });
});
