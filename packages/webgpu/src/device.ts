// Finds a WebGPU implementation (the browser's navigator.gpu, else Dawn from the `webgpu` npm package in Node) and opens a device.

/** Module shape of the `webgpu` npm package (Dawn for Node). */
interface DawnModule {
  create(options: string[]): GPU;
  globals: object;
}

let dawnGpu: GPU | null = null;
let dawnError = '';

/**
 * The GPU entry point: `navigator.gpu` where it exists, else Dawn loaded with a dynamic import
 * (so browser bundles never pull in the Node addon). Returns null when neither is available.
 */
export async function getGpu(): Promise<GPU | null> {
  const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator;
  if (nav?.gpu) return nav.gpu;
  if (dawnGpu) return dawnGpu;
  const isNode =
    typeof (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node ===
    'string';
  if (!isNode) return null;
  try {
    // A variable specifier keeps bundlers from resolving the Node-only package.
    const specifier = 'webgpu';
    const mod = (await import(/* @vite-ignore */ specifier)) as DawnModule;
    Object.assign(globalThis, mod.globals);
    dawnGpu = mod.create([]);
    return dawnGpu;
  } catch (e) {
    const code = (e as { code?: string }).code;
    dawnError =
      code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND'
        ? 'the `webgpu` package (Dawn) is not installed; `npm install webgpu` to use WebGPU in Node'
        : `the \`webgpu\` package could not be loaded (${e instanceof Error ? e.message : String(e)})`;
    return null;
  }
}

/** An opened device with the adapter it came from. */
export interface OpenedDevice {
  adapter: GPUAdapter;
  device: GPUDevice;
  description: string;
  /** A software adapter (SwiftShader, lavapipe, llvmpipe, WARP): kernels then launch fewer, longer invocations. */
  isCpu: boolean;
}

/** Limits we raise to the adapter's maximum when it allows more than the defaults. */
const WANTED_LIMITS = [
  'maxComputeWorkgroupStorageSize',
  'maxStorageBufferBindingSize',
  'maxBufferSize',
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupSizeX',
  'maxComputeWorkgroupSizeY',
  'maxStorageBuffersPerShaderStage',
] as const;

/**
 * Requests a high-performance adapter and a device with raised limits.
 * Throws with a hint when no adapter is found.
 */
export async function openDevice(): Promise<OpenedDevice> {
  const gpu = await getGpu();
  if (!gpu) {
    throw new Error(
      dawnError
        ? `WebGPU is not available: ${dawnError}`
        : 'WebGPU is not available: no navigator.gpu (a browser without WebGPU, or an insecure context)',
    );
  }
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) {
    throw new Error(
      'WebGPU: no adapter found. In Node on Linux without a GPU, point Dawn at SwiftShader ' +
        '(VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json, with libvulkan.so.1 on the library path).',
    );
  }
  const requiredLimits: Record<string, number> = {};
  for (const name of WANTED_LIMITS) requiredLimits[name] = adapter.limits[name];
  // Subgroups, where offered, let CPU-adapter kernels share loads across a SIMD quad (see hasQuadSubgroups).
  const requiredFeatures = [...adapter.features].filter((f): f is GPUFeatureName => f === 'subgroups');
  const device = await adapter.requestDevice({ requiredLimits, requiredFeatures, label: 'webdl' });
  const info = adapter.info;
  const parts = [info?.vendor, info?.architecture, info?.device, info?.description].filter((s) => s);
  const description = `WebGPU (${parts.join(' ') || 'unknown adapter'})`;
  const isCpu =
    /swiftshader|lavapipe|llvmpipe|warp|software/i.test(description) ||
    (info as { isFallbackAdapter?: boolean }).isFallbackAdapter === true;
  return { adapter, device, description, isCpu };
}

/** Whether `device` has subgroups enabled and every subgroup is exactly 4 invocations (SwiftShader's SIMD width). */
export function hasQuadSubgroups(device: GPUDevice): boolean {
  const info = (device as { adapterInfo?: { subgroupMinSize?: number; subgroupMaxSize?: number } })
    .adapterInfo;
  return device.features.has('subgroups') && info?.subgroupMinSize === 4 && info.subgroupMaxSize === 4;
}

/**
 * Invocations a CPU adapter's grid-stride kernels launch: four workgroups of 128 per core the page
 * reports (SwiftShader spreads workgroups over one worker thread per core, and each workgroup costs
 * a setup). On 2 cores, in Chromium, interleaved in one page: the jitted 4-input chain on 2^20 floats
 * with its readback 5-12% faster with 1024 invocations than with 4096 (256 and 512 slower again),
 * the jitted MLP step 3% faster.
 *
 * ```ts
 * cpuGridThreads(); // 1024 where navigator.hardwareConcurrency is 2
 * ```
 */
export function cpuGridThreads(): number {
  const cores = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator
    ?.hardwareConcurrency;
  return 512 * Math.max(2, cores ?? 4);
}
