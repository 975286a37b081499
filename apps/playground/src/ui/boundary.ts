// Draws a 2-D classifier's decision regions (class probabilities on a grid) under the data points.
import type { TensorPayload } from '../protocol.js';

/** Class colours as RGB; class k uses CLASS_RGB[k % length]. */
export const CLASS_RGB: [number, number, number][] = [
  [79, 179, 255],
  [255, 140, 90],
  [110, 231, 160],
  [200, 140, 255],
];

/**
 * Keeps the last grid and points so either can be redrawn alone.
 *
 * ```ts
 * const view = new BoundaryView(canvas);
 * view.setPoints(extent, points, labels); view.setGrid(progress.boundary);
 * ```
 */
export class BoundaryView {
  private extent: [number, number, number, number] = [0, 1, 0, 1];
  private points: Float32Array = new Float32Array(0);
  private labels: Int32Array = new Int32Array(0);
  private grid: TensorPayload | null = null;
  private frame = 0;

  constructor(private readonly canvas: HTMLCanvasElement) {}

  setPoints(extent: [number, number, number, number], points: Float32Array, labels: Int32Array): void {
    this.extent = extent;
    this.points = points;
    this.labels = labels;
    this.grid = null;
    this.schedule();
  }

  /** A res*res x numClasses probability grid, row 0 at the top. */
  setGrid(grid: TensorPayload | null): void {
    this.grid = grid;
    this.schedule();
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  private draw(): void {
    const ctx = this.canvas.getContext('2d');
    if (!ctx) return;
    const { width, height } = this.canvas;
    ctx.clearRect(0, 0, width, height);
    if (this.grid) {
      // Paint the grid at its own resolution, then let drawImage smooth it up to the canvas size.
      const [cells, k] = this.grid.shape;
      const res = Math.round(Math.sqrt(cells));
      const image = new ImageData(res, res);
      for (let i = 0; i < cells; i++) {
        let [r, g, b] = [0, 0, 0];
        for (let c = 0; c < k; c++) {
          const p = this.grid.data[i * k + c];
          const rgb = CLASS_RGB[c % CLASS_RGB.length];
          r += p * rgb[0];
          g += p * rgb[1];
          b += p * rgb[2];
        }
        // Darken towards the background so the points stand out.
        image.data.set([r * 0.45, g * 0.45, b * 0.45, 255], i * 4);
      }
      const tile = new OffscreenCanvas(res, res);
      tile.getContext('2d')?.putImageData(image, 0, 0);
      ctx.imageSmoothingEnabled = true;
      ctx.drawImage(tile, 0, 0, width, height);
      // How many grids were drawn (tests check that training redraws it).
      this.canvas.dataset.drawn = String(Number(this.canvas.dataset.drawn ?? 0) + 1);
    }
    const [x0, x1, y0, y1] = this.extent;
    ctx.lineWidth = 1;
    ctx.strokeStyle = '#101418';
    for (let i = 0; i < this.labels.length; i++) {
      const [r, g, b] = CLASS_RGB[this.labels[i] % CLASS_RGB.length];
      const x = ((this.points[2 * i] - x0) / (x1 - x0)) * width;
      const y = (1 - (this.points[2 * i + 1] - y0) / (y1 - y0)) * height;
      ctx.fillStyle = `rgb(${r}, ${g}, ${b})`;
      ctx.beginPath();
      ctx.arc(x, y, 3, 0, 2 * Math.PI);
      ctx.fill();
      ctx.stroke();
    }
  }
}
