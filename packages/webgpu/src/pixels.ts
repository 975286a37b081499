// browser.fromPixels on WebGPU: copyExternalImageToTexture, a texture-to-buffer copy and the unpack-pixels kernel (no CPU pixel copies).
import { groups1d, shaderSource, type GpuData, type KernelContext } from './kernel-context.js';

const WG = 128;
const canvases = new WeakMap<GPUDevice, OffscreenCanvas>();

function taint(e: unknown): Error | null {
  if ((e as { name?: string }).name !== 'SecurityError') return null;
  return new Error(
    "browser.fromPixels: the source is tainted by cross-origin data (an image from another origin without CORS, or a canvas that drew one), so its pixels cannot be read; serve it with CORS and set crossOrigin = 'anonymous'",
  );
}

/**
 * Some adapters (SwiftShader) cannot copy from a <video> or a VideoFrame: such sources are drawn into
 * an OffscreenCanvas first, which every adapter copies from.
 */
function viaCanvas(device: GPUDevice, source: object, width: number, height: number): OffscreenCanvas | null {
  if (typeof OffscreenCanvas === 'undefined') return null;
  let canvas = canvases.get(device);
  if (!canvas) canvases.set(device, (canvas = new OffscreenCanvas(width, height)));
  if (canvas.width !== width || canvas.height !== height) {
    canvas.width = width;
    canvas.height = height;
  }
  const ctx = canvas.getContext('2d');
  if (!ctx) return null;
  ctx.drawImage(source as CanvasImageSource, 0, 0);
  return canvas;
}

function copyIn(
  device: GPUDevice,
  source: object,
  texture: GPUTexture,
  width: number,
  height: number,
): boolean {
  try {
    device.queue.copyExternalImageToTexture({ source: source as GPUCopyExternalImageSource }, { texture }, [
      width,
      height,
    ]);
    return true;
  } catch (e) {
    const t = taint(e);
    if (t) throw t;
    return false;
  }
}

/** Uploads a drawable source as int32 [height, width, numChannels]; null when the adapter cannot copy it. */
export function uploadPixels(
  device: GPUDevice,
  ctx: KernelContext,
  source: object,
  width: number,
  height: number,
  numChannels: number,
): GpuData | null {
  const texture = device.createTexture({
    size: [width, height],
    format: 'rgba8unorm',
    usage: GPUTextureUsage.COPY_DST | GPUTextureUsage.COPY_SRC | GPUTextureUsage.RENDER_ATTACHMENT,
    label: 'browser.fromPixels',
  });
  try {
    const isVideo = 'videoWidth' in source || 'displayWidth' in source;
    // Video sources go through a canvas on software adapters, where the direct copy fails.
    const direct = !(isVideo && ctx.isCpu) && copyIn(device, source, texture, width, height);
    if (!direct) {
      const canvas = viaCanvas(device, source, width, height);
      if (!canvas || !copyIn(device, canvas, texture, width, height)) return null;
    }
    const rowWords = Math.ceil((width * 4) / 256) * 64;
    const texels = ctx.alloc(rowWords * height, 'int32');
    const encoder = device.createCommandEncoder({ label: 'browser.fromPixels texels' });
    encoder.copyTextureToBuffer({ texture }, { buffer: texels.buffer, bytesPerRow: rowWords * 4 }, [
      width,
      height,
    ]);
    device.queue.submit([encoder.finish()]);
    const total = width * height * numChannels;
    const out = ctx.alloc(total, 'int32');
    ctx.run({
      label: `browser.fromPixels ${width}x${height} -> [${height},${width},${numChannels}]`,
      source: shaderSource('unpackPixels'),
      buffers: [out.buffer, texels.buffer],
      params: [height, width, numChannels, rowWords, total],
      groups: groups1d(total, WG, ctx.maxGroups),
    });
    ctx.free(texels);
    return out;
  } finally {
    texture.destroy();
  }
}
