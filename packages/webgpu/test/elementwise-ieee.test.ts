// NaN and infinities through elementwise arithmetic on WebGPU, eager and fused by jit: on adapters
// whose arithmetic is IEEE (SwiftShader) add/sub/mul/div/neg skip the NaN tests, which must not
// change a single result against the float64 CPU reference (NaN in, NaN made by inf - inf or
// 0 * inf, then fed to ops that need the tests: relu, exp, max).
import './node-gpu.js';
import { jit, setBackend, tensor, type Tensor } from '@webdl/core';
import { registerWebGPU } from '@webdl/webgpu';
import { describe, expect, it } from 'vitest';
import { elementwiseSource } from '../src/kernels/elementwise.js';

registerWebGPU();

const SPECIAL = [NaN, Infinity, -Infinity, 0, -0, 1, -2.5, 3e38];
const xs = SPECIAL.flatMap((a) => SPECIAL.map(() => a));
const ys = SPECIAL.flatMap(() => SPECIAL);

const CHAINS: [string, (x: Tensor, y: Tensor) => Tensor][] = [
  ['relu(x * y + x)', (x, y) => x.mul(y).add(x).relu()],
  ['exp(-(x - y)) / y', (x, y) => x.sub(y).neg().exp().div(y)],
  ['maximum(x / y, y * 2) - x', (x, y) => x.div(y).maximum(y.mul(2)).sub(x)],
  ['sigmoid(x + y) * y', (x, y) => x.add(y).sigmoid().mul(y)],
];

async function run(backend: string, f: (x: Tensor, y: Tensor) => Tensor, jitted: boolean): Promise<number[]> {
  await setBackend(backend);
  const [x, y] = [tensor(xs), tensor(ys)];
  const g = jitted ? jit(f) : undefined;
  g?.(x, y).dispose();
  const out = (g ?? f)(x, y);
  const data = Array.from(await out.data());
  [x, y, out].forEach((t) => t.dispose());
  g?.dispose();
  return data;
}

describe('IEEE special values through elementwise arithmetic on WebGPU', () => {
  it.each(CHAINS)('%s, eager and jitted, equals the CPU reference', async (_name, f) => {
    const want = await run('cpu', f, false);
    for (const jitted of [false, true]) {
      const got = await run('webgpu', f, jitted);
      got.forEach((v, i) => {
        const w = want[i];
        const where = `x=${xs[i]} y=${ys[i]} (jit ${jitted})`;
        if (Number.isNaN(w) || !Number.isFinite(w)) expect(v, where).toBe(Math.fround(w));
        else expect(Math.abs(v - w), where).toBeLessThanOrEqual(1e-5 * (1 + Math.abs(w)));
      });
    }
  });

  it('drops the NaN tests of arithmetic only where the adapter is IEEE, never those of max', () => {
    const kernel = {
      key: 'mul',
      arity: 2,
      cpu: (a: number, b: number) => a * b,
      wgsl: (a: readonly string[]) => `${a[0]} * ${a[1]}`,
    };
    const relu = {
      key: 'relu',
      arity: 1,
      cpu: (a: number) => Math.max(a, 0),
      wgsl: (a: readonly string[]) => `max(${a[0]}, 0.0)`,
    };
    const src = (k: typeof kernel | typeof relu, ieee: boolean) =>
      elementwiseSource(
        k,
        k.arity === 2 ? ['float32', 'float32'] : ['float32'],
        k.arity === 2 ? ['same', 'same'] : ['same'],
        0,
        'float32',
        ieee,
      );
    expect(src(kernel, true)).not.toContain('0x7f800000u');
    expect(src(kernel, false)).toContain('0x7f800000u');
    expect(src(relu, true)).toContain('0x7f800000u');
  });
});
