// @webdl/vis in headless Chromium: each component renders (DOM and pixels), and a fit with fitCallbacks updates its charts.
import { setBackend, tensor } from '@webdl/core';
import { Sequential, layers, setRandomSeed } from '@webdl/layers';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  LiveChart,
  confusionMatrix,
  fitCallbacks,
  histogram,
  imageGrid,
  modelSummary,
} from '../src/index.js';

beforeAll(async () => {
  await setBackend('cpu');
});

function box(): HTMLDivElement {
  const div = document.createElement('div');
  div.style.width = '400px';
  document.body.appendChild(div);
  return div;
}

/** Distinct RGBA colours on a canvas (a blank one has 1). */
function colours(canvas: HTMLCanvasElement): number {
  const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
  const seen = new Set<number>();
  for (let i = 0; i < data.length; i += 4)
    seen.add((data[i] << 24) | (data[i + 1] << 16) | (data[i + 2] << 8) | data[i + 3]);
  return seen.size;
}

/** Pixels close to an RGB colour. */
function countColour(canvas: HTMLCanvasElement, [r, g, b]: number[]): number {
  const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
  let n = 0;
  for (let i = 0; i < data.length; i += 4)
    if (
      Math.abs(data[i] - r) + Math.abs(data[i + 1] - g) + Math.abs(data[i + 2] - b) < 12 &&
      data[i + 3] > 200
    )
      n++;
  return n;
}

describe('vis', () => {
  it('fitCallbacks draws per-batch, per-epoch and validation points while fit runs', async () => {
    setRandomSeed(1);
    const x = tensor(
      Array.from({ length: 64 }, (_, i) => Math.sin(i * 1.3)),
      [32, 2],
    );
    const y = x.sum(1, true).greater(0).cast('float32');
    const model = new Sequential([
      new layers.Dense(8, { activation: 'relu', inputShape: [2] }),
      new layers.Dense(1, { activation: 'sigmoid' }),
    ]);
    model.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['accuracy'] });
    const div = box();
    const cb = fitCallbacks(div, ['loss', 'val_loss', 'accuracy']);
    const loss = cb.charts.get('loss')!;
    const before = colours(loss.canvas);
    await model.fit(x, y, {
      epochs: 3,
      batchSize: 8,
      validationSplit: 0.25,
      verbose: 0,
      callbacks: [cb],
    });
    // 24 training samples in batches of 8: 3 batches per epoch; loss: 9 batch + 3 epoch + 3 val points.
    expect(loss.points).toBe(15);
    expect(cb.charts.get('accuracy')!.points).toBe(12);
    expect([...div.querySelectorAll('[data-metric]')].map((e) => (e as HTMLElement).dataset.metric)).toEqual([
      'loss',
      'accuracy',
    ]);
    expect(div.textContent).toContain('val_loss');
    loss.flush();
    expect(colours(loss.canvas)).toBeGreaterThan(before);
    expect(countColour(loss.canvas, [0x25, 0x63, 0xeb])).toBeGreaterThan(20); // the batch curve's blue
    expect(countColour(loss.canvas, [0xea, 0x58, 0x0c])).toBeGreaterThan(5); // the val points' orange
    x.dispose();
    y.dispose();
  });

  it('LiveChart.flush draws before it returns (no animation frame or microtask in between)', () => {
    const chart = new LiveChart(box(), { series: ['loss', 'val_loss'], pointsOnly: ['val_loss'] });
    chart.add(1, { loss: 0.9 });
    chart.add(2, { loss: 0.7, val_loss: 0.8 });
    chart.add(3, { loss: 0.6, val_loss: 0.75 });
    chart.flush();
    expect(countColour(chart.canvas, [0x25, 0x63, 0xeb])).toBeGreaterThan(20); // the loss line's blue
    expect(countColour(chart.canvas, [0xea, 0x58, 0x0c])).toBeGreaterThan(5); // the val points' orange
    chart.destroy();
  });

  it('confusionMatrix counts label/prediction pairs into a table with shaded cells', async () => {
    const div = box();
    const counts = await confusionMatrix(div, tensor([0, 1, 1, 2, 2], [5], 'int32'), [0, 1, 2, 2, 2], {
      classNames: ['a', 'b', 'c'],
    });
    expect(counts).toEqual([
      [1, 0, 0],
      [0, 1, 1],
      [0, 0, 2],
    ]);
    const rows = [...div.querySelectorAll('tbody tr')].map((tr) =>
      [...tr.children].map((c) => c.textContent),
    );
    expect(rows).toEqual([
      ['a', '1', '0', '0'],
      ['b', '0', '1', '1'],
      ['c', '0', '0', '2'],
    ]);
    const cell = (r: number, c: number) =>
      (div.querySelectorAll('tbody tr')[r].children[c + 1] as HTMLElement).style.background;
    expect(cell(2, 2)).toBe('rgb(55, 55, 255)');
    expect(cell(0, 1)).toBe('rgb(255, 255, 255)');
    await expect(confusionMatrix(div, [0, 1], [0])).rejects.toThrow(
      'confusionMatrix: 2 labels but 1 predictions',
    );
  });

  it('modelSummary lists layers, output shapes and parameter counts', () => {
    const model = new Sequential([new layers.Dense(4, { inputShape: [3] }), new layers.Dense(2)]);
    const div = box();
    modelSummary(div, model);
    const rows = [...div.querySelectorAll('tbody tr')].map((tr) =>
      [...tr.children].map((c) => c.textContent),
    );
    expect(rows).toEqual([
      [`${model.layers[0].name} (Dense)`, '(None, 4)', '16'],
      [`${model.layers[1].name} (Dense)`, '(None, 2)', '10'],
    ]);
    expect(div.querySelector('tfoot')!.textContent).toContain('26');
  });

  it('histogram bins values and draws the bars', async () => {
    const div = box();
    const { counts, edges, plot } = await histogram(div, tensor([0, 0, 1, 1, 1, 2]), { bins: 2 });
    expect(counts).toEqual([2, 4]);
    expect(edges).toEqual([0, 1, 2]);
    expect(countColour(plot.ctx.canvas, [0x60, 0xa5, 0xfa])).toBeGreaterThan(500);
  });

  it('imageGrid draws each image pixel for pixel, floats scaled to bytes', async () => {
    const div = box();
    const images = tensor([0, 1, 0.5, 0, 1, 1, 1, 1], [2, 2, 2]);
    const canvases = await imageGrid(div, images, { columns: 2, captions: ['first', 'second'] });
    expect(canvases).toHaveLength(2);
    const px = canvases[0].getContext('2d')!.getImageData(0, 0, 2, 2).data;
    expect(Array.from(px)).toEqual([0, 0, 0, 255, 255, 255, 255, 255, 128, 128, 128, 255, 0, 0, 0, 255]);
    expect(div.querySelectorAll('figcaption')[1].textContent).toBe('second');
    await expect(imageGrid(div, tensor([1, 2]))).rejects.toThrow('imageGrid: images must be [n, h, w]');
    images.dispose();
  });
});
