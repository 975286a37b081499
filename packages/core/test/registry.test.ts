// The op registry: every primitive's example call runs through runPrimitive with the shapes its
// rule gives, elementwise entries carry their scalar function, and every module loads on its own.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import {
  listPrimitives,
  memory,
  randomUniform,
  runPrimitive,
  setBackend,
  tensor,
  tidy,
} from '../src/index.js';
import type { ExampleInput, Tensor } from '../src/index.js';

/** Deterministic example values in the input's range (integers for int32, 0/1 for bool). */
function exampleTensor(s: ExampleInput, seed: number): Tensor {
  const [lo, hi] = s.range ?? [-2, 2];
  return tidy(() => {
    const u = randomUniform(s.shape, { minval: lo, maxval: hi, seed });
    if (s.dtype === 'float32') return u;
    if (s.dtype === 'int32') return u.floor().cast('int32');
    return u.greater((lo + hi) / 2);
  });
}

describe('op registry', () => {
  it('lists every primitive once, with a kind, an arity and a gradient or an explicit none', () => {
    const list = listPrimitives();
    const names = list.map((p) => p.name);
    expect(new Set(names).size).toBe(names.length);
    for (const n of [
      'add',
      'exp',
      'leakyRelu',
      'cast',
      'where',
      'sum',
      'argMax',
      'reshape',
      'matmul',
      'conv2d',
    ])
      expect(names).toContain(n);
    expect(list.find((p) => p.name === 'equal')?.differentiable).toBe(false);
    expect(list.find((p) => p.name === 'mul')?.differentiable).toBe(true);
    expect(list.find((p) => p.name === 'randomUniform')?.dynamic).toEqual(['seed']);
    expect(list.length).toBeGreaterThan(70);
  });

  it("runs each primitive's example call on the CPU backend with the shapes and dtypes of its rule", async () => {
    await setBackend('cpu');
    const before = memory().numTensors;
    for (const p of listPrimitives()) {
      const { inputs, attrs } = p.example();
      const xs = inputs.map((s, i) => exampleTensor(s, 11 + i));
      const ys = runPrimitive(p.name, xs, attrs);
      expect(ys.length, p.name).toBeGreaterThan(0);
      for (const y of ys) {
        const values = await y.data();
        expect(values.length, p.name).toBe(y.size);
        if (y.dtype === 'float32') expect([...values].every(Number.isFinite), p.name).toBe(true);
      }
      for (const t of [...xs, ...ys]) t.dispose();
    }
    expect(memory().numTensors).toBe(before);
  });

  it('gives through runPrimitive what the op functions give', async () => {
    await setBackend('cpu');
    const x = tensor([
      [1, -2, 3],
      [-4, 5, -6],
    ]);
    const [viaRegistry] = runPrimitive('leakyRelu', [x], { alpha: 0.1 });
    expect(await viaRegistry.array()).toEqual(await x.leakyRelu(0.1).array());
    const [t] = runPrimitive('transpose', [x], { perm: [1, 0] });
    expect(await t.array()).toEqual([
      [1, -4],
      [-2, 5],
      [3, -6],
    ]);
  });

  it('rejects an unknown primitive and a wrong number of inputs, naming them', () => {
    const x = tensor([1, 2]);
    expect(() => runPrimitive('nope' as 'add', [x, x], {})).toThrow(/unknown primitive 'nope'/);
    expect(() => runPrimitive('add', [x], {})).toThrow(/'add' takes 2 inputs, got 1/);
  });

  it('loads every core module on its own, whatever the import order (no import cycle at load time)', async () => {
    const root = fileURLToPath(new URL('../src/', import.meta.url));
    const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(25);
    for (const f of files) {
      vi.resetModules();
      await expect(import(/* @vite-ignore */ pathToFileURL(join(root, f)).href), f).resolves.toBeDefined();
    }
  });
});
