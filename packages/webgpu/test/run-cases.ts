// Runs op cases on the CPU reference and on WebGPU through core's public API and compares the results.
import * as core from '@webdl/core';
import type { Tensor, TypedArray } from '@webdl/core';
import { describe, it } from 'vitest';
import { expectClose, values } from './compare.js';
import { ENGINE } from '@webdl/core';
import { WebGPUBackend } from '@webdl/webgpu';
import { OP_CASES, type InputSpec, type OpCase } from './op-cases.js';
import { NN_CASES } from './op-cases-nn.js';

function makeInput(spec: InputSpec, seed: number): Tensor {
  const n = spec.shape.reduce((a, b) => a * b, 1);
  const raw = spec.values ?? values(n, seed, spec.lo ?? -1, spec.hi ?? 1);
  const dtype = spec.dtype ?? 'float32';
  if (dtype === 'bool')
    return core.tensor(
      Uint8Array.from(raw, (v) => (v > 0 ? 1 : 0)),
      spec.shape,
      'bool',
    );
  if (dtype === 'int32')
    return core.tensor(
      Int32Array.from(raw, (v) => Math.floor(v)),
      spec.shape,
      'int32',
    );
  return core.tensor(Float32Array.from(raw), spec.shape, 'float32');
}

/** Runs one case on the named backend and returns every output's dtype, shape and values. */
async function runOn(
  backend: string,
  c: OpCase,
  seed: number,
): Promise<{ dtype: string; shape: number[]; data: TypedArray }[]> {
  await core.setBackend(backend);
  const inputs = c.inputs.map((s, i) => makeInput(s, seed + i));
  const outs = core.tidy(() => {
    const r = c.run(inputs);
    return Array.isArray(r) ? r : [r];
  });
  const result = [];
  for (const t of outs) result.push({ dtype: t.dtype, shape: [...t.shape], data: await t.data() });
  core.dispose([...inputs, ...outs]);
  return result;
}

/**
 * Declares every case on 'webgpu' (kernel variants picked from the adapter) and the families with
 * variants (matmul, convolution, reductions) again with the other variant forced, so both the
 * GPU-tuned and the CPU-adapter kernels are checked on any machine.
 */
export function describeAllCases(): void {
  const families = { ...OP_CASES, ...NN_CASES };
  for (const [family, cases] of Object.entries(families)) describeCases(family, cases);
  for (const kernels of ['gpu', 'cpu'] as const) {
    const name = `webgpu-${kernels}-kernels`;
    ENGINE.registerBackend(name, () => WebGPUBackend.create({ kernels }), 0);
    for (const family of ['matmul', 'conv', 'reduce']) describeCases(family, families[family], name);
  }
}

/** Declares one `it` per case, comparing the backend (default 'webgpu') with the CPU reference. */
export function describeCases(family: string, cases: readonly OpCase[], backend = 'webgpu'): void {
  describe(backend === 'webgpu' ? family : `${family} on ${backend}`, () => {
    cases.forEach((c, k) => {
      it(c.name, async () => {
        const seed = 1000 + k * 17;
        const want = await runOn('cpu', c, seed);
        const got = await runOn(backend, c, seed);
        if (got.length !== want.length)
          throw new Error(`${c.name}: ${got.length} outputs, CPU gives ${want.length}`);
        got.forEach((g, i) => {
          const w = want[i];
          const label = `${c.name} output ${i}`;
          if (g.dtype !== w.dtype || g.shape.join() !== w.shape.join()) {
            throw new Error(
              `${label}: ${g.dtype} [${g.shape}] on ${backend}, ${w.dtype} [${w.shape}] on cpu`,
            );
          }
          expectClose(label, g.data, w.data, c.tol);
        });
      });
    });
  });
}
