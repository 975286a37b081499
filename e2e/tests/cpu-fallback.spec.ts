// Without a WebGPU adapter the playground trains on the CPU backend and says so.
import { expect, test } from '@playwright/test';
import { baseArgs, chromiumPath } from '../browser.js';
import { openPlayground, readNumber, setUp, waitForEnd } from './helpers.js';

// No WebGPU flags: this headless Chromium finds no adapter.
test.use({ launchOptions: { executablePath: chromiumPath, args: baseArgs } });

test('no WebGPU adapter: cpu backend, a visible notice, training still works', async ({ page }) => {
  await openPlayground(page);
  await expect(page.getByTestId('backend')).toHaveText('cpu');
  await expect(page.getByTestId('backend-notice')).toBeVisible();
  await expect(page.getByTestId('backend-notice')).toHaveText(/CPU/);

  await setUp(page, { dataset: 'blobs', model: 'linear', epochs: 2 });
  await page.getByTestId('train-start').click();
  const { status, error } = await waitForEnd(page, 60_000);
  expect(error).toBe('');
  expect(status).toBe('done');
  expect(await readNumber(page, 'accuracy')).toBeGreaterThan(0.95);
});
