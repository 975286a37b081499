// Pictures of data: histogram (uPlot bars of a tensor's values) and imageGrid (samples drawn on canvases).
import { Tensor } from '@webdl/core';
import uPlot from 'uplot';
import { ensureStyles } from './styles.js';
import { checkContainer, child, numbers, type Values } from './values.js';

/**
 * Options of histogram.
 *
 * ```ts
 * const options: HistogramOptions = { bins: 40, title: 'first kernel' };
 * await histogram(container, model.layers[0].getWeights()[0], options);
 * ```
 */
export interface HistogramOptions {
  /** Number of bins (default 20). */
  bins?: number;
  width?: number;
  height?: number;
  title?: string;
}

/**
 * A histogram of values (weights, activations) as uPlot bars; returns the bin edges and counts.
 *
 * ```ts
 * const { counts } = await histogram(container, model.layers[0].getWeights()[0], { bins: 30 });
 * ```
 */
export async function histogram(
  container: HTMLElement,
  values: Values,
  options: HistogramOptions = {},
): Promise<{ edges: number[]; counts: number[]; plot: uPlot }> {
  checkContainer('histogram', container);
  const bins = options.bins ?? 20;
  if (!(Number.isInteger(bins) && bins > 0))
    throw new Error(`histogram: bins must be a positive integer, got ${bins}`);
  const v = Array.from(await numbers(values, 'histogram', 'values')).filter(Number.isFinite);
  if (v.length === 0) throw new Error('histogram: no finite values to count');
  let lo = Math.min(...v);
  let hi = Math.max(...v);
  if (lo === hi) [lo, hi] = [lo - 0.5, hi + 0.5];
  const w = (hi - lo) / bins;
  const counts = new Array<number>(bins).fill(0);
  for (const x of v) counts[Math.min(bins - 1, Math.floor((x - lo) / w))]++;
  const edges = Array.from({ length: bins + 1 }, (_, i) => lo + i * w);
  const centers = counts.map((_, i) => lo + (i + 0.5) * w);
  ensureStyles();
  const box = child(container, 'div', 'histogram');
  const plot = new uPlot(
    {
      title: options.title,
      width: options.width ?? (container.clientWidth || 480),
      height: options.height ?? 200,
      scales: { x: { time: false, range: [lo, hi] }, y: { range: [0, Math.max(...counts) * 1.05] } },
      legend: { show: false },
      series: [
        {},
        {
          label: 'count',
          fill: '#60a5fa',
          stroke: '#2563eb',
          paths: uPlot.paths.bars!({ size: [1, Infinity] }),
        },
      ],
    },
    [centers, counts],
    box,
  );
  return { edges, counts, plot };
}

/**
 * Options of imageGrid.
 *
 * ```ts
 * const options: ImageGridOptions = { columns: 4, scale: 2, captions: ['0', '1', '2', '3'] };
 * await imageGrid(container, images.slice([0, 0, 0], [4, 28, 28]), options);
 * ```
 */
export interface ImageGridOptions {
  /** Images per row (default 8). */
  columns?: number;
  /** CSS pixels per image pixel (default 2). */
  scale?: number;
  /** Captions under the images (for example labels). */
  captions?: string[];
}

/**
 * Draws images [n, h, w] or [n, h, w, 1 | 3 | 4] (floats in [0, 1], or integers 0..255) as a grid of
 * canvases, one per image; returns the canvases.
 *
 * ```ts
 * imageGrid(container, images.slice([0, 0, 0], [16, 28, 28]), { columns: 8 });
 * ```
 */
export async function imageGrid(
  container: HTMLElement,
  images: Tensor,
  options: ImageGridOptions = {},
): Promise<HTMLCanvasElement[]> {
  checkContainer('imageGrid', container);
  if (!(images instanceof Tensor))
    throw new Error('imageGrid: images must be a Tensor [n, h, w] or [n, h, w, c]');
  const [n, h, w, c = 1] = images.shape;
  if (!(images.rank === 3 || (images.rank === 4 && [1, 3, 4].includes(c))))
    throw new Error(
      `imageGrid: images must be [n, h, w] or [n, h, w, 1 | 3 | 4], got [${images.shape.join(',')}]`,
    );
  const { columns = 8, scale = 2, captions } = options;
  const data = await images.data();
  const toByte = images.dtype === 'float32' ? (v: number) => Math.round(v * 255) : (v: number) => v;
  const grid = child(container, 'div', 'image-grid');
  grid.style.display = 'grid';
  grid.style.gridTemplateColumns = `repeat(${columns}, max-content)`;
  grid.style.gap = '4px';
  const canvases: HTMLCanvasElement[] = [];
  for (let k = 0; k < n; k++) {
    const cell = child(grid, 'figure');
    cell.style.margin = '0';
    const canvas = child(cell, 'canvas');
    canvas.width = w;
    canvas.height = h;
    canvas.style.width = `${w * scale}px`;
    canvas.style.imageRendering = 'pixelated';
    const img = new ImageData(w, h);
    for (let i = 0; i < h * w; i++) {
      const at = (k * h * w + i) * c;
      const rgb = c >= 3 ? [data[at], data[at + 1], data[at + 2]] : [data[at], data[at], data[at]];
      rgb.forEach((v, j) => (img.data[i * 4 + j] = toByte(v)));
      img.data[i * 4 + 3] = c === 4 ? toByte(data[at + 3]) : 255;
    }
    canvas.getContext('2d')!.putImageData(img, 0, 0);
    if (captions?.[k] !== undefined) child(cell, 'figcaption').textContent = captions[k];
    canvases.push(canvas);
  }
  return canvases;
}
