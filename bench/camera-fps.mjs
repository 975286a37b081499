#!/usr/bin/env node
// Frames per second of the playground camera panel's capture -> tensor -> prediction loop on Chromium's fake
// camera, webgpu vs cpu: builds and previews the playground, captures two classes, trains, then counts live
// predictions run back to back (?cameraPredictMs=0) over a fixed window. Usage: node bench/camera-fps.mjs [seconds]
import { spawn, execSync } from 'node:child_process';
import { chromium } from 'playwright-core';

const seconds = Number(process.argv[2] ?? 10);
const port = 4300 + Math.floor(Math.random() * 500);
const cwd = new URL('../apps/playground/', import.meta.url).pathname;
execSync('npx vite build --logLevel warn', { cwd, stdio: 'inherit' });
const server = spawn(
  'npx',
  ['vite', 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort'],
  { cwd, stdio: 'ignore', detached: true },
);
await new Promise((r) => setTimeout(r, 3000));

const base = [
  '--no-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
];
const webgpu = [
  '--enable-unsafe-webgpu',
  ...(process.env.WEBGPU_ADAPTER === 'default' ? [] : ['--use-webgpu-adapter=swiftshader']),
];

async function measure(args) {
  const browser = await chromium.launch({
    executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
    args,
  });
  const page = await browser.newPage();
  await page.goto(`http://localhost:${port}/?cameraPredictMs=0`);
  await page.getByTestId('camera-start').click();
  await page.getByTestId('camera-status').filter({ hasText: 'camera on' }).waitFor({ timeout: 60_000 });
  const backend = (await page.getByTestId('camera-status').textContent()).match(/worker on (\w+)/)[1];
  for (const i of [0, 1]) {
    await page.getByTestId(`camera-capture-${i}`).hover();
    await page.mouse.down();
    await page.waitForFunction(
      (i) => Number(document.querySelector(`[data-testid=camera-count-${i}]`).textContent) >= 8,
      i,
      { timeout: 60_000 },
    );
    await page.mouse.up();
  }
  await page.getByTestId('camera-train').click();
  await page.getByTestId('camera-train-status').filter({ hasText: 'trained' }).waitFor({ timeout: 300_000 });
  const count = async () => Number(await page.getByTestId('camera-prediction-count').textContent());
  await page.waitForFunction(
    () => Number(document.querySelector('[data-testid=camera-prediction-count]').textContent) >= 3,
  );
  const n0 = await count();
  const t0 = Date.now();
  await page.waitForTimeout(seconds * 1000);
  const fps = ((await count()) - n0) / ((Date.now() - t0) / 1000);
  await browser.close();
  return { backend, fps };
}

try {
  const rows = [await measure([...base, ...webgpu]), await measure(base)];
  for (const r of rows)
    console.log(`camera capture -> tensor -> prediction: ${r.backend} ${r.fps.toFixed(1)} frames/s`);
  console.log(`webgpu / cpu: ${(rows[0].fps / rows[1].fps).toFixed(2)}x`);
} finally {
  process.kill(-server.pid);
}
