// browser.fromPixels from every source kind with test-drawn pixels, on webgpu and cpu in headless Chromium; toPixels round trips and errors.
import { browser, ENGINE, memory, setBackend, tensor, type Tensor } from '@webdl/core';
import { registerWebGPU, WebGPUBackend } from '@webdl/webgpu';
import { beforeAll, describe, expect, it } from 'vitest';

registerWebGPU();

const W = 8;
const H = 6;

/** Opaque test pixels in 2x2 blocks of distinct colours (blocks survive a video's 4:2:0 chroma subsampling). */
function drawnPixels(): ImageData {
  const data = new Uint8ClampedArray(W * H * 4);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const b = (y >> 1) * (W >> 1) + (x >> 1);
      data.set([(b * 37 + 20) % 256, (b * 91 + 60) % 256, (b * 53 + 200) % 256, 255], (y * W + x) * 4);
    }
  }
  return new ImageData(data, W, H);
}

/** What fromPixels should give for the drawn pixels with c channels. */
function expected(img: ImageData, c: number): number[] {
  const out: number[] = [];
  for (let p = 0; p < W * H; p++) for (let k = 0; k < c; k++) out.push(img.data[p * 4 + k]);
  return out;
}

function canvasWith(img: ImageData): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = W;
  canvas.height = H;
  canvas.getContext('2d')!.putImageData(img, 0, 0);
  return canvas;
}

async function imageElement(img: ImageData): Promise<HTMLImageElement> {
  const blob = await new Promise<Blob>((res) => canvasWith(img).toBlob((b) => res(b!), 'image/png'));
  const el = new Image();
  el.src = URL.createObjectURL(blob);
  await el.decode();
  return el;
}

/** A <video> playing a canvas stream of the drawn pixels, once it has a frame. */
async function videoElement(img: ImageData): Promise<HTMLVideoElement> {
  const canvas = canvasWith(img);
  const stream = canvas.captureStream(30);
  const video = document.createElement('video');
  video.muted = true;
  video.srcObject = stream;
  await video.play();
  // Redraw until the video shows a frame (captureStream sends one per change).
  for (let i = 0; i < 100 && (video.readyState < 2 || video.videoWidth === 0); i++) {
    canvas.getContext('2d')!.putImageData(img, 0, 0);
    await new Promise((r) => setTimeout(r, 20));
  }
  return video;
}

async function values(t: Tensor): Promise<number[]> {
  const v = Array.from(await t.data());
  t.dispose();
  return v;
}

const maxDiff = (a: number[], b: number[]) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

for (const backend of ['webgpu', 'cpu']) {
  describe(`browser.fromPixels on ${backend}`, () => {
    const img = drawnPixels();
    beforeAll(async () => {
      await setBackend(backend);
    });

    it('ImageData, canvas, OffscreenCanvas, ImageBitmap, image and VideoFrame give the drawn values with 1, 3 and 4 channels', async () => {
      const offscreen = new OffscreenCanvas(W, H);
      offscreen.getContext('2d')!.putImageData(img, 0, 0);
      const sources: [string, () => Promise<CanvasImageSource | ImageData | VideoFrame>][] = [
        ['ImageData', async () => img],
        ['canvas', async () => canvasWith(img)],
        ['OffscreenCanvas', async () => offscreen],
        ['ImageBitmap', () => createImageBitmap(img)],
        ['image', () => imageElement(img)],
        ['VideoFrame', async () => new VideoFrame(offscreen, { timestamp: 0 })],
      ];
      for (const [name, make] of sources) {
        const src = await make();
        for (const c of [1, 3, 4]) {
          const t = browser.fromPixels(src, c);
          expect(t.shape, name).toEqual([H, W, c]);
          expect(t.dtype).toBe('int32');
          expect(await values(t), `${name} ${c} channels`).toEqual(expected(img, c));
        }
        if (backend === 'webgpu' && !(src instanceof ImageData)) {
          // The GPU upload path itself took the source (no fallback through a CPU readback).
          const gpu = ENGINE.backend as WebGPUBackend;
          const id = gpu.fromPixels(src, W, H, 3);
          expect(id, `${name} on the GPU path`).not.toBeNull();
          gpu.disposeData(id!);
        }
        if (src instanceof VideoFrame) src.close();
      }
    });

    it('a <video> gives the drawn values (within the video path colour conversion)', async () => {
      const video = await videoElement(img);
      const got = await values(browser.fromPixels(video));
      expect(got.length).toBe(W * H * 3);
      expect(maxDiff(got, expected(img, 3))).toBeLessThanOrEqual(8);
      (video.srcObject as MediaStream).getTracks().forEach((t) => t.stop());
    });

    it('rejects sources that are not ready, bad numChannels and tainted canvases', async () => {
      expect(() => browser.fromPixels(document.createElement('video'))).toThrow(
        /browser.fromPixels: the video is not ready \(readyState 0/,
      );
      expect(() => browser.fromPixels(new Image())).toThrow(
        /browser.fromPixels: the image is not decoded yet/,
      );
      expect(() => browser.fromPixels(img, 2)).toThrow(/numChannels must be 1, 3 or 4, got 2/);
      expect(() => browser.fromPixels({} as ImageData)).toThrow(/expected ImageData, an image, canvas/);
      // The same server under another host name is another origin: its image taints what draws it.
      const url = new URL('./fixtures/pixels-2x2.png', import.meta.url);
      url.hostname = url.hostname === '127.0.0.1' ? 'localhost' : '127.0.0.1';
      const foreign = new Image();
      foreign.src = url.href;
      await foreign.decode();
      const tainted = document.createElement('canvas');
      tainted.getContext('2d')!.drawImage(foreign, 0, 0);
      expect(() => browser.fromPixels(tainted)).toThrow(/tainted by cross-origin data/);
      expect(() => browser.fromPixels(foreign)).toThrow(/tainted by cross-origin data/);
    });

    it('toPixels round-trips fromPixels (int32 and float), draws into a canvas, and rejects what TF.js rejects', async () => {
      const x = browser.fromPixels(img, 4);
      expect(Array.from(await browser.toPixels(x))).toEqual(Array.from(img.data));
      const f = x.cast('float32').div(255);
      expect(Array.from(await browser.toPixels(f))).toEqual(Array.from(img.data));
      const canvas = document.createElement('canvas');
      const rgb = browser.fromPixels(img, 3);
      await browser.toPixels(rgb, canvas);
      expect([canvas.width, canvas.height]).toEqual([W, H]);
      expect(Array.from(canvas.getContext('2d')!.getImageData(0, 0, W, H).data)).toEqual(
        Array.from(img.data),
      );
      const gray = await browser.toPixels(tensor([[0, 128]], [1, 2], 'int32'));
      expect(Array.from(gray)).toEqual([0, 0, 0, 255, 128, 128, 128, 255]);
      await expect(browser.toPixels(tensor([1, 2], [2], 'int32'))).rejects.toThrow(/rank 2 or 3/);
      await expect(browser.toPixels(tensor([1, 2], [1, 1, 2], 'int32'))).rejects.toThrow(
        /1, 3 or 4 channels/,
      );
      await expect(browser.toPixels(tensor([0.5, 1.5], [1, 2]))).rejects.toThrow(
        /float32 values must be in \[0, 1\], found 1.5 at pixel \(0, 1\)/,
      );
      await expect(browser.toPixels(tensor([3, 256], [1, 2], 'int32'))).rejects.toThrow(
        /int32 values must be in \[0, 255\], found 256/,
      );
      for (const t of [x, f, rgb]) t.dispose();
    });

    it('works in a module Worker (OffscreenCanvas, ImageBitmap, VideoFrame, ImageData)', async () => {
      const worker = new Worker(new URL('./pixels-worker.ts', import.meta.url), { type: 'module' });
      const reply = await new Promise<{ results?: number[][]; error?: string }>((resolve) => {
        worker.onmessage = (e) => resolve(e.data as { results?: number[][]; error?: string });
        worker.postMessage({ backend, image: img });
      });
      worker.terminate();
      expect(reply.error).toBeUndefined();
      expect(reply.results).toEqual(new Array(4).fill(Array.from(img.data)));
    });

    it('leaks no tensors over repeated frames', async () => {
      const bitmap = await createImageBitmap(img);
      const before = memory().numTensors;
      for (let i = 0; i < 20; i++) browser.fromPixels(bitmap).dispose();
      expect(memory().numTensors).toBe(before);
    });
  });
}
