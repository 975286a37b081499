// Vite config for the playground: @webdl/* and webdl resolve to the workspace TypeScript sources.
import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

const src = (pkg: string): string =>
  fileURLToPath(new URL(`../../packages/${pkg}/src/index.ts`, import.meta.url));

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  clearScreen: false,
  resolve: {
    alias: {
      '@webdl/core': src('core'),
      '@webdl/webgpu': src('webgpu'),
      '@webdl/layers': src('layers'),
      '@webdl/datasets': src('datasets'),
      '@webdl/vis': src('vis'),
      webdl: src('webdl'),
    },
  },
  // The worker loads webdl and the datasets with dynamic imports (code-split chunks need 'es').
  build: { target: 'esnext', outDir: 'dist', chunkSizeWarningLimit: 30_000 },
  worker: { format: 'es' },
  esbuild: { target: 'esnext' },
  optimizeDeps: {
    // Pre-bundle up front so the first visit never triggers a dependency re-optimisation reload.
    include: ['comlink'],
    esbuildOptions: { target: 'esnext' },
  },
  server: {
    // The aliased package sources and the top-level shaders/ live above this folder.
    fs: { allow: [fileURLToPath(new URL('../..', import.meta.url))] },
  },
});
