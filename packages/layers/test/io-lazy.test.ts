// What a bundle of the main entry can reach: no format library (h5wasm, fflate, onnx-proto), no layer class beyond
// the basic ones through Model/Sequential, and no import() a bundler would split (an iife Worker cannot split).
import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));

/** Static value imports of a source file: relative files (as .ts paths) and bare package names. */
function importsOf(file: string): { files: string[]; packages: string[] } {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/^(?:import|export)\s+(?!type\b)(?:[^;'"]*?\sfrom\s+)?'([^']+)'/gm)].map(
    (m) => m[1],
  );
  const files = specs
    .filter((s) => s.startsWith('.'))
    .map((s) => join(dirname(file), s.replace(/\.js$/, '.ts')));
  return { files, packages: specs.filter((s) => !s.startsWith('.')) };
}

/** Every source file the entry reaches through static value imports. */
function reach(entry: string): Map<string, string[]> {
  const seen = new Map<string, string[]>();
  const todo = [join(SRC, entry)];
  while (todo.length) {
    const f = todo.pop() as string;
    if (seen.has(f)) continue;
    const { files, packages } = importsOf(f);
    seen.set(f, packages);
    todo.push(...files);
  }
  return seen;
}

const rel = (f: string): string => relative(SRC, f);
const LIBS = ['h5wasm', 'fflate', 'onnx-proto'];

it('the main entry reaches no format library and not the format entry', () => {
  const reached = reach('index.ts');
  const libs = [...reached].filter(([, pkgs]) => pkgs.some((p) => LIBS.includes(p))).map(([f]) => rel(f));
  expect(libs).toEqual([]);
  expect([...reached.keys()].map(rel)).not.toContain('io-formats.ts');
});

it('the format entry (@webdl/layers/io) reaches all three libraries, statically', () => {
  const reached = reach('io-formats.ts');
  const libs = new Set([...reached.values()].flat().filter((p) => LIBS.includes(p)));
  expect([...libs].sort()).toEqual([...LIBS].sort());
});

/** Bundles a fixture app as Vite bundles a Worker by default: one iife, no inlineDynamicImports (any import() fails). */
async function bundleIife(fixture: string): Promise<string[]> {
  const { build } = await import('vite');
  const { alias } = await import('../../../vitest.config.js');
  const out = await build({
    configFile: false,
    logLevel: 'silent',
    resolve: { alias },
    build: {
      write: false,
      minify: false,
      rollupOptions: {
        input: fileURLToPath(new URL(`./fixtures/bundle/${fixture}`, import.meta.url)),
        output: { format: 'iife', name: 'app', inlineDynamicImports: false },
      },
    },
  });
  const chunks = (Array.isArray(out) ? out : [out]).flatMap((o) => ('output' in o ? o.output : []));
  return chunks.filter((c) => c.type === 'chunk').map((c) => c.code);
}

const FORMAT_CODE = ['activate_throwing_error_handler', 'ModelProto', 'unzipSync'];

it("a bundle of an MLP app builds as one iife (Vite's default Worker format) without format code or the layer zoo", async () => {
  const js = await bundleIife('mlp-app.ts');
  expect(js).toHaveLength(1);
  const code = js[0];
  expect(code).toMatch(/className = ["']Dense["']/);
  for (const cls of ['MultiHeadAttention', 'BatchNormalization', 'Bidirectional', 'LSTM', 'Conv2D'])
    expect(code, cls).not.toMatch(new RegExp(`className = ["']${cls}["']`));
  for (const marker of FORMAT_CODE) expect(code, marker).not.toContain(marker);
}, 120_000);

it('an app registering the format code statically also builds as one iife, and carries that code', async () => {
  const js = await bundleIife('formats-app.ts');
  expect(js).toHaveLength(1);
  for (const marker of FORMAT_CODE) expect(js[0], marker).toContain(marker);
}, 120_000);
