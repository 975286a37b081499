// The bench table (bench/report.mjs): ratio of medians and median of per-round ratios, hand-computed.
import { describe, expect, it } from 'vitest';
import { formatTable, median, roundRatios, summarize } from '../report.mjs';
import type { BenchReport, CaseResult } from '../src/types.ts';

type Ok = CaseResult & { status: 'ok' };

function ok(samplesMs: number[], rounds?: number[]): Ok {
  return { status: 'ok', medianMs: median(samplesMs), samplesMs, reps: 1, rounds };
}

function report(results: Partial<BenchReport['results']>): BenchReport {
  const empty = Object.fromEntries(
    ['firstMatmul1024', 'matmul256', 'matmul512', 'matmul1024', 'conv2d', 'chain', 'mlpStep', 'cnnStep']
      .concat(['chainJit', 'mlpStepJit', 'cnnStepJit', 'firstMlpStepJit'])
      .map((id) => [id, {}]),
  );
  return {
    userAgent: 'test',
    quick: false,
    adapter: null,
    fmaPeakGflops: 10,
    fmaDetail: 'before: f32 10',
    libraries: { webdl: { description: 'w' }, tfjs: { description: 't' }, jax: { description: 'j' } },
    results: { ...empty, ...results } as BenchReport['results'],
    startedAt: '',
    totalSeconds: 1,
  };
}

describe('roundRatios', () => {
  it('pairs the samples of one round, skipping rounds only one library took', () => {
    const webdl = ok([10, 20, 12, 30], [0, 1, 2, 3]);
    expect(roundRatios(webdl, ok([60, 70], [0, 1]))).toEqual([6, 3.5]);
    expect(roundRatios(webdl, ok([30, 45], [2, 5]))).toEqual([2.5]);
    expect(roundRatios(webdl, ok([60, 70]))).toBeNull();
  });
});

describe('summarize and formatTable', () => {
  // The interleaved case of interleave.test.ts: webdl 10, 20, 12, 30 ms; tfjs 60, 70 (it stopped
  // after round 1); jax 25, 30, 30, 45.
  const chainJit = {
    webdl: ok([10, 20, 12, 30], [0, 1, 2, 3]),
    tfjs: ok([60, 70], [0, 1]),
    jax: ok([25, 30, 30, 45], [0, 1, 2, 3]),
  };
  const firstMlpStepJit = { webdl: ok([50]), jax: ok([60]) };

  it('gives both ratio kinds for an interleaved case', () => {
    const row = summarize(report({ chainJit })).rows[0];
    expect(row.interleaved).toBe(true);
    // Medians: webdl (12 + 20) / 2 = 16, tfjs 65, jax 30.
    expect(row.vsJax).toBeCloseTo(30 / 16, 12);
    expect(row.vsTfjs).toBeCloseTo(65 / 16, 12);
    // Per round: jax 2.5, 1.5, 2.5, 1.5 -> 2.0; tfjs 6, 3.5 -> 4.75.
    expect(row.vsJaxRounds).toBeCloseTo(2, 12);
    expect(row.vsTfjsRounds).toBeCloseTo(4.75, 12);
    // What run.mjs saves in bench-results/latest.json keeps both.
    expect(JSON.parse(JSON.stringify(row))).toMatchObject({ vsJax: 1.875, vsJaxRounds: 2 });
  });

  it('marks single-call cases as sequential, with the ratio of their times only', () => {
    const row = summarize(report({ firstMlpStepJit })).rows[0];
    expect(row).toMatchObject({ interleaved: false, vsJaxRounds: null, vsTfjs: null });
    expect(row.vsJax).toBeCloseTo(1.2, 12);
  });

  it('gives no ratio for a library that failed or read back a wrong output', () => {
    const failed: CaseResult = { status: 'error', message: 'tfjs lost its device' };
    const wrong = { ...ok([25, 30, 30, 45], [0, 1, 2, 3]), mismatch: 'index 3: 1 vs 2' };
    const row = summarize(report({ chainJit: { webdl: chainJit.webdl, tfjs: failed, jax: wrong } })).rows[0];
    expect(row).toMatchObject({ vsTfjs: null, vsTfjsRounds: null, vsJax: null, vsJaxRounds: null });
    expect(row.cells.tfjs).toBe('n/a (error: tfjs lost its device)');
    expect(row.cells.jax).toMatch(/^WRONG/);
  });

  it('prints the per-round ratio, then the ratio of medians, and says which is which', () => {
    const text = formatTable(summarize(report({ chainJit, firstMlpStepJit })));
    const lines = text.split('\n');
    expect(lines[0].split(/\s{2,}/)).toEqual([
      'case',
      'webdl',
      'tfjs',
      'jax-js',
      'webdl/tfjs',
      '(medians)',
      'webdl/jax',
      '(medians)',
    ]);
    // The first-step row comes first (report.mjs runs it before the other MLP cases, from cold).
    expect(lines[2].split(/\s{2,}/).slice(1)).toEqual(['50.0', '-', '60.0', '-', '-', 'seq', '1.20x']);
    expect(lines[3].split(/\s{2,}/).slice(1)).toEqual([
      '16.0',
      '65.0',
      '30.0',
      '4.75x',
      '4.06x',
      '2.00x',
      '1.88x',
    ]);
    expect(text).toContain('median of the per-round ratios');
    expect(text).toContain('interleaved round-robin');
    expect(text).toContain('(medians): ratio of the medians');
    expect(text).toContain('seq: timed sequentially');
  });
});
