// Shared steps for the playground tests: open the app, set up a run, wait for it, draw, screenshot.
import { expect, type Page } from '@playwright/test';

export interface RunSetup {
  dataset: 'blobs' | 'spiral' | 'mnist';
  model: 'linear' | 'mlp' | 'cnn';
  epochs: number;
  batchSize?: number;
  learningRate?: number;
}

declare global {
  interface Window {
    /** Long tasks on the main thread, collected from page start by a PerformanceObserver. */
    __longTasks: { start: number; duration: number }[];
  }
}

/** Opens the playground with a long-task recorder installed before any page script runs. */
export async function openPlayground(page: Page): Promise<void> {
  await page.addInitScript(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries())
        window.__longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  });
  page.on('pageerror', (e) => console.log(`[page error] ${e.message}`));
  await page.goto('/');
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true', { timeout: 60_000 });
  await expect(page.getByTestId('backend')).toHaveText(/^(webgpu|cpu)$/);
}

/** Fills the form; the dataset first, since choosing one resets the other fields to its defaults. */
export async function setUp(page: Page, setup: RunSetup): Promise<void> {
  await page.getByTestId('dataset-select').selectOption(setup.dataset);
  await page.getByTestId('model-select').selectOption(setup.model);
  await page.getByTestId('epochs-input').fill(String(setup.epochs));
  if (setup.batchSize !== undefined) await page.getByTestId('batch-size-input').fill(String(setup.batchSize));
  if (setup.learningRate !== undefined) await page.getByTestId('lr-input').fill(String(setup.learningRate));
}

/** Waits until training ends and returns the final status, with the error text if it failed. */
export async function waitForEnd(page: Page, timeout: number): Promise<{ status: string; error: string }> {
  await page.waitForFunction(
    () => ['done', 'error'].includes(document.querySelector('[data-testid=status]')?.textContent ?? ''),
    undefined,
    { timeout, polling: 250 },
  );
  return {
    status: (await page.getByTestId('status').textContent()) ?? '',
    error: (await page.getByTestId('error').textContent()) ?? '',
  };
}

export async function readNumber(page: Page, testId: string): Promise<number> {
  return Number(await page.getByTestId(testId).textContent());
}

/** Whether a canvas has pixels that differ from its top-left one (something was drawn). */
export async function canvasIsDrawn(page: Page, testId: string): Promise<boolean> {
  return page.getByTestId(testId).evaluate((el) => {
    const canvas = el as HTMLCanvasElement;
    const ctx = canvas.getContext('2d');
    if (!ctx) return false;
    const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
    let differing = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (
        data[i] !== data[0] ||
        data[i + 1] !== data[1] ||
        data[i + 2] !== data[2] ||
        data[i + 3] !== data[3]
      ) {
        differing++;
      }
    }
    return differing > 100;
  });
}

/** Draws a seven on the draw-a-digit pad with the mouse. */
export async function drawSeven(page: Page): Promise<void> {
  const box = await page.getByTestId('draw-pad').boundingBox();
  if (!box) throw new Error('draw-pad is not visible');
  const at = (fx: number, fy: number): [number, number] => [box.x + fx * box.width, box.y + fy * box.height];
  const stroke: [number, number][] = [at(0.25, 0.2), at(0.75, 0.2), at(0.6, 0.5), at(0.45, 0.85)];
  await page.mouse.move(...stroke[0]);
  await page.mouse.down();
  for (const p of stroke.slice(1)) await page.mouse.move(...p, { steps: 8 });
  await page.mouse.up();
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `screenshots/${name}.png`, fullPage: true });
}
