// Acceptance: bad hyperparameters are refused inline; a worker exception shows, and Train works again.
import { expect, test } from '@playwright/test';
import { openPlayground, screenshot, setUp, waitForEnd } from './helpers.js';

test('invalid hyperparameters are refused inline', async ({ page }) => {
  await openPlayground(page);
  await page.getByTestId('batch-size-input').fill('0');
  await expect(page.getByTestId('batch-size-error')).toHaveText(/batch size/);
  await expect(page.getByTestId('train-start')).toBeDisabled();

  await page.getByTestId('batch-size-input').fill('32');
  await page.getByTestId('lr-input').fill('-0.1');
  await expect(page.getByTestId('lr-error')).toHaveText(/learning rate/);
  await expect(page.getByTestId('batch-size-error')).toHaveText('');
  await expect(page.getByTestId('train-start')).toBeDisabled();
  await page.getByTestId('train-start').click({ force: true });
  await expect(page.getByTestId('status')).toHaveText('idle');
  await screenshot(page, 'invalid-hyperparameters');

  await page.getByTestId('lr-input').fill('0.05');
  await expect(page.getByTestId('lr-error')).toHaveText('');
  await expect(page.getByTestId('train-start')).toBeEnabled();
});

test('an exception in the worker shows as an error, and Train works again without a reload', async ({
  page,
}) => {
  await openPlayground(page);
  // A cnn needs images: building it for 2-D points throws inside the worker.
  await setUp(page, { dataset: 'blobs', model: 'cnn', epochs: 1 });
  await page.getByTestId('train-start').click();
  const failed = await waitForEnd(page, 60_000);
  expect(failed.status).toBe('error');
  await expect(page.getByTestId('error')).toBeVisible();
  await expect(page.getByTestId('error')).toHaveText(/cnn needs image input/);
  await screenshot(page, 'worker-error');

  await page.getByTestId('model-select').selectOption('linear');
  await page.getByTestId('train-start').click();
  const { status, error } = await waitForEnd(page, 120_000);
  expect(error).toBe('');
  expect(status).toBe('done');
  await expect(page.getByTestId('error')).toBeHidden();
});

test('a worker that dies mid-training is replaced: error shown, Train works again', async ({ page }) => {
  await openPlayground(page);
  await setUp(page, { dataset: 'spiral', model: 'mlp', epochs: 200 });
  await page.getByTestId('train-start').click();
  await expect(page.getByTestId('progress-text')).toHaveText(/batch [1-9]/);
  const [worker] = page.workers();
  // An uncaught error outside any comlink call: the worker's 'error' event, as a crash would give.
  await worker.evaluate(() =>
    setTimeout(() => {
      throw new Error('simulated crash');
    }),
  );
  const failed = await waitForEnd(page, 30_000);
  expect(failed.status).toBe('error');
  await expect(page.getByTestId('error')).toHaveText(/the training worker failed: .*simulated crash/);
  await expect(page.getByTestId('model-status')).toHaveText(/lost with the worker/);

  await page.getByTestId('epochs-input').fill('2');
  await page.getByTestId('train-start').click();
  const { status, error } = await waitForEnd(page, 120_000);
  expect(error).toBe('');
  expect(status).toBe('done');
});
