// @ts-check
// Benchmark runner: serves bench/ with Vite on localhost, runs the page in headless Chromium, prints the table.
import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { createServer } from 'vite';
import { ALL_CASES, ALL_LIBS, CASE_LABELS, formatTable, summarize } from './report.mjs';

/** @typedef {import('./src/types.ts').BenchReport} BenchReport */
/** @typedef {import('./src/types.ts').AdapterSummary} AdapterSummary */
/** @typedef {import('./src/types.ts').CaseResult} CaseResult */
/** @typedef {import('./src/types.ts').CaseId} CaseId */
/** @typedef {import('./src/types.ts').LibId} LibId */
/** @typedef {import('./src/types.ts').BenchOptions} BenchOptions */

const benchDir = fileURLToPath(new URL('.', import.meta.url));
const resultsDir = fileURLToPath(new URL('../bench-results/', import.meta.url));

/** Always passed: quiet, reproducible headless Chromium. */
const BASE_ARGS = [
  '--no-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
/** Only where no real GPU adapter exists: WebGPU on SwiftShader, Chromium's software Vulkan. */
const SWIFTSHADER_ARGS = ['--enable-unsafe-webgpu', '--use-webgpu-adapter=swiftshader'];

const env = process.env;
const quick = env.BENCH_QUICK === '1' || env.BENCH_QUICK === 'true';
const chromePath = env.CHROME_PATH || '/usr/bin/chromium';

/**
 * A comma-separated list from the environment, checked against the allowed values.
 * @template {string} T
 * @param {string | undefined} value
 * @param {readonly T[]} allowed
 * @param {string} name
 * @returns {T[]}
 */
function listFromEnv(value, allowed, name) {
  if (!value) return [...allowed];
  const items = value.split(',').map((s) => s.trim());
  for (const item of items) {
    if (!allowed.includes(/** @type {T} */ (item))) {
      throw new Error(`${name}: unknown '${item}' (choose from ${allowed.join(', ')})`);
    }
  }
  return /** @type {T[]} */ (items);
}

/** @type {BenchOptions} */
const options = {
  quick,
  libs: listFromEnv(env.BENCH_LIBS, ALL_LIBS, 'BENCH_LIBS'),
  cases: listFromEnv(env.BENCH_CASES, ALL_CASES, 'BENCH_CASES'),
  caseTimeoutMs: Number(env.BENCH_CASE_TIMEOUT_S || (quick ? 120 : 240)) * 1000,
};

/** @param {AdapterSummary | null} a */
function isRealGpu(a) {
  return (
    !!a && !a.isFallbackAdapter && !/swiftshader/i.test(`${a.architecture} ${a.description} ${a.vendor}`)
  );
}

/**
 * Launches Chromium with `args`, opens the page and asks it for its adapter.
 * @param {string} url
 * @param {string[]} args
 */
async function openPage(url, args) {
  const browser = await chromium.launch({
    executablePath: chromePath,
    headless: env.BENCH_HEADLESS !== '0',
    args,
  });
  const page = await browser.newPage();
  await page.goto(url);
  await page.waitForFunction(() => typeof window.runBench === 'function', undefined, { timeout: 60_000 });
  const adapter = await page.evaluate(() => window.probeAdapter());
  return { browser, page, adapter };
}

/**
 * Finds the browser configuration to run on: the plain browser if it has a real GPU adapter, else
 * `--enable-unsafe-webgpu` (Linux builds keep WebGPU behind it) if that gives a real GPU, else
 * SwiftShader. BENCH_SWIFTSHADER=1 forces SwiftShader, BENCH_SWIFTSHADER=0 forbids it.
 * @param {string} url
 */
async function launch(url) {
  const force = env.BENCH_SWIFTSHADER;
  /** @type {{ name: string; args: string[] }[]} */
  const tries =
    force === '1'
      ? []
      : [
          { name: 'default flags', args: BASE_ARGS },
          { name: '--enable-unsafe-webgpu', args: [...BASE_ARGS, '--enable-unsafe-webgpu'] },
        ];
  for (const { name, args } of tries) {
    const opened = await openPage(url, args);
    if (isRealGpu(opened.adapter)) return { ...opened, args, mode: `GPU adapter (${name})` };
    await opened.browser.close();
  }
  if (force === '0') throw new Error('no GPU adapter found and BENCH_SWIFTSHADER=0 forbids SwiftShader');
  const args = [...BASE_ARGS, ...SWIFTSHADER_ARGS];
  const opened = await openPage(url, args);
  if (!opened.adapter) {
    await opened.browser.close();
    throw new Error(`no WebGPU adapter even with ${SWIFTSHADER_ARGS.join(' ')} (browser: ${chromePath})`);
  }
  return { ...opened, args, mode: 'no GPU adapter found: SwiftShader (software Vulkan)' };
}

async function main() {
  const server = await createServer({
    configFile: fileURLToPath(new URL('./vite.config.ts', import.meta.url)),
    root: benchDir,
    // Vite's own log would repeat every transform error; the page reports them per library instead.
    logLevel: env.BENCH_VERBOSE === '1' ? 'info' : 'silent',
    server: { port: Number(env.BENCH_PORT || 5290) },
  });
  await server.listen();
  const url = server.resolvedUrls?.local.find((u) => u.includes('localhost')) ?? 'http://localhost:5290/';
  /** @type {Awaited<ReturnType<typeof launch>> | undefined} */
  let session;
  /** @type {Partial<Record<CaseId, Partial<Record<LibId, CaseResult>>>>} */
  const partial = {};
  try {
    session = await launch(url);
    const { page, adapter, mode, args, browser } = session;
    console.log(
      `webdl bench${quick ? ' (BENCH_QUICK=1)' : ''}: ${url} in ${chromePath} ${browser.version()}`,
    );
    console.log(
      `adapter: ${adapter?.vendor} / ${adapter?.architecture} ${adapter?.description ?? ''} [${mode}]`,
    );
    page.on('console', (msg) => {
      const text = msg.text();
      if (text.startsWith('[bench:result] ')) {
        /** @type {{ lib: LibId; case: CaseId; result: CaseResult }} */
        const { lib, case: id, result } = JSON.parse(text.slice(15));
        (partial[id] ??= {})[lib] = result;
      } else if (text.startsWith('[bench] ')) {
        console.log(`  ${text.slice(8)}`);
      } else if (env.BENCH_VERBOSE === '1') {
        console.log(`  page ${msg.type()}: ${text}`);
      }
    });
    page.on('pageerror', (error) => console.error(`  page error: ${error.message}`));
    const crashed = new Promise((_, reject) => page.on('crash', () => reject(new Error('the page crashed'))));
    const report = /** @type {BenchReport} */ (
      await Promise.race([page.evaluate((o) => window.runBench(o), options), crashed])
    );
    const summary = summarize(report);
    console.log('');
    console.log(formatTable(summary));
    await mkdir(resultsDir, { recursive: true });
    const out = {
      command: quick ? 'BENCH_QUICK=1 npm run bench' : 'npm run bench',
      browser: `${chromePath} ${browser.version()}`,
      browserArgs: args,
      adapterMode: mode,
      caseLabels: CASE_LABELS,
      table: summary.rows,
      ...report,
    };
    await writeFile(`${resultsDir}latest.json`, `${JSON.stringify(out, null, 2)}\n`);
    console.log(`\nwrote bench-results/latest.json (${report.totalSeconds.toFixed(0)} s)`);
    const anyNumber = summary.rows.some((row) => ALL_LIBS.some((lib) => row.values[lib] !== null));
    if (!anyNumber) process.exitCode = 1;
  } catch (error) {
    console.error(`bench failed: ${error instanceof Error ? error.message : String(error)}`);
    if (Object.keys(partial).length > 0) {
      // The page streamed each finished case; show those rather than nothing.
      /** @type {BenchReport} */
      const salvaged = {
        userAgent: '',
        quick,
        adapter: session?.adapter ?? null,
        fmaPeakGflops: null,
        fmaDetail: 'not received',
        libraries: {
          webdl: { description: 'see the log above' },
          tfjs: { description: 'see the log above' },
          jax: { description: 'see the log above' },
        },
        results: /** @type {BenchReport['results']} */ (partial),
        startedAt: '',
        totalSeconds: 0,
      };
      console.error('\nresults finished before the failure:\n');
      console.error(formatTable(summarize(salvaged)));
    }
    process.exitCode = 1;
  } finally {
    await session?.browser.close();
    await server.close();
  }
}

await main();
