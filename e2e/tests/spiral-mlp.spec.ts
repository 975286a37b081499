// The spiral needs a hidden layer: the MLP separates its three arms and the boundary follows them.
import { expect, test } from '@playwright/test';
import { openPlayground, readNumber, screenshot, setUp, waitForEnd } from './helpers.js';

test('spiral + mlp: the decision boundary is redrawn during training, accuracy > 0.9', async ({ page }) => {
  await openPlayground(page);
  await setUp(page, { dataset: 'spiral', model: 'mlp', epochs: 40 });
  await page.getByTestId('train-start').click();
  // Redrawn while training, not only at the end.
  const draws = async () => Number(await page.getByTestId('boundary').getAttribute('data-drawn'));
  await expect.poll(draws, { timeout: 60_000 }).toBeGreaterThanOrEqual(5);
  await expect(page.getByTestId('status')).toHaveText('training');
  const { status, error } = await waitForEnd(page, 180_000);
  expect(error).toBe('');
  expect(status).toBe('done');
  expect(await readNumber(page, 'accuracy')).toBeGreaterThan(0.9);
  expect(await readNumber(page, 'val-accuracy')).toBeGreaterThan(0.9);
  await screenshot(page, 'spiral-mlp');
});
