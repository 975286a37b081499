// Browser test project: the WebGPU suites in headless Chromium (Vitest browser mode), on SwiftShader where no GPU exists.
import { defineConfig } from 'vitest/config';
import { playwright } from '@vitest/browser-playwright';
import { existsSync } from 'node:fs';
import { alias } from './vitest.config.js';

const executablePath = process.env.CHROME_PATH ?? '/usr/bin/chromium';
// Force SwiftShader only when asked or when the machine has no GPU device node (CI, containers).
const hasGpu = existsSync('/dev/dri') || existsSync('/dev/nvidia0');
const useSwiftShader =
  process.env.WEBDL_SWIFTSHADER === '1' || (process.env.WEBDL_SWIFTSHADER !== '0' && !hasGpu);
const args = [
  '--no-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--enable-unsafe-webgpu',
  ...(useSwiftShader ? ['--use-webgpu-adapter=swiftshader'] : []),
];

export default defineConfig({
  resolve: { alias },
  test: {
    include: ['packages/*/test/**/*.browser.test.ts'],
    setupFiles: ['packages/core/test/setup/gc-net-off.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    browser: {
      enabled: true,
      headless: true,
      provider: playwright({ launchOptions: { executablePath, args } }),
      instances: [{ browser: 'chromium' }],
    },
  },
});
