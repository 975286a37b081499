// LiveChart: a uPlot line chart that takes points as they come (per batch, per epoch) and redraws at most once per frame.
import uPlot from 'uplot';
import { ensureStyles } from './styles.js';

/**
 * Options of a LiveChart.
 *
 * ```ts
 * const options: LiveChartOptions = { series: ['loss', 'val_loss'], title: 'Loss', yRange: [0, 2] };
 * new LiveChart(container, options);
 * ```
 */
export interface LiveChartOptions {
  /** Series names, drawn in this order (for example ['loss', 'epoch loss', 'val_loss']). */
  series: string[];
  title?: string;
  /** Width and height in CSS pixels (default: the container's width, or 480, by 200). */
  width?: number;
  height?: number;
  /** Fixed y range (accuracy: [0, 1]); otherwise fitted to the data. */
  yRange?: [number, number];
  /** Series drawn as points only (validation values, one per epoch). */
  pointsOnly?: string[];
  /** Stroke colours of the series, in order (default: blue, orange, green, ...). */
  colors?: string[];
  /** A data-testid set on the chart's canvas (which also carries data-points: the number of points). */
  testId?: string;
}

const COLORS = ['#2563eb', '#ea580c', '#16a34a', '#9333ea', '#dc2626', '#0891b2'];

/**
 * A live line chart over a step axis. `add(step, values)` appends a point to each named series;
 * missing series get a gap. Redraws are coalesced to one per animation frame.
 *
 * ```ts
 * const chart = new LiveChart(container, { series: ['loss', 'val_loss'], pointsOnly: ['val_loss'] });
 * chart.add(1, { loss: 0.9 }); chart.add(2, { loss: 0.7, val_loss: 0.8 });
 * ```
 */
export class LiveChart {
  readonly plot: uPlot;
  private xs: number[] = [];
  private ys: (number | null)[][];
  private frame = 0;
  private count = 0;

  constructor(
    readonly container: HTMLElement,
    private readonly options: LiveChartOptions,
  ) {
    if (!(container instanceof HTMLElement)) throw new Error('LiveChart: container must be an HTMLElement');
    if (options.series.length === 0) throw new Error('LiveChart: series must name at least one series');
    ensureStyles();
    this.ys = options.series.map(() => []);
    const colors = options.colors ?? COLORS;
    const pointsOnly = new Set(options.pointsOnly ?? []);
    const width = options.width ?? (container.clientWidth || 480);
    this.plot = new uPlot(
      {
        title: options.title,
        width,
        height: options.height ?? 200,
        scales: { x: { time: false }, y: options.yRange ? { range: options.yRange } : {} },
        legend: { show: true },
        series: [
          { label: 'step' },
          ...options.series.map((name, i) => ({
            label: name,
            stroke: colors[i % colors.length],
            width: pointsOnly.has(name) ? 0 : 1.5,
            spanGaps: !pointsOnly.has(name),
            points: { show: pointsOnly.has(name), size: 6, fill: colors[i % colors.length] },
          })),
        ],
      },
      [[], ...options.series.map(() => [])],
      container,
    );
    if (options.testId) this.canvas.dataset.testid = options.testId;
    this.canvas.dataset.points = '0';
  }

  /** The canvas uPlot draws on. */
  get canvas(): HTMLCanvasElement {
    return this.plot.ctx.canvas;
  }

  /** Number of finite values added over all series. */
  get points(): number {
    return this.count;
  }

  /** Appends values at `x` (non-finite values are skipped). */
  add(x: number, values: Record<string, number | undefined>): void {
    this.xs.push(x);
    this.options.series.forEach((name, i) => {
      const v = values[name];
      const ok = typeof v === 'number' && Number.isFinite(v);
      this.ys[i].push(ok ? v : null);
      if (ok) this.count++;
    });
    this.canvas.dataset.points = String(this.count);
    this.schedule();
  }

  /** Removes every point. */
  clear(): void {
    this.xs = [];
    this.ys = this.options.series.map(() => []);
    this.count = 0;
    this.canvas.dataset.points = '0';
    this.schedule();
  }

  /** Draws now (instead of at the next animation frame): the canvas holds every point on return. */
  flush(): void {
    if (this.frame) cancelAnimationFrame(this.frame);
    this.frame = 0;
    // uPlot redraws in a microtask after setData; batch() commits before it returns.
    this.plot.batch(() => this.plot.setData([this.xs, ...this.ys] as uPlot.AlignedData));
  }

  /** Removes the chart from the page. */
  destroy(): void {
    if (this.frame) cancelAnimationFrame(this.frame);
    this.plot.destroy();
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => this.flush());
  }
}
