// The camera panel without a camera (no fake capture device): it says why, and the rest of the playground works.
import { expect, test } from '@playwright/test';
import { openPlayground } from './helpers.js';

test('the panel explains why, and the rest of the playground works', async ({ page }) => {
  await openPlayground(page);
  await page.getByTestId('camera-start').click();
  await expect(page.getByTestId('camera-status')).toHaveText(
    /No camera was found: connect one|Camera permission was refused: allow the camera/,
  );
  await expect(page.getByTestId('camera-start')).toBeEnabled();
  await expect(page.getByTestId('train-start')).toBeEnabled();
});
