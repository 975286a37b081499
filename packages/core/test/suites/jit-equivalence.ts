// jit vs eager, table-driven from the op registry (a new primitive gets this coverage with no new
// test), plus the composite ops of api.md and first/second-order gradients under jit.
import { beforeAll, describe, expect, it } from 'vitest';
import * as dl from '@webdl/core';
import type { ExampleInput, Tensor } from '@webdl/core';

const TOL = { cpu: 1e-6, webgpu: 2e-5 } as const;

function exampleTensor(s: ExampleInput, seed: number): Tensor {
  const [lo, hi] = s.range ?? [-2, 2];
  return dl.tidy(() => {
    const u = dl.randomUniform(s.shape, { minval: lo, maxval: hi, seed });
    if (s.dtype === 'float32') return u;
    if (s.dtype === 'int32') return u.floor().cast('int32');
    return u.greater((lo + hi) / 2);
  });
}

async function expectClose(got: Tensor, want: Tensor, tol: number, what: string) {
  expect(got.shape, what).toEqual(want.shape);
  expect(got.dtype, what).toBe(want.dtype);
  const [a, b] = [await got.data(), await want.data()];
  for (let i = 0; i < a.length; i++) {
    if (Number.isNaN(b[i])) expect(Number.isNaN(a[i]), `${what} [${i}]`).toBe(true);
    else
      expect(Math.abs(a[i] - b[i]), `${what} [${i}]: ${a[i]} vs ${b[i]}`).toBeLessThanOrEqual(
        tol * (1 + Math.abs(b[i])),
      );
  }
}

type Outs = Tensor | Tensor[];
const list = (o: Outs) => (Array.isArray(o) ? o : [o]);

/** Calls a jitted f on two input sets (trace, then replay) and compares the replay with eager. */
async function jitMatchesEager(
  f: (...xs: Tensor[]) => Outs,
  inputs: () => Tensor[][],
  tol: number,
  what: string,
) {
  const g = dl.jit(f);
  const [first, second] = inputs();
  dl.dispose(list(g(...first)));
  const replayed = list(g(...second));
  const eager = list(f(...second));
  expect(replayed.length, what).toBe(eager.length);
  for (let i = 0; i < eager.length; i++) await expectClose(replayed[i], eager[i], tol, what);
  expect(g.traceCount, `${what}: replayed, not retraced`).toBe(1);
  g.dispose();
  dl.dispose([...first, ...second, ...replayed, ...eager]);
}

const x23 = (seed: number) => dl.randomNormal([2, 3], { seed });
const img = (seed: number) => dl.randomNormal([1, 5, 5, 2], { seed });

/** Composite ops of api.md (built from primitives) under jit. */
const COMPOSITES: [string, (...xs: Tensor[]) => Outs, (seed: number) => Tensor[]][] = [
  ['softmax', (x) => x.softmax(), (s) => [x23(s)]],
  ['logSoftmax', (x) => x.logSoftmax(0), (s) => [x23(s)]],
  ['logSumExp', (x) => x.logSumExp(1, true), (s) => [x23(s)]],
  ['moments', (x) => Object.values(x.moments(0)), (s) => [x23(s)]],
  ['mean', (x) => x.mean([0, 1]), (s) => [x23(s)]],
  [
    'dot',
    (a, b) => a.dot(b),
    (s) => [dl.randomNormal([3], { seed: s }), dl.randomNormal([3, 2], { seed: s + 1 })],
  ],
  ['stack/split', (a, b) => dl.split(dl.stack([a, b], 1), 2, 1), (s) => [x23(s), x23(s + 1)]],
  ['concat', (a, b) => dl.concat([a, b], 0), (s) => [x23(s), x23(s + 1)]],
  ['oneHot', (i) => dl.oneHot(i, 4), (s) => [dl.tensor([s % 4, (s + 1) % 4, 0], [3], 'int32')]],
  ['gelu tanh', (x) => x.gelu(true), (s) => [x23(s)]],
  [
    'conv1d',
    (x, f) => x.conv1d(f, { padding: 'same' }),
    (s) => [dl.randomNormal([2, 6, 2], { seed: s }), dl.randomNormal([3, 2, 4], { seed: s + 1 })],
  ],
  [
    'conv2d',
    (x, f) => x.conv2d(f, { strides: 2, padding: 'same' }),
    (s) => [img(s), dl.randomNormal([3, 3, 2, 3], { seed: s + 1 })],
  ],
  [
    'conv2dTranspose',
    (x, f) => x.conv2dTranspose(f, [1, 5, 5, 2], { strides: 2, padding: 'same' }),
    (s) => [dl.randomNormal([1, 3, 3, 3], { seed: s }), dl.randomNormal([3, 3, 2, 3], { seed: s + 1 })],
  ],
  ['maxPool/avgPool', (x) => [x.maxPool(2, 1, 'same'), x.avgPool(3, 2)], (s) => [img(s)]],
  ['seeded dropout', (x) => x.dropout(0.5, { seed: 5 }), (s) => [x23(s)]],
  ['where/clip', (x) => dl.where(x.greater(0), x, x.clipByValue(-0.5, 0.5)), (s) => [x23(s)]],
];

/** Sample ops whose first and second derivatives are compared under jit. */
const GRAD_OPS: [string, (x: Tensor) => Tensor][] = [
  ['tanh', (x) => x.tanh().sum()],
  [
    'softmax',
    (x) =>
      x
        .softmax()
        .mul(dl.tensor([1, 2, 3]))
        .sum(),
  ],
  ['matmul', (x) => x.matmul(x, { transposeB: true }).square().sum()],
  ['pow', (x) => x.abs().add(0.5).pow(2.5).sum()],
  ['logSumExp', (x) => x.logSumExp(1).sum()],
];

/** The jit-vs-eager suite on a backend. */
export function jitEquivalenceSuite(backend: 'cpu' | 'webgpu'): void {
  const tol = TOL[backend];
  describe(`jit equals eager on ${backend}`, () => {
    beforeAll(async () => {
      await dl.setBackend(backend);
    });

    it('for every primitive of the registry (trace, then replay on new values)', async () => {
      for (const p of dl.listPrimitives()) {
        const { inputs, attrs } = p.example();
        await jitMatchesEager(
          (...xs) => dl.runPrimitive(p.name, xs, attrs),
          () => [
            inputs.map((s, i) => exampleTensor(s, 3 + i)),
            inputs.map((s, i) => exampleTensor(s, 40 + i)),
          ],
          tol,
          p.name,
        );
      }
    });

    it('for the composite ops of the API', async () => {
      for (const [name, f, make] of COMPOSITES) await jitMatchesEager(f, () => [make(1), make(2)], tol, name);
    });

    it('for first and second derivatives', async () => {
      for (const [name, f] of GRAD_OPS) {
        const d1 = dl.grad(f);
        const d2 = dl.grad((x: Tensor) => d1(x).sum());
        await jitMatchesEager(
          (x) => [d1(x), d2(x)],
          () => [[x23(7)], [x23(8)]],
          tol * 10,
          `grad ${name}`,
        );
      }
    });
  });
}
