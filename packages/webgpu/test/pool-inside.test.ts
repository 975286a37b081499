// Pooling whose windows lie inside the input (vec4 channel loads when C % 4 == 0) and the max-pool gradient that writes
// every window's taps, against the float64 CPU reference: the CNN step's shapes, gaps between windows, ties, NaN/-Inf.
import './node-gpu.js';
import * as core from '@webdl/core';
import type { Tensor } from '@webdl/core';
import { registerWebGPU, sizeClass } from '@webdl/webgpu';
import { describe, it } from 'vitest';
import { ACC, EXACT, F32, expectClose, values } from './compare.js';
import { describeCases } from './run-cases.js';
import type { InputSpec, OpCase } from './op-cases.js';

registerWebGPU();

const count = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
/** Values on a coarse grid (many ties inside a window), with `bad` written at the flat indices `at`. */
const coarse = (shape: number[], seed: number, at: number[] = [], bad = NaN): InputSpec => {
  const v = values(count(shape), seed).map((x) => Math.round(x * 2) / 2);
  for (const i of at) v[i] = bad;
  return { shape, values: v };
};

type Geometry = [string, number[], number | [number, number], number | [number, number]];
const GEOMETRIES: Geometry[] = [
  // The bench CNN's pools (batch 2): windows tiling the 26 x 26 input, and the 11 x 11 one leaving a row and column out.
  ['2x2 on 26x26x32 (windows tile the input)', [2, 26, 26, 32], 2, 2],
  ['2x2 on 11x11x64 (last row and column in no window)', [2, 11, 11, 64], 2, 2],
  ['3x3 stride 3 on 10x9x4', [1, 10, 9, 4], 3, 3],
  ['2x3 stride [2,3] on 8x9x3 (scalar channels)', [2, 8, 9, 3], [2, 3], [2, 3]],
  ['2x2 stride 3 on 9x8x8 (gaps between windows)', [1, 9, 8, 8], 2, 3],
  ['3x3 stride 1 on 7x7x4 (overlapping windows)', [1, 7, 7, 4], 3, 1],
];

const CASES: OpCase[] = [];
for (const [name, shape, size, strides] of GEOMETRIES) {
  for (const op of ['maxPool', 'avgPool'] as const) {
    const fn = (x: Tensor) => core[op](x, size, strides, 'valid');
    CASES.push({
      name: `${op} ${name}`,
      inputs: [coarse(shape, 1)],
      run: ([x]) => fn(x),
      tol: op === 'maxPool' ? EXACT : F32,
    });
  }
  CASES.push({
    name: `maxPool ${name} gradient (ties go to the first maximum)`,
    inputs: [coarse(shape, 2)],
    run: ([x]) =>
      core.grad((a: Tensor) => {
        const y = core.maxPool(a, size, strides, 'valid');
        return core.sum(y.mul(core.randomUniform(y.shape, { minval: -1, maxval: 1, seed: 3 })));
      })(x) as Tensor,
    tol: ACC,
  });
}

// [1, 6, 6, 4], 2x2 windows: a NaN at a window's first tap (element 0) and at a later tap (pixel (0, 3) channel 1 = 13),
// and one window all -Inf (pixels (2..3, 2..3), channel 2).
const minusInf = [2 * 6 + 2, 2 * 6 + 3, 3 * 6 + 2, 3 * 6 + 3].map((p) => p * 4 + 2);
const NONFINITE = [coarse([1, 6, 6, 4], 4, [0, 13]), coarse([1, 6, 6, 4], 5, minusInf, -Infinity)];
NONFINITE.forEach((input, k) => {
  const what = k === 0 ? 'NaN at first and later taps' : 'a window of -Inf';
  CASES.push(
    { name: `maxPool ${what}`, inputs: [input], run: ([x]) => core.maxPool(x, 2, 2, 'valid'), tol: EXACT },
    { name: `avgPool ${what}`, inputs: [input], run: ([x]) => core.avgPool(x, 2, 2, 'valid'), tol: F32 },
    {
      name: `maxPool gradient, ${what}`,
      inputs: [input],
      run: ([x]) => core.grad((a: Tensor) => core.sum(core.maxPool(a, 2, 2, 'valid').mul(2)))(x) as Tensor,
      tol: ACC,
    },
  );
});

describeCases('pooling with every window inside the input', CASES);

describe('max-pool gradient on a reused buffer', () => {
  it('zeroes the inputs outside every window even when the pooled output buffer holds NaN', async () => {
    const shape = [2, 11, 11, 64];
    const x = () => core.tensor(Float32Array.from(values(count(shape), 6)), shape);
    const dx = (t: Tensor) =>
      core.tidy(() => core.grad((a: Tensor) => core.sum(core.maxPool(a, 2, 2, 'valid')))(t) as Tensor);
    await core.setBackend('cpu');
    const cpuX = x();
    const want = await dx(cpuX).data();
    cpuX.dispose();
    await core.setBackend('webgpu');
    const stale = [0, 1, 2, 3].map(() => core.fill([sizeClass(4 * count(shape)) / 4], NaN));
    await Promise.all(stale.map((t) => t.data()));
    core.dispose(stale);
    const gpuX = x();
    const got = dx(gpuX);
    expectClose('dx', await got.data(), want, ACC);
    core.dispose([gpuX, got]);
  });
});
