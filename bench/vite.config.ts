// Vite config for the benchmark page: serves bench/ and maps @webdl/* to the workspace TypeScript sources.
import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

const src = (pkg: string): string =>
  fileURLToPath(new URL(`../packages/${pkg}/src/index.ts`, import.meta.url));

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  clearScreen: false,
  cacheDir: fileURLToPath(new URL('../node_modules/.vite-bench', import.meta.url)),
  logLevel: 'warn',
  resolve: {
    alias: {
      '@webdl/core': src('core'),
      '@webdl/webgpu': src('webgpu'),
      '@webdl/layers': src('layers'),
    },
  },
  server: {
    host: 'localhost',
    // No reloads mid-run: other packages' sources may change while a benchmark is running.
    hmr: false,
    watch: null,
    strictPort: false,
    // The repository root holds packages/ and shaders/, which the aliased sources read.
    fs: { allow: [fileURLToPath(new URL('..', import.meta.url))] },
  },
  optimizeDeps: {
    // Pre-bundle the peers up front so the first page load does not trigger a reload mid-run.
    include: ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-webgpu', '@jax-js/jax'],
  },
});
