// The format libraries (h5wasm with its 4 MB of wasm, fflate, onnx-proto) are reached only through dynamic import.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

it('no module of @webdl/layers imports h5wasm, fflate or onnx-proto statically', () => {
  const offenders: string[] = [];
  let dynamic = 0;
  for (const f of files(SRC)) {
    const text = readFileSync(f, 'utf8');
    if (/^import\s+(?!type\b)[^;]*from\s+'(h5wasm|fflate|onnx-proto)'/m.test(text)) offenders.push(f);
    if (/^export\s+[^;]*from\s+'(h5wasm|fflate|onnx-proto)'/m.test(text)) offenders.push(f);
    dynamic += (text.match(/(?<!typeof )import\('(h5wasm|fflate|onnx-proto)'\)/g) ?? []).length;
  }
  expect(offenders).toEqual([]);
  expect(dynamic).toBe(3);
});
