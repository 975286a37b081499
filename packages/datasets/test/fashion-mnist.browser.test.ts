// In headless Chromium: fashionMnist.load fetches the package's asset on first use (nothing bundled) and gives the same images as Node.
import { setBackend } from '@webdl/core';
import { expect, it } from 'vitest';
import { fashionMnist } from '../src/index.js';

it('fetches the asset lazily and decodes the same first training images and labels as in Node', async () => {
  await setBackend('cpu');
  const fetched: string[] = [];
  const realFetch = globalThis.fetch;
  globalThis.fetch = (input, init) => {
    fetched.push(String(input));
    return realFetch(input, init);
  };
  try {
    const { train, test } = await fashionMnist.load();
    expect(fetched).toHaveLength(1);
    expect(fetched[0]).toMatch(/assets\/fashion-mnist\.bin\.gz$/);
    expect(train.x.shape).toEqual([8000, 28, 28]);
    expect(test.y.shape).toEqual([2000]);
    const px = await train.x.slice([0, 0, 0], [3, 28, 28]).data();
    let h = 0x811c9dc5;
    for (const v of px) h = Math.imul(h ^ Math.round(v * 255), 0x01000193) >>> 0;
    expect(h.toString(16)).toBe('4a220c92');
    expect(Array.from(await train.y.slice([0], [10]).data())).toEqual([5, 3, 1, 1, 2, 2, 1, 2, 9, 0]);
    for (const t of [train.x, train.y, test.x, test.y]) t.dispose();
  } finally {
    globalThis.fetch = realFetch;
  }
});
