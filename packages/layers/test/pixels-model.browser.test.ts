// The README's pixels example in headless Chromium: fromPixels -> image.resizeBilinear -> model -> toPixels into a canvas, on webgpu and cpu.
import { registerWebGPU } from '@webdl/webgpu';
import { browser, image, setBackend, type Tensor } from '@webdl/core';
import { expect, it } from 'vitest';
import { Sequential, layers } from '../src/index.js';

registerWebGPU();

for (const backend of ['webgpu', 'cpu']) {
  it(`fromPixels -> model -> toPixels on ${backend}`, async () => {
    await setBackend(backend);
    const source = new OffscreenCanvas(64, 48);
    const g = source.getContext('2d')!;
    g.fillStyle = 'rgb(255, 0, 0)';
    g.fillRect(0, 0, 64, 48);
    g.fillStyle = 'rgb(0, 0, 255)';
    g.fillRect(32, 0, 32, 48);
    // A 1x1 convolution as the "model": its output is the red channel, so the result is known exactly.
    const model = new Sequential([new layers.Conv2D(1, 1, { useBias: false, inputShape: [32, 32, 3] })]);
    (
      model.apply(image.resizeBilinear(browser.fromPixels(source), [32, 32]).expandDims(0)) as Tensor
    ).dispose();
    model.layers[0].weights[0].assign(model.layers[0].weights[0].mul(0).add([[[[1], [0], [0]]]]));

    // The README lines:
    const x = browser.fromPixels(source); // int32 [48, 64, 3]
    const input = image.resizeBilinear(x, [32, 32]).div(255).expandDims(0); // float32 [1, 32, 32, 3]
    const y = (await model.predict(input)) as Tensor; // [1, 32, 32, 1] in [0, 1]
    const canvas = document.createElement('canvas');
    await browser.toPixels(y.squeeze([0]), canvas); // draws 32x32 gray

    const drawn = canvas.getContext('2d')!.getImageData(0, 0, 32, 32).data;
    expect([canvas.width, canvas.height]).toEqual([32, 32]);
    expect(Array.from(drawn.slice(0, 4))).toEqual([255, 255, 255, 255]); // left half was red
    expect(Array.from(drawn.slice(31 * 4, 32 * 4))).toEqual([0, 0, 0, 255]); // right half was blue
    for (const t of [x, input, y]) t.dispose();
  });
}
