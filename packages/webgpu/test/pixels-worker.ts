// Module Worker for pixels.browser.test.ts: browser.fromPixels of OffscreenCanvas, ImageBitmap, VideoFrame and ImageData inside a Worker.
import { browser, setBackend } from '@webdl/core';
import { registerWebGPU } from '@webdl/webgpu';

registerWebGPU();

self.onmessage = async (e: MessageEvent<{ backend: string; image: ImageData }>) => {
  try {
    await setBackend(e.data.backend);
    const img = e.data.image;
    const canvas = new OffscreenCanvas(img.width, img.height);
    canvas.getContext('2d')!.putImageData(img, 0, 0);
    const frame = new VideoFrame(canvas, { timestamp: 0 });
    const sources = [img, canvas, await createImageBitmap(img), frame];
    const results: number[][] = [];
    for (const s of sources) {
      const t = browser.fromPixels(s, 4);
      results.push(Array.from(await t.data()));
      t.dispose();
    }
    frame.close();
    self.postMessage({ results });
  } catch (err) {
    self.postMessage({ error: String(err) });
  }
};
