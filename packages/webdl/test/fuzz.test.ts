// The differential op fuzzer in CI: a seeded budget of random calls of every registry primitive on the
// CPU reference, WebGPU and TF.js (every primitive TF.js has); gradients against float64 central differences.
// `npm run fuzz -- --calls N --seed S` runs more (FUZZ_CALLS / FUZZ_SEED).
import '../../webgpu/test/node-gpu.js';
import { registerWebGPU } from '@webdl/webgpu';
import { describe, expect, it } from 'vitest';
import { runFuzz } from './fuzz/fuzzer.js';

registerWebGPU();
const calls = Number(process.env.FUZZ_CALLS ?? 2000);
const seed = Number(process.env.FUZZ_SEED ?? 1);
const webgpu = process.env.FUZZ_WEBGPU !== '0';

describe('differential op fuzzer', () => {
  it(`${calls} calls (seed ${seed}): WebGPU, TF.js and float64 central differences agree with the CPU reference`, async () => {
    const t0 = performance.now();
    const report = await runFuzz({ calls, seed, webgpu, tfjs: true });
    const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);
    const count = (b: string) => report.mismatches.filter((m) => m.backend.startsWith(b)).length;
    console.log(
      `fuzz: seed ${seed}, ${report.primitives} primitives, ${((performance.now() - t0) / 1000).toFixed(1)} s; ` +
        `calls ${JSON.stringify(report.calls)}; mismatches ${report.mismatches.length} ` +
        `(webgpu ${count('webgpu')}, tfjs ${count('tfjs')}, cpu ${count('cpu')}); ` +
        `TF.js disagreements decided by float64 for webdl: ${sum(report.tfjsWrong)}; ` +
        `gradient checks vs float64 central differences ${JSON.stringify(report.gradChecks)}`,
    );
    for (const [name, n] of Object.entries(report.tfjsWrong))
      console.log(`  TF.js wrong ${n}x: ${report.tfjsWrongExamples[name]}`);
    for (const [name, { count: n, example }] of Object.entries(report.undecided))
      console.log(`  undecided ${n}x: ${name}: ${example}`);
    for (const [name, why] of Object.entries(report.unmapped)) console.log(`  not on TF.js: ${name}: ${why}`);
    for (const [name, { count: n, message }] of Object.entries(report.tfjsRefused))
      console.log(`  TF.js refused ${n}x: ${name}: ${message}`);
    for (const [name, why] of Object.entries(report.gradientsRefused))
      console.log(`  gradient refused: ${name}: ${why}`);
    for (const m of report.mismatches.slice(0, 40)) console.log(`  ${m.backend}: ${m.what}`);
    expect(report.calls.webgpu).toBe(webgpu ? calls : 0);
    expect(report.mismatches).toEqual([]);
  }, 600_000);
});
