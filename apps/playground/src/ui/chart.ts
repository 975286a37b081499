// A small live line chart on a canvas: per-batch training values (raw and smoothed) and validation points.

export interface ChartOptions {
  /** Fixed y range (accuracy: [0, 1]); otherwise [0, max] of the data. */
  yRange?: [number, number];
  trainColor?: string;
  valColor?: string;
}

interface Point {
  x: number;
  y: number;
}

/**
 * Redraws at most once per animation frame however often points arrive, so a flood of progress
 * reports never turns into main-thread work.
 *
 * ```ts
 * const chart = new LineChart(canvas, { yRange: [0, 1] });
 * chart.addTrain(step, value); chart.addVal(step, value);
 * ```
 */
export class LineChart {
  private train: Point[] = [];
  private smooth: Point[] = [];
  private val: Point[] = [];
  private frame = 0;
  private ema = 0;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly options: ChartOptions = {},
  ) {
    this.schedule();
  }

  addTrain(x: number, y: number): void {
    if (!Number.isFinite(y)) return;
    this.train.push({ x, y });
    // Debiased exponential moving average (as Adam debiases its moments), so the start is not dragged to 0.
    this.ema = this.ema * 0.9 + y * 0.1;
    this.smooth.push({ x, y: this.ema / (1 - 0.9 ** this.train.length) });
    this.schedule();
  }

  addVal(x: number, y: number): void {
    if (Number.isFinite(y)) this.val.push({ x, y });
    this.schedule();
  }

  clear(): void {
    this.train = [];
    this.smooth = [];
    this.ema = 0;
    this.val = [];
    this.schedule();
  }

  /** Number of points drawn (tests read it from the canvas's data-points attribute). */
  get size(): number {
    return this.train.length + this.val.length;
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  private draw(): void {
    const { canvas } = this;
    const dpr = window.devicePixelRatio || 1;
    const cssWidth = canvas.clientWidth || canvas.width;
    const cssHeight = canvas.clientHeight || canvas.height;
    if (canvas.width !== Math.round(cssWidth * dpr)) {
      canvas.width = Math.round(cssWidth * dpr);
      canvas.height = Math.round(cssHeight * dpr);
    }
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, cssWidth, cssHeight);
    canvas.dataset.points = String(this.size);

    const pad = { left: 40, right: 10, top: 8, bottom: 22 };
    const w = cssWidth - pad.left - pad.right;
    const h = cssHeight - pad.top - pad.bottom;
    const all = this.train.concat(this.val);
    const xMax = all.reduce((m, p) => Math.max(m, p.x), 1);
    const [yMin, yMax] = this.options.yRange ?? [
      0,
      all.length ? all.reduce((m, p) => Math.max(m, p.y), 1e-6) * 1.05 : 1,
    ];
    const px = (x: number) => pad.left + (x / xMax) * w;
    const py = (y: number) => pad.top + h - ((Math.min(Math.max(y, yMin), yMax) - yMin) / (yMax - yMin)) * h;

    // Grid and labels.
    ctx.strokeStyle = '#2a3440';
    ctx.fillStyle = '#8b9aa8';
    ctx.font = '11px system-ui, sans-serif';
    ctx.lineWidth = 1;
    for (let i = 0; i <= 4; i++) {
      const v = yMin + ((yMax - yMin) * i) / 4;
      const y = Math.round(py(v)) + 0.5;
      ctx.beginPath();
      ctx.moveTo(pad.left, y);
      ctx.lineTo(pad.left + w, y);
      ctx.stroke();
      ctx.fillText(v.toPrecision(2), 4, y + 4);
    }
    ctx.fillText(all.length ? `step ${xMax}` : 'no data yet', pad.left + w - 60, cssHeight - 5);

    const trainColor = this.options.trainColor ?? '#4fb3ff';
    ctx.globalAlpha = 0.3;
    this.line(ctx, this.decimate(this.train, w), px, py, trainColor, 1);
    ctx.globalAlpha = 1;
    this.line(ctx, this.decimate(this.smooth, w), px, py, trainColor, 2);
    this.line(ctx, this.val, px, py, this.options.valColor ?? '#ffb547', 2);
    for (const p of this.val) {
      ctx.beginPath();
      ctx.arc(px(p.x), py(p.y), 3, 0, 2 * Math.PI);
      ctx.fill();
    }
    this.legend(ctx, pad.left, cssHeight - 2);
  }

  /** At most ~2 points per pixel column: keeps drawing cost flat however long training runs. */
  private decimate(points: Point[], width: number): Point[] {
    const stride = Math.ceil(points.length / Math.max(1, width * 2));
    if (stride <= 1) return points;
    const out: Point[] = [];
    for (let i = 0; i < points.length; i += stride) {
      const chunk = points.slice(i, i + stride);
      out.push({ x: chunk[chunk.length - 1].x, y: chunk.reduce((s, p) => s + p.y, 0) / chunk.length });
    }
    return out;
  }

  private line(
    ctx: CanvasRenderingContext2D,
    points: Point[],
    px: (x: number) => number,
    py: (y: number) => number,
    color: string,
    width: number,
  ): void {
    ctx.strokeStyle = color;
    ctx.fillStyle = color;
    ctx.lineWidth = width;
    ctx.beginPath();
    points.forEach((p, i) => (i === 0 ? ctx.moveTo(px(p.x), py(p.y)) : ctx.lineTo(px(p.x), py(p.y))));
    ctx.stroke();
  }

  private legend(ctx: CanvasRenderingContext2D, x: number, y: number): void {
    const entries: [string, string][] = [
      ['train', this.options.trainColor ?? '#4fb3ff'],
      ['validation', this.options.valColor ?? '#ffb547'],
    ];
    entries.forEach(([label, color], i) => {
      ctx.fillStyle = color;
      ctx.fillRect(x + i * 90, y - 8, 10, 3);
      ctx.fillStyle = '#dde6ee';
      ctx.fillText(label, x + i * 90 + 14, y - 3);
    });
  }
}
