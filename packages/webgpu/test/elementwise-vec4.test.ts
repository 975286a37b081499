// The vec4-arithmetic elementwise path (kernels/elementwise.ts, VECTOR_SAFE): every listed primitive
// is generated as vec4<f32> math (checked on the WGSL the backend compiles) and gives the float64 CPU
// reference's values, NaN and infinities included, on lengths that are not multiples of 4, with a
// broadcast scalar operand, eager and fused by jit; other dtypes and ops keep the per-element path.
import './node-gpu.js';
import * as dl from '@webdl/core';
import { ENGINE, jit, setBackend, tensor, type Tensor } from '@webdl/core';
import { registerWebGPU, type WebGPUBackend } from '@webdl/webgpu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VECTOR_SAFE } from '../src/kernels/elementwise.js';
import { expectClose, F32, TRANS, values } from './compare.js';

registerWebGPU();

type Op = (x: Tensor, y: Tensor) => Tensor;
const un =
  (f: (x: Tensor) => Tensor): Op =>
  (x) =>
    f(x);

/** One op per VECTOR_SAFE primitive (binary ones take y; unary ones ignore it). */
const OPS: Record<string, Op> = {
  add: (x, y) => x.add(y),
  sub: (x, y) => x.sub(y),
  mul: (x, y) => x.mul(y),
  div: (x, y) => x.div(y),
  maximum: (x, y) => dl.maximum(x, y),
  minimum: (x, y) => dl.minimum(x, y),
  neg: un(dl.neg),
  abs: un(dl.abs),
  sign: un(dl.sign),
  exp: un(dl.exp),
  sqrt: un(dl.sqrt),
  rsqrt: un(dl.rsqrt),
  square: un(dl.square),
  reciprocal: un(dl.reciprocal),
  sigmoid: un(dl.sigmoid),
  relu: un(dl.relu),
  relu6: un(dl.relu6),
  softsign: un(dl.softsign),
  silu: un(dl.silu),
  floor: un(dl.floor),
  ceil: un(dl.ceil),
  round: un(dl.round),
};
const BINARY = new Set(['add', 'sub', 'mul', 'div', 'maximum', 'minimum']);
const TRANSCENDENTAL = new Set(['exp', 'sqrt', 'rsqrt', 'sigmoid', 'silu', 'div', 'reciprocal', 'softsign']);

const SPECIAL = [NaN, Infinity, -Infinity, 0, -0, 1, -2.5, 3e38, 0.5, -0.5, 2.5, 7];
// 4099 = 4 * 1024 + 3: the last vec4 is partial.
const N = 4099;
const xs = [...SPECIAL, ...values(N - SPECIAL.length, 1, -8, 8)];
const ys = [...SPECIAL.slice().reverse(), ...values(N - SPECIAL.length, 2, -8, 8)];

/** The WGSL sources the backend asks pipelines for while fn runs (label: the kernel key first). */
async function sourcesOf(fn: () => Promise<unknown>, labels: string[] = []): Promise<string[]> {
  const b = ENGINE.backend as WebGPUBackend;
  const seen: string[] = [];
  const get = b.pipelines.get.bind(b.pipelines);
  b.pipelines.get = (source, constants, label) => {
    seen.push(source);
    labels.push(label);
    return get(source, constants, label);
  };
  try {
    await fn();
  } finally {
    b.pipelines.get = get;
  }
  return seen;
}

async function valuesOn(backend: string, f: (x: Tensor, y: Tensor) => Tensor, y: number[] | number) {
  await setBackend(backend);
  const [tx, ty] = [tensor(xs), typeof y === 'number' ? dl.scalar(y) : tensor(y)];
  const out = f(tx, ty);
  const data = Array.from(await out.data());
  [tx, ty, out].forEach((t) => t.dispose());
  return data;
}

beforeAll(async () => {
  await setBackend('webgpu');
});
afterAll(async () => {
  await setBackend('webgpu');
});

describe('vec4 arithmetic in WebGPU elementwise kernels', () => {
  it('covers exactly the listed primitives', () => {
    expect(Object.keys(OPS).sort()).toEqual([...VECTOR_SAFE].sort());
  });

  it.each(Object.keys(OPS))('%s: vec4 WGSL, values equal to the CPU reference', async (key) => {
    const f = OPS[key];
    const tol = TRANSCENDENTAL.has(key) ? TRANS : F32;
    const want = await valuesOn('cpu', f, ys);
    await setBackend('webgpu');
    let got: number[] = [];
    const sources = await sourcesOf(async () => (got = await valuesOn('webgpu', f, ys)));
    expect(
      sources.some((s) => /let e: vec4<f32> = /.test(s)),
      `${key} source`,
    ).toBe(true);
    expectClose(key, got, want, tol);
    // A broadcast scalar operand (splat once) for the binary ones.
    if (BINARY.has(key)) {
      expectClose(`${key} scalar`, await valuesOn('webgpu', f, -1.5), await valuesOn('cpu', f, -1.5), tol);
    }
  });

  it('runs the jitted chain as one vec4 kernel with the eager and CPU values (length 4099, scalar operand)', async () => {
    const chain = (u: Tensor, p: Tensor) =>
      dl
        .sigmoid(dl.relu(u.mul(p).add(0.25)))
        .mul(p)
        .sub(u);
    const want = await valuesOn('cpu', chain, ys);
    const eager = await valuesOn('webgpu', chain, ys);
    await setBackend('webgpu');
    const g = jit(chain);
    const [tx, ty] = [tensor(xs), tensor(ys)];
    let jitted: number[] = [];
    const labels: string[] = [];
    const sources = await sourcesOf(async () => {
      g(tx, ty).dispose();
      const out = g(tx, ty);
      jitted = Array.from(await out.data());
      out.dispose();
    }, labels);
    [tx, ty].forEach((t) => t.dispose());
    g.dispose();
    const fused = sources.filter((_, i) => labels[i].startsWith('fused('));
    expect(new Set(fused).size).toBe(1);
    expect(fused[0]).toMatch(/let e: vec4<f32> = /);
    expectClose('jit vs cpu', jitted, want, TRANS);
    expect(jitted).toEqual(eager);
  });

  it('keeps the per-element path for ops outside the list and for int32 and bool values', async () => {
    const cases: [string, () => Tensor][] = [
      ['tanh', () => tensor([0.5, -1, NaN, 2, 3]).tanh()],
      ['int32 add', () => tensor([1, 2, 3, 4, 5], [5], 'int32').add(tensor([5, 4, 3, 2, 1], [5], 'int32'))],
      ['greater', () => tensor([1, 2, 3, 4, 5]).greater(3)],
    ];
    for (const [name, make] of cases) {
      let got: number[] = [];
      const sources = await sourcesOf(async () => {
        const t = make();
        got = Array.from(await t.data());
        t.dispose();
      });
      expect(
        sources.some((s) => /let e: vec4<f32> = /.test(s)),
        name,
      ).toBe(false);
      expect(got.length, name).toBe(5);
    }
    const ints = Array.from(
      await tensor([1, 2, 3, 4, 5], [5], 'int32')
        .add(tensor([5, 4, 3, 2, 1], [5], 'int32'))
        .data(),
    );
    expect(ints).toEqual([6, 6, 6, 6, 6]);
  });

  it('handles an empty tensor and a single element', async () => {
    expect(Array.from(await tensor([]).relu().data())).toEqual([]);
    expect(Array.from(await tensor([-3]).relu().data())).toEqual([0]);
    expect(
      Array.from(
        await tensor([1, 2, 3])
          .mul(tensor([2, 2, 2]))
          .data(),
      ),
    ).toEqual([2, 4, 6]);
  });
});
