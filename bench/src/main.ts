// The benchmark page: measures the FMA peak, then runs every case across the libraries and reports to the runner.
import { ALL_CASES, matmulSize, median, roundRatios } from '../report.mjs';
import { makeInputs, prepare, type Built, type Inputs } from './cases.ts';
import { measureFmaPeak } from './fma.ts';
import { importReason } from './import-reason.ts';
import { timeInterleaved } from './interleave.ts';
import { FULL_PLAN, QUICK_PLAN, TimeoutError, withTimeout, type TimingPlan } from './timing.ts';
import {
  JIT_CASES,
  NotYetError,
  type AdapterSummary,
  type BenchOptions,
  type BenchReport,
  type CaseId,
  type CaseResult,
  type F32,
  type LibId,
  type Library,
} from './types.ts';

/** Prints a progress line; the runner forwards lines starting with `[bench]` to the terminal. */
function log(message: string): void {
  console.log(`[bench] ${message}`);
  const pre = document.getElementById('log');
  if (pre) pre.textContent += `${message}\n`;
}

/** An error's message on one line (WGSL compile errors span several). */
function errorMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.trim().replace(/\s*\n\s*/g, ' | ');
}

async function adapterSummary(adapter: GPUAdapter): Promise<AdapterSummary> {
  const info = adapter.info;
  return {
    vendor: info.vendor,
    architecture: info.architecture,
    device: info.device,
    description: info.description,
    isFallbackAdapter: (info as GPUAdapterInfo & { isFallbackAdapter?: boolean }).isFallbackAdapter ?? false,
    features: [...adapter.features].sort(),
  };
}

window.probeAdapter = async () => {
  const adapter = await navigator.gpu?.requestAdapter();
  return adapter ? adapterSummary(adapter) : null;
};

/**
 * Loads one library's adapter module (src/lib-<id>.ts, exporting a Library named after its id). The
 * import is by URL, so no module imports another library's types: tfjs's declarations pull in an
 * older @webgpu/types than webdl's sources, and each adapter type-checks on its own (see tsconfig*.json).
 * The webdl adapter may fail to load while its packages are being written.
 */
async function loadLibrary(id: LibId): Promise<Library> {
  const url = new URL(`./lib-${id}.ts`, import.meta.url).href;
  let module: Partial<Record<LibId, Library>>;
  try {
    module = (await import(/* @vite-ignore */ url)) as Partial<Record<LibId, Library>>;
  } catch (error) {
    throw new Error(await importReason(url, error));
  }
  const lib = module[id];
  if (!lib) throw new Error(`${url} does not export '${id}'`);
  return lib;
}

/** A library taking part in the run; `abandoned` says why it sits out the remaining cases. */
interface Entry {
  lib: Library;
  abandoned: string;
}

/** The result a failed case records: 'notYet' where a part is missing, else 'error'. */
function failure(error: unknown): CaseResult {
  const message = errorMessage(error);
  const notYet = error instanceof NotYetError || (error instanceof Error && error.name === 'NotYetError');
  return { status: notYet ? 'notYet' : 'error', message };
}

/**
 * Whether `error` is a timeout: the call may still occupy the GPU queue, so later timings of that
 * library would be wrong.
 */
function isTimeout(error: unknown): boolean {
  return error instanceof TimeoutError || /timed out/.test(errorMessage(error));
}

/**
 * Times the first call of a fresh runner (one measurement, no samples). `firstMlpStepJit` runs
 * from model creation to the end of the first step that ran compiled (a library whose first
 * jitted call compiles and runs compiled stops after one; one that traces first, later).
 */
async function timeFirstCall(lib: Library, id: CaseId, inputs: Inputs): Promise<CaseResult> {
  const tCreate = performance.now();
  const { runner, check } = await prepare(lib, id, inputs);
  try {
    const t0 = id === 'firstMlpStepJit' ? tCreate : performance.now();
    let calls = 0;
    let output: F32 | number;
    do {
      output = await runner.step(1);
      calls++;
    } while (id === 'firstMlpStepJit' && runner.ranCompiled && !runner.ranCompiled() && calls < 5);
    const ms = performance.now() - t0;
    const compiled = id !== 'firstMlpStepJit' || !runner.ranCompiled || runner.ranCompiled();
    const late = compiled ? null : `not compiled after ${calls} calls`;
    const mismatch = (late ?? check(output)) || undefined;
    return { status: 'ok', medianMs: ms, samplesMs: [ms], reps: calls, mismatch };
  } finally {
    // Before the next library's first call: its time is its own.
    await runner.settle?.();
    await runner.dispose();
  }
}

/** What a case needs besides the libraries. */
interface CaseContext {
  inputs: Inputs;
  plan: TimingPlan;
  caseTimeoutMs: number;
  record(libId: LibId, id: CaseId, result: CaseResult): void;
}

/** The first-call cases, one library after another (each is a single measurement). */
async function runSequential(entries: Entry[], id: CaseId, ctx: CaseContext): Promise<void> {
  for (const entry of entries) {
    const libId = entry.lib.id;
    try {
      const run = timeFirstCall(entry.lib, id, ctx.inputs);
      ctx.record(libId, id, await withTimeout(run, ctx.caseTimeoutMs, `${libId} ${id}`));
    } catch (error) {
      ctx.record(libId, id, failure(error));
      if (isTimeout(error)) entry.abandoned = `after ${id} timed out`;
    }
  }
}

/**
 * A timed case with the samples of all libraries interleaved round-robin (timeInterleaved). With
 * `firstMatmul1024` the case also times matmul 1024: each library's first call on its fresh
 * runner (taken while building it, so one library after another) is the first-call result and
 * the first warm-up of the matmul 1024 runner.
 */
async function runInterleaved(entries: Entry[], id: CaseId, ctx: CaseContext): Promise<void> {
  const withFirst = id === 'firstMatmul1024';
  const timedId: CaseId = withFirst ? 'matmul1024' : id;
  const firsts = new Map<LibId, CaseResult>();
  const checks = new Map<LibId, Built['check']>();
  const entrants = entries.map((entry) => {
    const libId = entry.lib.id;
    return {
      lib: libId,
      what: `${libId} ${id}`,
      timeoutMs: ctx.caseTimeoutMs * (withFirst ? 2 : 1),
      prepare: async () => {
        const built = await prepare(entry.lib, id, ctx.inputs);
        checks.set(libId, built.check);
        if (!withFirst) return built;
        const t0 = performance.now();
        const output = await built.runner.step(1);
        const ms = performance.now() - t0;
        const mismatch = built.check(output) ?? undefined;
        firsts.set(libId, { status: 'ok', medianMs: ms, samplesMs: [ms], reps: 1, mismatch });
        return { ...built, prior: { ms, output } };
      },
    };
  });
  const outcomes = await timeInterleaved(entrants, ctx.plan, performance);
  const timed = new Map<LibId, CaseResult & { status: 'ok' }>();
  for (const entry of entries) {
    const libId = entry.lib.id;
    const outcome = outcomes.get(libId);
    if (!outcome) continue;
    const failed = outcome.ok ? undefined : failure(outcome.error);
    if (withFirst) ctx.record(libId, id, firsts.get(libId) ?? (failed as CaseResult));
    if (!outcome.ok) {
      ctx.record(libId, timedId, failed as CaseResult);
      if (isTimeout(outcome.error)) entry.abandoned = `after ${id} timed out`;
      continue;
    }
    const { samplesMs, rounds, reps, firstOutput: first, lastOutput: last } = outcome.timing;
    const check = checks.get(libId) as Built['check'];
    // A loss that moves shows the step really trains (and is not, say, reading stale values).
    const loss = typeof first === 'number' && typeof last === 'number' ? { first, last } : undefined;
    const mismatch = check(first) ?? undefined;
    const result: CaseResult = {
      status: 'ok',
      medianMs: median(samplesMs),
      samplesMs,
      rounds,
      reps,
      mismatch,
      loss,
    };
    ctx.record(libId, timedId, result);
    timed.set(libId, result);
  }
  const ours = timed.get('webdl');
  for (const [libId, theirs] of timed) {
    const ratios = ours && libId !== 'webdl' ? roundRatios(ours, theirs) : null;
    if (!ratios?.length) continue;
    const [low, high] = [Math.min(...ratios), Math.max(...ratios)].map((r) => r.toFixed(2));
    log(
      `${timedId} webdl/${libId}: ${median(ratios).toFixed(2)}x per round (${low}-${high}x over ${ratios.length})`,
    );
  }
}

function describeResult(id: CaseId, r: CaseResult): string {
  if (r.status !== 'ok') return `${r.status}: ${r.message}`;
  const n = matmulSize(id);
  const rate = n ? `, ${((2 * n ** 3) / (r.medianMs * 1e6)).toFixed(3)} GFLOP/s` : '';
  const flag =
    (r.mismatch ? ` MISMATCH ${r.mismatch}` : '') +
    (r.loss ? `, loss ${r.loss.first.toFixed(4)} -> ${r.loss.last.toFixed(4)}` : '');
  return `${r.medianMs.toFixed(2)} ms${rate} (${r.samplesMs.length} samples x ${r.reps})${flag}`;
}

window.runBench = async (options: BenchOptions) => {
  const started = performance.now();
  const plan = options.quick ? QUICK_PLAN : FULL_PLAN;
  const cases = ALL_CASES.filter((c) => options.cases.includes(c));
  const report: BenchReport = {
    userAgent: navigator.userAgent,
    quick: options.quick,
    adapter: null,
    fmaPeakGflops: null,
    fmaDetail: '',
    libraries: {
      webdl: { description: 'not run' },
      tfjs: { description: 'not run' },
      jax: { description: 'not run' },
    },
    results: Object.fromEntries(ALL_CASES.map((c) => [c, {}])) as BenchReport['results'],
    startedAt: new Date().toISOString(),
    totalSeconds: 0,
  };

  const adapter = await navigator.gpu?.requestAdapter();
  if (!adapter) throw new Error('navigator.gpu.requestAdapter() gave no adapter: WebGPU is unavailable');
  report.adapter = await adapterSummary(adapter);
  log(
    `adapter: ${report.adapter.vendor} / ${report.adapter.architecture} ${report.adapter.description}`.trim(),
  );
  // The peak is taken before the cases and, in a full run, again after them (a fresh adapter each
  // time: an adapter gives one device); the better figure counts, as other load on the machine
  // can only lower it.
  const peaks: string[] = [];
  const measurePeak = async (when: string): Promise<void> => {
    try {
      const fresh = await navigator.gpu.requestAdapter();
      if (!fresh) throw new Error('no adapter');
      const peak = await measureFmaPeak(fresh, options.quick);
      report.fmaPeakGflops = Math.max(report.fmaPeakGflops ?? 0, peak.gflops);
      peaks.push(`${when}: ${peak.detail}`);
      log(`FMA peak ${when}: ${peak.gflops.toFixed(2)} GFLOP/s (${peak.detail})`);
    } catch (error) {
      peaks.push(`${when}: failed: ${errorMessage(error)}`);
      log(`FMA peak ${when} failed: ${errorMessage(error)}`);
    }
    report.fmaDetail = peaks.join('; ');
  };
  await measurePeak('before');

  const inputs = makeInputs();
  const record = (libId: LibId, id: CaseId, result: CaseResult): void => {
    report.results[id][libId] = result;
    log(`${libId} ${id}: ${describeResult(id, result)}`);
    // The runner keeps these, so a crash later in the run still leaves the finished rows.
    console.log(`[bench:result] ${JSON.stringify({ lib: libId, case: id, result })}`);
  };

  // Start every library first, then run case by case across libraries, so that a slow drift of
  // the machine (other load, heat) does not favour whichever library ran first.
  const active: Entry[] = [];
  for (const libId of options.libs) {
    try {
      const lib = await loadLibrary(libId);
      report.libraries[libId].description = await withTimeout(lib.init(), options.caseTimeoutMs, 'init');
      log(`${libId}: ${report.libraries[libId].description}`);
      active.push({ lib, abandoned: '' });
    } catch (error) {
      const message = errorMessage(error);
      report.libraries[libId].description = `failed to start: ${message}`;
      for (const id of cases) record(libId, id, { status: 'error', message });
    }
  }
  // matmul1024 is timed on the runners of the first-call case when both are wanted (one call fewer).
  const combined = cases.includes('firstMatmul1024') && cases.includes('matmul1024');
  const ctx: CaseContext = { inputs, plan, caseTimeoutMs: options.caseTimeoutMs, record };
  for (const id of cases) {
    if (combined && id === 'matmul1024') continue;
    const entries = active.filter((entry) => {
      const libId = entry.lib.id;
      if (entry.abandoned) {
        const ids: CaseId[] = combined && id === 'firstMatmul1024' ? [id, 'matmul1024'] : [id];
        for (const each of ids) record(libId, each, { status: 'skipped', message: entry.abandoned });
        return false;
      }
      if (JIT_CASES.includes(id) && !entry.lib.chainJit) {
        record(libId, id, { status: 'skipped', message: `${libId} has no jit` });
        return false;
      }
      return true;
    });
    const sequential = id === 'firstMlpStepJit' || (id === 'firstMatmul1024' && !combined);
    await (sequential ? runSequential(entries, id, ctx) : runInterleaved(entries, id, ctx));
  }
  if (!options.quick) await measurePeak('after');
  report.totalSeconds = (performance.now() - started) / 1000;
  return report;
};

log('page ready');
