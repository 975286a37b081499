// The generative demo: a VAE trains in the worker, its sample grid repaints, and Stop ends it.
import { expect, test } from '@playwright/test';
import { openPlayground, screenshot, setUp, waitForEnd } from './helpers.js';

test('the VAE sample grid repaints while it trains, and Stop ends the run', async ({ page }) => {
  await openPlayground(page);
  await setUp(page, { dataset: 'mnist', model: 'mlp', epochs: 1 });
  await page.getByTestId('vae-train').click();
  await expect(page.getByTestId('status')).toHaveText('training');
  // One grid before the first step, then about one a second.
  await expect
    .poll(async () => Number(await page.getByTestId('vae-samples').getAttribute('data-drawn')), {
      timeout: 90_000,
    })
    .toBeGreaterThanOrEqual(3);
  await expect(page.getByTestId('vae-status')).toHaveText(/step \d+\/125 · loss \d/);
  await screenshot(page, 'vae');
  await page.getByTestId('train-stop').click();
  const { status, error } = await waitForEnd(page, 60_000);
  expect(error).toBe('');
  expect(status).toBe('done');
});
