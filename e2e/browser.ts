// How the tests launch Chromium: the browser from CHROME_PATH, WebGPU on SwiftShader unless told otherwise.

/** Chromium to drive; never downloaded (`npx playwright install` is not used here). */
export const chromiumPath = process.env.CHROME_PATH || '/usr/bin/chromium';

/** Always passed: quiet, reproducible headless Chromium. */
export const baseArgs = [
  '--no-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * WebGPU on. Machines without a GPU get it from SwiftShader, Chromium's software Vulkan; set
 * WEBGPU_ADAPTER=default on a machine with a GPU to use it instead.
 */
export const webgpuArgs = [
  '--enable-unsafe-webgpu',
  ...(process.env.WEBGPU_ADAPTER === 'default' ? [] : ['--use-webgpu-adapter=swiftshader']),
];
