// Acceptance: an MLP on MNIST pauses and resumes, learns, classifies a drawing, and survives a reload.
import { expect, test, type Page } from '@playwright/test';
import { drawSeven, openPlayground, readNumber, screenshot, setUp, waitForEnd } from './helpers.js';

test('mnist + mlp: pause holds, resume finishes, accuracy > 0.85, draw, save, reload, export, import', async ({
  page,
}) => {
  test.setTimeout(420_000);
  await openPlayground(page);
  await setUp(page, { dataset: 'mnist', model: 'mlp', epochs: 2 });
  await page.getByTestId('train-start').click();

  // Pause in the middle of the first epoch.
  await expect(page.getByTestId('progress-text')).toHaveText(/epoch 1\/2 · batch ([1-9]\d*)\//, {
    timeout: 120_000,
  });
  await page.getByTestId('train-pause').click();
  await expect(page.getByTestId('status')).toHaveText('paused');
  await page.waitForTimeout(1_000); // the batch in flight finishes
  const epochAtPause = await page.getByTestId('epoch').textContent();
  const progressAtPause = await page.getByTestId('progress-text').textContent();
  await page.waitForTimeout(4_000);
  expect(await page.getByTestId('epoch').textContent()).toBe(epochAtPause);
  expect(await page.getByTestId('progress-text').textContent()).toBe(progressAtPause);
  await screenshot(page, 'mnist-paused');

  await page.getByTestId('train-pause').click();
  await expect(page.getByTestId('status')).toHaveText(/training|done/);
  const { status, error } = await waitForEnd(page, 300_000);
  expect(error).toBe('');
  expect(status).toBe('done');
  expect(await readNumber(page, 'epoch')).toBe(2);
  expect(await readNumber(page, 'accuracy')).toBeGreaterThan(0.85);

  await drawSeven(page);
  await expect(page.getByTestId('prediction').locator('li')).toHaveCount(3);
  const predicted = await settledPrediction(page);
  await screenshot(page, 'mnist-mlp');

  await page.getByTestId('model-save').click();
  await expect(page.getByTestId('model-status')).toHaveText(/^saved mnist mlp/);
  await page.reload();
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true', { timeout: 60_000 });
  await expect(page.getByTestId('model-status')).toHaveText(/^restored mnist mlp/);
  await expect(page.getByTestId('dataset-select')).toHaveValue('mnist');
  await drawSeven(page);
  // The restored model predicts what the trained one did (digits and percentages), not just 3 rows.
  await expect(page.getByTestId('prediction').locator('li')).toHaveText(predicted);

  // Export to a file and import it back.
  const download = page.waitForEvent('download');
  await page.getByTestId('model-export').click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('playground-mnist-mlp.webdl');
  const path = test.info().outputPath('model.webdl');
  await file.saveAs(path);
  await page.getByTestId('draw-clear').click();
  await expect(page.getByTestId('prediction').locator('li')).toHaveCount(0);
  await page.getByTestId('model-import').setInputFiles(path);
  await expect(page.getByTestId('model-status')).toHaveText(/^imported mnist mlp .* from model\.webdl/);
  await drawSeven(page);
  await expect(page.getByTestId('prediction').locator('li')).toHaveText(predicted);
});

/** The prediction rows once they stop changing (each stroke of a drawing triggers a prediction). */
async function settledPrediction(page: Page): Promise<string[]> {
  const rows = page.getByTestId('prediction').locator('li');
  let last = await rows.allTextContents();
  for (;;) {
    await page.waitForTimeout(300);
    const now = await rows.allTextContents();
    if (now.join('|') === last.join('|')) return now;
    last = now;
  }
}
