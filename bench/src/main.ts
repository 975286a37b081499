// The benchmark page: measures the FMA peak, then runs every case for each library and reports to the runner.
import { ALL_CASES, matmulSize } from '../report.mjs';
import { checkChain, checkConv, checkLoss, checkMatmul, CONV, trainBatch, uniform } from './data.ts';
import { measureFmaPeak } from './fma.ts';
import { importReason } from './import-reason.ts';
import {
  FULL_PLAN,
  QUICK_PLAN,
  median,
  timeRunner,
  withTimeout,
  type PriorCall,
  type TimingPlan,
} from './timing.ts';
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
  type Runner,
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

/** Shared inputs, generated once so every library sees the same values. */
function makeInputs() {
  const cache = new Map<number, { a: F32; b: F32 }>();
  const matmul = (n: number) => {
    if (!cache.has(n)) cache.set(n, { a: uniform(n * n, n + 1), b: uniform(n * n, n + 2) });
    return cache.get(n) as { a: F32; b: F32 };
  };
  const conv = {
    x: uniform(CONV.n * CONV.h * CONV.w * CONV.cin, 31),
    w: uniform(CONV.k * CONV.k * CONV.cin * CONV.cout, 32, -0.1, 0.1),
  };
  const chainSize = 1 << 20;
  const chain = [41, 42, 43, 44].map((seed) => uniform(chainSize, seed));
  // The MLP step uses batch 128 (issue 5); the CNN step batch 64, to keep its run time on SwiftShader sane.
  const mlpBatch = trainBatch(128, 51);
  const cnnBatch = trainBatch(64, 52);
  return { matmul, conv, chain, mlpBatch, cnnBatch };
}

type Inputs = ReturnType<typeof makeInputs>;

/** Builds the runner of `id` for `lib` and the reference check of its output. */
async function prepare(
  lib: Library,
  id: CaseId,
  inputs: Inputs,
): Promise<{ runner: Runner; check: (out: F32 | number) => string | null }> {
  const asArray = (out: F32 | number, runner: Runner): F32 => {
    if (typeof out === 'number') throw new Error('expected an array output');
    return runner.canonical ? runner.canonical(out) : out;
  };
  switch (id) {
    case 'firstMatmul1024':
    case 'matmul256':
    case 'matmul512':
    case 'matmul1024': {
      const n = matmulSize(id) || 1024;
      const { a, b } = inputs.matmul(n);
      const runner = await lib.matmul(n, a, b);
      return { runner, check: (out) => checkMatmul(n, a, b, asArray(out, runner)) };
    }
    case 'conv2d': {
      const runner = await lib.conv2d(inputs.conv.x, inputs.conv.w);
      return { runner, check: (out) => checkConv(inputs.conv.x, inputs.conv.w, asArray(out, runner)) };
    }
    case 'chain': {
      const [x, a, b, c] = inputs.chain;
      const runner = await lib.chain(x, a, b, c);
      return { runner, check: (out) => checkChain(x, a, b, c, asArray(out, runner)) };
    }
    case 'chainJit': {
      const [x, a, b, c] = inputs.chain;
      if (!lib.chainJit) throw new Error('no jit');
      const runner = await lib.chainJit(x, a, b, c);
      return { runner, check: (out) => checkChain(x, a, b, c, asArray(out, runner)) };
    }
    case 'mlpStep':
    case 'cnnStep':
    case 'mlpStepJit':
    case 'cnnStepJit':
    case 'firstMlpStepJit': {
      const jitted = id !== 'mlpStep' && id !== 'cnnStep';
      const runner = await (id === 'cnnStep' || id === 'cnnStepJit'
        ? lib.cnnStep(inputs.cnnBatch, jitted)
        : lib.mlpStep(inputs.mlpBatch, jitted));
      return {
        runner,
        check: (out) => (typeof out === 'number' ? checkLoss(out) : 'expected a loss'),
      };
    }
  }
}

/**
 * Runs one case for one library. `firstMatmul1024` times the first call on a fresh runner; when
 * `matmul1024` is also wanted, the same runner then goes on to time it (the first call counting as
 * its first warm-up), so both results come back.
 */
async function runCase(
  lib: Library,
  id: CaseId,
  inputs: Inputs,
  plan: TimingPlan,
  alsoMatmul1024: boolean,
): Promise<Partial<Record<CaseId, CaseResult>>> {
  const tCreate = performance.now();
  const { runner, check } = await prepare(lib, id, inputs);
  try {
    let prior: PriorCall | undefined;
    const results: Partial<Record<CaseId, CaseResult>> = {};
    if (id === 'firstMlpStepJit') {
      // From model creation to the end of the first step that ran compiled (a library whose first
      // jitted call compiles and runs compiled stops after one; one that traces first, later).
      let calls = 0;
      let output: F32 | number;
      do {
        output = await runner.step(1);
        calls++;
      } while (runner.ranCompiled && !runner.ranCompiled() && calls < 5);
      const ms = performance.now() - tCreate;
      const late = runner.ranCompiled && !runner.ranCompiled() ? `not compiled after ${calls} calls` : null;
      const mismatch = (late ?? check(output)) || undefined;
      results[id] = { status: 'ok', medianMs: ms, samplesMs: [ms], reps: calls, mismatch };
      return results;
    }
    if (id === 'firstMatmul1024') {
      const t0 = performance.now();
      const output = await runner.step(1);
      const ms = performance.now() - t0;
      const mismatch = check(output) ?? undefined;
      results[id] = { status: 'ok', medianMs: ms, samplesMs: [ms], reps: 1, mismatch };
      if (!alsoMatmul1024) return results;
      prior = { ms, output };
    }
    const timing = await timeRunner(runner, plan, prior);
    const mismatch = check(timing.firstOutput) ?? undefined;
    const { firstOutput: first, lastOutput: last } = timing;
    // A loss that moves shows the step really trains (and is not, say, reading stale values).
    const loss = typeof first === 'number' && typeof last === 'number' ? { first, last } : undefined;
    results[prior ? 'matmul1024' : id] = {
      status: 'ok',
      medianMs: median(timing.samplesMs),
      samplesMs: timing.samplesMs,
      reps: timing.reps,
      mismatch,
      loss,
    };
    return results;
  } finally {
    await runner.dispose();
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
  const active: { lib: Library; abandoned: string }[] = [];
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
  // matmul1024 is timed on the runner of the first-call case when both are wanted (one call fewer).
  const combined = cases.includes('firstMatmul1024') && cases.includes('matmul1024');
  for (const id of cases) {
    if (combined && id === 'matmul1024') continue;
    for (const entry of active) {
      const libId = entry.lib.id;
      const ids: CaseId[] = combined && id === 'firstMatmul1024' ? [id, 'matmul1024'] : [id];
      if (entry.abandoned) {
        for (const each of ids) record(libId, each, { status: 'skipped', message: entry.abandoned });
        continue;
      }
      if (JIT_CASES.includes(id) && !entry.lib.chainJit) {
        record(libId, id, { status: 'skipped', message: `${libId} has no jit` });
        continue;
      }
      try {
        const run = runCase(entry.lib, id, inputs, plan, combined);
        const results = await withTimeout(run, options.caseTimeoutMs * ids.length, `${libId} ${id}`);
        for (const each of ids) {
          record(libId, each, results[each] ?? { status: 'error', message: 'no result' });
        }
      } catch (error) {
        const message = errorMessage(error);
        const notYet =
          error instanceof NotYetError || (error instanceof Error && error.name === 'NotYetError');
        for (const each of ids) record(libId, each, { status: notYet ? 'notYet' : 'error', message });
        // A timed-out case may still occupy the GPU queue; later timings of this library would be wrong.
        if (!notYet && /timed out/.test(message)) entry.abandoned = `after ${id} timed out`;
      }
    }
  }
  if (!options.quick) await measurePeak('after');
  report.totalSeconds = (performance.now() - started) / 1000;
  return report;
};

log('page ready');
