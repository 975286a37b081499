// @ts-check
// Case names, ratios and the printed table, shared by the page (case order, medians) and the Node runner.

/** @typedef {import('./src/types.ts').BenchReport} BenchReport */
/** @typedef {import('./src/types.ts').CaseResult} CaseResult */
/** @typedef {import('./src/types.ts').CaseId} CaseId */
/** @typedef {import('./src/types.ts').LibId} LibId */

/** @type {readonly LibId[]} */
export const ALL_LIBS = ['webdl', 'tfjs', 'jax'];

/** Rows in print order; the first-call case runs first for each library so its shaders are cold. */
/** @type {readonly CaseId[]} */
export const ALL_CASES = [
  'firstMatmul1024',
  'matmul256',
  'matmul512',
  'matmul1024',
  'conv2d',
  'chain',
  // Before any other MLP case, so each library compiles its step's kernels from cold (trace + compile).
  'firstMlpStepJit',
  'mlpStep',
  'cnnStep',
  'chainJit',
  'mlpStepJit',
  'cnnStepJit',
];

/** @type {Record<CaseId, string>} */
export const CASE_LABELS = {
  firstMatmul1024: 'first call matmul 1024 (ms)',
  matmul256: 'matmul 256 (GFLOP/s)',
  matmul512: 'matmul 512 (GFLOP/s)',
  matmul1024: 'matmul 1024 (GFLOP/s)',
  conv2d: 'conv2d 64x28x28x32->64 3x3 (ms)',
  chain: 'sigmoid(relu(x*a+b))*c 2^20 (ms)',
  mlpStep: 'MLP 784-128-128-10 step b128 (ms)',
  cnnStep: 'CNN step b64 (ms)',
  chainJit: 'jit sigmoid(relu(x*a+b))*c 2^20 (ms)',
  mlpStepJit: 'jit MLP 784-128-128-10 step b128 (ms)',
  cnnStepJit: 'jit CNN step b64 (ms)',
  firstMlpStepJit: 'model creation to end of first compiled MLP step (ms)',
};

const LIB_NAMES = { webdl: 'webdl', tfjs: 'tfjs', jax: 'jax-js' };

/** Matrix size of a throughput case, or 0 for the cases reported in milliseconds. */
/** @param {CaseId} id */
export function matmulSize(id) {
  return id === 'matmul256' ? 256 : id === 'matmul512' ? 512 : id === 'matmul1024' ? 1024 : 0;
}

/**
 * The median of a non-empty list.
 * @param {readonly number[]} values
 * @example median([3, 1, 2, 10]) // 2.5
 */
export function median(values) {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * The per-round time ratios peer / webdl of an interleaved case: one for each round in which
 * both took a sample. Null where either result was not timed round-robin (no `rounds`).
 * @param {CaseResult & { status: 'ok' }} ours
 * @param {CaseResult & { status: 'ok' }} peer
 * @returns {number[] | null}
 * @example
 * // webdl samplesMs [10, 20] in rounds [0, 1]; the peer's [30, 30] in rounds [0, 1]
 * roundRatios(webdlResult, peerResult) // [3, 1.5]
 */
export function roundRatios(ours, peer) {
  if (!ours.rounds || !peer.rounds) return null;
  /** @type {Map<number, number>} */
  const byRound = new Map();
  ours.rounds.forEach((round, i) => byRound.set(round, ours.samplesMs[i]));
  /** @type {number[]} */
  const ratios = [];
  peer.rounds.forEach((round, i) => {
    const mine = byRound.get(round);
    if (mine !== undefined && mine > 0) ratios.push(peer.samplesMs[i] / mine);
  });
  return ratios;
}

/**
 * @typedef {object} Row
 * @property {CaseId} id
 * @property {string} label
 * @property {'GFLOP/s' | 'ms'} unit
 * @property {Record<LibId, number | null>} values  GFLOP/s or ms; null where there is no valid number
 * @property {Record<LibId, number | null>} peakFraction  matmul only: GFLOP/s over the FMA peak
 * @property {Record<LibId, string>} cells  what the table prints
 * @property {boolean} interleaved  the samples of the libraries were taken round-robin
 * @property {number | null} vsTfjs  ratio of the medians, TensorFlow.js / webdl (>1: webdl is faster)
 * @property {number | null} vsJax  ratio of the medians, jax-js / webdl
 * @property {number | null} vsTfjsRounds  median of the per-round ratios TensorFlow.js / webdl (interleaved cases)
 * @property {number | null} vsJaxRounds  median of the per-round ratios jax-js / webdl
 */

/** @param {number} v */
function fmt(v) {
  if (v >= 100) return v.toFixed(0);
  if (v >= 10) return v.toFixed(1);
  if (v >= 1) return v.toFixed(2);
  return v.toPrecision(2);
}

/**
 * @param {CaseResult | undefined} r
 * @returns {string}
 */
function failureCell(r) {
  if (!r) return '-';
  if (r.status === 'notYet') return 'not yet';
  if (r.status === 'skipped') return 'skipped';
  if (r.status === 'error') {
    const short = r.message.length > 32 ? `${r.message.slice(0, 31)}…` : r.message;
    return `n/a (error: ${short})`;
  }
  return '';
}

/**
 * Turns the page's report into table rows with ratios.
 * @param {BenchReport} report
 */
export function summarize(report) {
  const peak = report.fmaPeakGflops;
  /** @type {Row[]} */
  const rows = [];
  for (const id of ALL_CASES) {
    const byLib = report.results[id] ?? {};
    if (!ALL_LIBS.some((lib) => byLib[lib])) continue;
    const n = matmulSize(id);
    /** @type {Row} */
    const row = {
      id,
      label: CASE_LABELS[id],
      unit: n ? 'GFLOP/s' : 'ms',
      values: { webdl: null, tfjs: null, jax: null },
      peakFraction: { webdl: null, tfjs: null, jax: null },
      cells: { webdl: '', tfjs: '', jax: '' },
      interleaved: ALL_LIBS.some((lib) => {
        const r = byLib[lib];
        return r?.status === 'ok' && r.rounds !== undefined;
      }),
      vsTfjs: null,
      vsJax: null,
      vsTfjsRounds: null,
      vsJaxRounds: null,
    };
    /** @type {Record<LibId, number | null>} */
    const ms = { webdl: null, tfjs: null, jax: null };
    /** @type {Partial<Record<LibId, CaseResult & { status: 'ok' }>>} */
    const valid = {};
    for (const lib of ALL_LIBS) {
      const r = byLib[lib];
      if (!r || r.status !== 'ok') {
        row.cells[lib] = failureCell(r);
        continue;
      }
      if (r.mismatch) {
        row.cells[lib] = `WRONG (${r.mismatch.slice(0, 30)})`;
        continue;
      }
      ms[lib] = r.medianMs;
      valid[lib] = r;
      if (n) {
        const gflops = (2 * n ** 3) / (r.medianMs * 1e6);
        row.values[lib] = gflops;
        row.peakFraction[lib] = peak ? gflops / peak : null;
        row.cells[lib] = peak ? `${fmt(gflops)} (${((100 * gflops) / peak).toFixed(1)}%)` : fmt(gflops);
      } else {
        row.values[lib] = r.medianMs;
        row.cells[lib] = fmt(r.medianMs);
      }
    }
    // Time ratios, so the figure reads "webdl is this many times faster" for every unit.
    const ours = ms.webdl;
    row.vsTfjs = ours && ms.tfjs ? ms.tfjs / ours : null;
    row.vsJax = ours && ms.jax ? ms.jax / ours : null;
    /** @param {LibId} lib */
    const perRound = (lib) => {
      const mine = valid.webdl;
      const theirs = valid[lib];
      const ratios = mine && theirs ? roundRatios(mine, theirs) : null;
      return ratios && ratios.length > 0 ? median(ratios) : null;
    };
    row.vsTfjsRounds = perRound('tfjs');
    row.vsJaxRounds = perRound('jax');
    rows.push(row);
  }
  return { report, rows };
}

/**
 * The printed table (aligned text) with the adapter, the peak and full error messages below it.
 * @param {ReturnType<typeof summarize>} summary
 */
export function formatTable({ report, rows }) {
  /** @param {number | null} r */
  const ratio = (r) => (r === null ? '-' : `${r.toFixed(2)}x`);
  /** @param {Row} row @param {number | null} r @param {number | null} ofMedians */
  const perRound = (row, r, ofMedians) => (row.interleaved ? ratio(r) : ofMedians === null ? '-' : 'seq');
  const header = ['case', 'webdl', 'tfjs', 'jax-js', 'webdl/tfjs', '(medians)', 'webdl/jax', '(medians)'];
  const body = rows.map((row) => [
    row.label,
    row.cells.webdl,
    row.cells.tfjs,
    row.cells.jax,
    perRound(row, row.vsTfjsRounds, row.vsTfjs),
    ratio(row.vsTfjs),
    perRound(row, row.vsJaxRounds, row.vsJax),
    ratio(row.vsJax),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  /** @param {string[]} cells */
  const line = (cells) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  const out = [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)];

  const a = report.adapter;
  out.push('');
  out.push(`adapter: ${a ? `${a.vendor} / ${a.architecture} ${a.description}`.trim() : 'none'}`);
  const peak = report.fmaPeakGflops;
  out.push(
    `FMA peak: ${peak ? `${fmt(peak)} GFLOP/s` : 'n/a'} (WGSL, 8 independent fma chains per invocation; ${report.fmaDetail})`,
  );
  out.push(
    'matmul cells: GFLOP/s (share of FMA peak); other cells: median ms; first call: one call incl. shader compile',
  );
  out.push(
    'timing: per case, every library is built and warmed up, then the timed samples are interleaved round-robin',
    '  (one sample of each library per round, the first library rotating), each ending with its own readback',
    'webdl/tfjs, webdl/jax: median of the per-round ratios (round r: peer sample r / webdl sample r), which',
    '  cancels the machine drifting between rounds: the figure to quote; >1 means webdl is faster',
    '(medians): ratio of the medians, median peer time / median webdl time',
    "seq: timed sequentially, one library after another (first calls: one measurement each); quote '(medians)'",
  );
  for (const lib of ALL_LIBS) out.push(`${LIB_NAMES[lib]}: ${report.libraries[lib].description}`);
  /** @type {Set<string>} */
  const notes = new Set();
  for (const id of ALL_CASES) {
    for (const lib of ALL_LIBS) {
      const r = report.results[id]?.[lib];
      if (r && r.status !== 'ok' && r.status !== 'skipped') notes.add(`${LIB_NAMES[lib]}: ${r.message}`);
      if (r && r.status === 'ok' && r.mismatch)
        notes.add(`${LIB_NAMES[lib]} ${id} output wrong: ${r.mismatch}`);
    }
  }
  /** @param {string} n */
  const clip = (n) => (n.length > 300 ? `${n.slice(0, 299)}… (full text in the JSON)` : n);
  if (notes.size > 0) out.push('', 'notes:', ...[...notes].map((n) => `  ${clip(n)}`));
  return out.join('\n');
}
