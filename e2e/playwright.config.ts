// Playwright config: builds and serves the playground on a free localhost port, Chromium with WebGPU.
import { defineConfig } from '@playwright/test';
import { createServer } from 'node:net';
import { baseArgs, chromiumPath, webgpuArgs } from './browser.js';

/** A port nothing listens on; chosen once by the runner and inherited by its worker processes. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

process.env.PLAYGROUND_PORT ??= String(await freePort());
const port = Number(process.env.PLAYGROUND_PORT);

export default defineConfig({
  testDir: './tests',
  outputDir: '../test-results/e2e-artifacts',
  // SwiftShader shares two cores with the build server: one test at a time.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 240_000,
  expect: { timeout: 30_000 },
  reporter: [['list'], ['json', { outputFile: '../test-results/e2e.json' }]],
  use: {
    // localhost (not 127.0.0.1 in the URL) keeps the page a secure context for WebGPU.
    baseURL: `http://localhost:${port}`,
    viewport: { width: 1400, height: 900 },
    browserName: 'chromium',
    launchOptions: {
      executablePath: chromiumPath,
      args: [...baseArgs, ...webgpuArgs],
    },
    trace: 'retain-on-failure',
  },
  webServer: {
    // The built app (what users get), served by vite preview.
    command: `npx vite build --logLevel warn && npx vite preview --host 127.0.0.1 --port ${port} --strictPort`,
    cwd: '../apps/playground',
    url: `http://127.0.0.1:${port}`,
    timeout: 180_000,
    reuseExistingServer: false,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
