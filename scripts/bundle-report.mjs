// What the fresh-app MLP Worker bundle holds: builds scripts/mlp-worker.js with Vite against the workspace's built
// packages (run `npm run build` first) and prints the gzipped total and the largest source modules, per package and
// per file (each module's code minified and gzipped alone: an estimate, gzip shares context across modules).
// Usage: node scripts/bundle-report.mjs [number of files to list, default 40]
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const repo = fileURLToPath(new URL('..', import.meta.url));
const top = Number(process.argv[2] ?? 40);
const vite = await import(join(repo, 'node_modules', 'vite', 'dist', 'node', 'index.js'));
const work = mkdtempSync(join(tmpdir(), 'webdl-bundle-'));
try {
  // The app links the workspace packages (as npm would install them, but built in place).
  mkdirSync(join(work, 'src'));
  mkdirSync(join(work, 'node_modules', '@webdl'), { recursive: true });
  symlinkSync(join(repo, 'packages', 'webdl'), join(work, 'node_modules', 'webdl'));
  for (const p of ['core', 'webgpu', 'layers'])
    symlinkSync(join(repo, 'packages', p), join(work, 'node_modules', '@webdl', p));
  writeFileSync(join(work, 'src', 'worker.js'), readFileSync(join(repo, 'scripts', 'mlp-worker.js')));
  writeFileSync(
    join(work, 'src', 'main.js'),
    `new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });\n`,
  );
  writeFileSync(join(work, 'index.html'), `<script type="module" src="/src/main.js"></script>`);

  const modules = new Map();
  let workerCode = '';
  const record = {
    name: 'bundle-report',
    generateBundle(_options, bundle) {
      for (const chunk of Object.values(bundle)) {
        if (chunk.type !== 'chunk') continue;
        workerCode += chunk.code;
        for (const [id, m] of Object.entries(chunk.modules)) if (m.code) modules.set(id, m.code);
      }
    },
  };
  await vite.build({
    root: work,
    configFile: false,
    logLevel: 'warn',
    build: { write: false },
    worker: { plugins: () => [record] },
  });

  const rows = [];
  for (const [id, code] of modules) {
    const min = (await vite.transformWithEsbuild(code, 'm.js', { minify: true })).code;
    const path = relative(join(repo, 'packages'), id.replace(/\?.*$/, ''));
    const name = path.startsWith('..') ? `app/${basename(path)}` : path.replace(/\/dist\//, '/');
    rows.push({ name, bytes: min.length, gz: gzipSync(min).length });
  }
  const byPackage = new Map();
  for (const r of rows) {
    const pkg = r.name.split('/')[0];
    const t = byPackage.get(pkg) ?? { bytes: 0, gz: 0 };
    byPackage.set(pkg, { bytes: t.bytes + r.bytes, gz: t.gz + r.gz });
  }
  const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
  const line = (name, r) => `${kib(r.bytes).padStart(10)} ${kib(r.gz).padStart(9)} gz  ${name}`;
  console.log(`MLP Worker: ${kib(workerCode.length)} minified, ${kib(gzipSync(workerCode).length)} gzipped`);
  console.log('\nper package (minified, gzipped alone):');
  for (const [pkg, r] of [...byPackage].sort((a, b) => b[1].gz - a[1].gz)) console.log(line(pkg, r));
  console.log(`\nlargest ${top} modules:`);
  for (const r of rows.sort((a, b) => b.gz - a.gz).slice(0, top)) console.log(line(r.name, r));
} finally {
  rmSync(work, { recursive: true, force: true });
}
