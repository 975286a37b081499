// The image primitives and CPU image kernels load on first use (an image op, runPrimitive or listPrimitives), so apps
// without image ops do not bundle them; before that the CPU backend's image kernel says they are not loaded.
import { describe, expect, it, vi } from 'vitest';

const kernel = {
  op: 'resize' as const,
  method: 'nearest' as const,
  alignCorners: false,
  halfPixelCenters: false,
  batch: 1,
  inHeight: 1,
  inWidth: 2,
  channels: 1,
  outHeight: 1,
  outWidth: 4,
};

describe('image primitives load on first use', () => {
  it('CpuBackend.image refuses before loading, then resizes; the registry lists them', async () => {
    vi.resetModules();
    const { CpuBackend } = await import('../src/cpu/backend.js');
    const b = new CpuBackend();
    const x = {
      dataId: b.write(new Float32Array([3, 5]), 'float32'),
      shape: [1, 1, 2, 1],
      dtype: 'float32' as const,
    };
    expect(() => b.image(kernel, [x], 'float32')).toThrow(
      /^CpuBackend\.image: the image kernels are not loaded \(image ops load them\)$/,
    );
    const { listPrimitives, loadImagePrimitives } = await import('../src/primitives/public.js');
    loadImagePrimitives();
    expect(Array.from(b.readSync(b.image(kernel, [x], 'float32'), 'float32', 4))).toEqual([3, 3, 5, 5]);
    expect(listPrimitives().filter((p) => p.name.startsWith('image.')).length).toBe(7);
  });

  it('an image op loads them by itself (a fresh module graph, no listPrimitives first)', async () => {
    vi.resetModules();
    const dl = await import('../src/index.js');
    await dl.setBackend('cpu');
    const y = dl.image.resizeNearestNeighbor(dl.tensor([3, 5], [1, 1, 2, 1]), [1, 4]);
    expect(Array.from(await y.data())).toEqual([3, 3, 5, 5]);
    y.dispose();
  });
});
