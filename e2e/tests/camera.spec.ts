// The camera panel end to end: Chromium's fake capture device feeds frames; capture two classes, train, predictions update. (camera-none.spec.ts: without one.)
import { expect, test, type Page } from '@playwright/test';
import { baseArgs, chromiumPath, webgpuArgs } from '../browser.js';
import { openPlayground } from './helpers.js';

const fakeCamera = ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'];

/** Holds a class's capture button until it has at least `n` frames. */
async function holdCapture(page: Page, i: number, n: number): Promise<void> {
  await page.getByTestId(`camera-capture-${i}`).hover();
  await page.mouse.down();
  await expect
    .poll(async () => Number(await page.getByTestId(`camera-count-${i}`).textContent()), { timeout: 60_000 })
    .toBeGreaterThanOrEqual(n);
  await page.mouse.up();
}

test.use({
  launchOptions: { executablePath: chromiumPath, args: [...baseArgs, ...webgpuArgs, ...fakeCamera] },
});

test('capture two classes, train the CNN in the worker, live predictions update', async ({ page }) => {
  await openPlayground(page);
  await page.getByTestId('camera-classes').fill('left, right');
  await page.getByTestId('camera-start').click();
  await expect(page.getByTestId('camera-status')).toHaveText(
    /camera on \(320x240\), worker on (webgpu|cpu)/,
    {
      timeout: 60_000,
    },
  );
  await holdCapture(page, 0, 6);
  await holdCapture(page, 1, 6);
  await expect(page.getByTestId('camera-thumbs-0').locator('canvas')).not.toHaveCount(0);
  await expect(page.getByTestId('camera-train')).toBeEnabled();
  await page.getByTestId('camera-train').click();
  await expect(page.getByTestId('camera-train-status')).toHaveText(/trained: loss \d/, {
    timeout: 180_000,
  });
  await expect
    .poll(async () => Number(await page.getByTestId('camera-prediction-count').textContent()), {
      timeout: 60_000,
    })
    .toBeGreaterThanOrEqual(4);
  await expect(page.getByTestId('camera-prediction')).toHaveText(/left \d\.\d\d · right \d\.\d\d/);
  const probs = (await page.getByTestId('camera-prediction').textContent())!.match(/\d\.\d\d/g)!.map(Number);
  expect(probs[0] + probs[1]).toBeCloseTo(1, 1);
  if (process.env.CAMERA_SCREENSHOT) {
    await page.getByTestId('camera-status').scrollIntoViewIfNeeded();
    await page.locator('#camera-box').screenshot({ path: process.env.CAMERA_SCREENSHOT });
  }
});
