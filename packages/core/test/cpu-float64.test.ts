// The CPU reference with float64 storage ({ float64: true }): float32 tensors computed end to end in float64.
import { CpuBackend, ENGINE, add, conv2d, sub, sum, tensor, tidy } from '@webdl/core';
import { describe, expect, it } from 'vitest';

ENGINE.registerBackend('cpu64-test', () => new CpuBackend({ float64: true }), 0);

describe('CpuBackend({ float64: true })', () => {
  it('keeps what float32 storage rounds away (elementwise, reductions, convolutions)', async () => {
    const run = async (backend: string) => {
      await ENGINE.setBackend(backend);
      const [a, b, c] = tidy(() => {
        const x = tensor([1, 2, 3, 4]);
        // 2^-30 vanishes next to 1 in float32 (24-bit significand), not in float64.
        const tiny = add(x, 2 ** -30);
        const img = add(tensor([1, 1, 1, 1], [1, 2, 2, 1]), 2 ** -30);
        const y = conv2d(img, tensor([1, 1, 1, 1], [2, 2, 1, 1]));
        return [sub(tiny, x), sum(sub(tiny, x)), sub(y, 4)];
      });
      const out = [Array.from(await a.data()), Array.from(await b.data()), Array.from(await c.data())];
      a.dispose();
      b.dispose();
      c.dispose();
      return out;
    };
    expect(await run('cpu64-test')).toEqual([
      [2 ** -30, 2 ** -30, 2 ** -30, 2 ** -30],
      [2 ** -28],
      [2 ** -28],
    ]);
    expect(await run('cpu')).toEqual([[0, 0, 0, 0], [0], [0]]);
  });
});
