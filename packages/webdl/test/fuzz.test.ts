// The differential op fuzzer in CI: a seeded budget of random calls of every registry primitive,
// WebGPU vs the CPU reference (values and gradients) and TF.js vs the CPU reference.
// `npm run fuzz -- --calls N --seed S` runs more (FUZZ_CALLS / FUZZ_SEED).
import '../../webgpu/test/node-gpu.js';
import { registerWebGPU } from '@webdl/webgpu';
import { describe, expect, it } from 'vitest';
import { runFuzz } from './fuzz/fuzzer.js';

registerWebGPU();
const calls = Number(process.env.FUZZ_CALLS ?? 2000);
const seed = Number(process.env.FUZZ_SEED ?? 1);

describe('differential op fuzzer', () => {
  it(`${calls} calls (seed ${seed}): WebGPU and TF.js agree with the CPU reference`, async () => {
    const report = await runFuzz({ calls, seed, webgpu: true, tfjs: true });
    console.log(
      `fuzz: seed ${seed}, ${report.primitives} primitives; webgpu ${report.calls.webgpu} calls, ` +
        `tfjs ${report.calls.tfjs} calls; mismatches ${report.mismatches.length} ` +
        `(webgpu ${report.mismatches.filter((m) => m.backend === 'webgpu').length}, tfjs ${report.mismatches.filter((m) => m.backend === 'tfjs').length}); ` +
        `TF.js wrong (float64 sides with webdl): ${report.tfjsWrong}`,
    );
    for (const [name, why] of Object.entries(report.gradientsRefused))
      console.log(`  gradient refused: ${name}: ${why}`);
    for (const m of report.mismatches.slice(0, 40)) console.log(`  ${m.backend}: ${m.what}`);
    expect(report.calls.webgpu).toBeGreaterThanOrEqual(calls);
    expect(report.mismatches).toEqual([]);
  }, 600_000);
});
