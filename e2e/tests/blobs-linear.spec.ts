// Acceptance: the linear classifier on two Gaussian blobs learns, the page stays smooth, the chart draws.
import { expect, test } from '@playwright/test';
import { canvasIsDrawn, openPlayground, readNumber, screenshot, setUp, waitForEnd } from './helpers.js';

test('blobs + linear for 5 epochs: done, accuracy > 0.95, no long task over 200 ms', async ({ page }) => {
  await openPlayground(page);
  const backend = await page.getByTestId('backend').textContent();
  // Without an adapter the page must say it fell back to the CPU.
  await expect(page.getByTestId('backend-notice')).toBeVisible({ visible: backend === 'cpu' });

  await setUp(page, { dataset: 'blobs', model: 'linear', epochs: 5 });
  const started = await page.evaluate(() => performance.now());
  await page.getByTestId('train-start').click();
  await expect(page.getByTestId('status')).toHaveText(/training|done/);
  const { status, error } = await waitForEnd(page, 120_000);
  const ended = await page.evaluate(() => performance.now());
  expect(error).toBe('');
  expect(status).toBe('done');

  expect(await readNumber(page, 'epoch')).toBe(5);
  expect(await readNumber(page, 'accuracy')).toBeGreaterThan(0.95);

  const longTasks = await page.evaluate(
    ([from, to]) => window.__longTasks.filter((t) => t.start >= from && t.start <= to),
    [started, ended],
  );
  const longest = Math.max(0, ...longTasks.map((t) => t.duration));
  test
    .info()
    .annotations.push({ type: 'longest main-thread task while training (ms)', description: String(longest) });
  expect(
    longTasks.filter((t) => t.duration > 200),
    JSON.stringify(longTasks),
  ).toEqual([]);

  // One point per batch (5 epochs x 50 batches) plus the validation points.
  const points = Number(await page.getByTestId('chart-loss').getAttribute('data-points'));
  expect(points).toBeGreaterThanOrEqual(250);
  expect(await canvasIsDrawn(page, 'chart-loss')).toBe(true);
  expect(Number(await page.getByTestId('boundary').getAttribute('data-drawn'))).toBeGreaterThan(1);
  await screenshot(page, 'blobs-linear');
});
