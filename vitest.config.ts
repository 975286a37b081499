// Node test projects; workspace packages resolve to their TypeScript sources so tests need no build.
import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

const src = (p: string) => fileURLToPath(new URL(`./packages/${p}/src/index.ts`, import.meta.url));
export const alias = {
  // The format subpath entries first: '@webdl/layers' alone would also match '@webdl/layers/io'.
  '@webdl/layers/io': fileURLToPath(new URL('./packages/layers/src/io-formats.ts', import.meta.url)),
  'webdl/io': fileURLToPath(new URL('./packages/webdl/src/io.ts', import.meta.url)),
  '@webdl/core': src('core'),
  '@webdl/webgpu': src('webgpu'),
  '@webdl/layers': src('layers'),
  '@webdl/datasets': src('datasets'),
  '@webdl/vis': src('vis'),
  webdl: src('webdl'),
};

export default defineConfig({
  resolve: { alias },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts', 'bench/test/**/*.test.ts'],
    // *.browser.test.ts run in headless Chromium through vitest.browser.config.ts.
    exclude: ['**/node_modules/**', '**/dist/**', '**/*.browser.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // gc() for the leak safety-net tests (packages/core/test/leaks.test.ts).
    execArgv: ['--expose-gc'],
    setupFiles: ['packages/core/test/setup/gc-net-off.ts'],
  },
});
