// Small worker helpers: yielding to queued messages, describing the adapter, reading fit logs.
import type { Logs, Tensor } from 'webdl';

/** Lets queued messages (pause, stop, predict) run: a macrotask turn, cheaper than setTimeout's clamp. */
export function yieldToEvents(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

/** 'google swiftshader', or why there is no WebGPU adapter. */
export async function describeAdapter(): Promise<{ adapter: string; webgpuAvailable: boolean }> {
  const gpu = (navigator as Navigator & { gpu?: GPU }).gpu;
  if (!gpu) return { adapter: 'WebGPU is not available in this browser', webgpuAvailable: false };
  const adapter = await gpu.requestAdapter().catch(() => null);
  if (!adapter) return { adapter: 'no WebGPU adapter found', webgpuAvailable: false };
  const { vendor, architecture, description } = adapter.info;
  return {
    adapter: [vendor, architecture || description].filter(Boolean).join(' ') || 'unknown adapter',
    webgpuAvailable: true,
  };
}

/** The playground's models have one output. */
export function single(y: Tensor | Tensor[]): Tensor {
  if (!Array.isArray(y)) return y;
  y.slice(1).forEach((t) => t.dispose());
  return y[0];
}

/** Reads a tensor back as a payload to transfer, and disposes it. */
export async function toPayload(y: Tensor): Promise<{ data: Float32Array<ArrayBuffer>; shape: number[] }> {
  const data = Float32Array.from(await y.data());
  const shape = [...y.shape];
  y.dispose();
  return { data, shape };
}

/** The first of `keys` present in fit's logs ('accuracy' may be logged under another name). */
export function logValue(logs: Logs | undefined, ...keys: string[]): number | undefined {
  for (const k of keys) if (typeof logs?.[k] === 'number') return logs[k];
  return undefined;
}
