// fitCallbacks: a Callback for model.fit that draws live loss/metric curves, per batch and per epoch, with validation overlaid.
import { Callback, type Logs } from '@webdl/layers';
import { LiveChart } from './live-chart.js';

/**
 * Options of fitCallbacks.
 *
 * ```ts
 * const options: FitCallbacksOptions = { height: 160, width: 400 };
 * await model.fit(x, y, { epochs: 10, callbacks: [fitCallbacks(container, ['loss', 'acc'], options)] });
 * ```
 */
export interface FitCallbacksOptions {
  /** Chart height in pixels (default 200). */
  height?: number;
  /** Chart width in pixels (default: the container's width). */
  width?: number;
}

/**
 * The callback fitCallbacks returns: a Callback with the charts it draws (one per metric).
 *
 * ```ts
 * const cb = fitCallbacks(container, ['loss', 'val_loss']);
 * await model.fit(x, y, { callbacks: [cb] });
 * cb.charts.get('loss')!.points; // points drawn so far
 * ```
 */
export class FitCharts extends Callback {
  /** metric name -> its chart (series: the metric per batch, per epoch, and val_ per epoch). */
  readonly charts = new Map<string, LiveChart>();
  private step = 0;

  constructor(container: HTMLElement, metrics: string[], options: FitCallbacksOptions = {}) {
    super();
    if (!(container instanceof HTMLElement))
      throw new Error('fitCallbacks: container must be an HTMLElement');
    if (!Array.isArray(metrics) || metrics.length === 0)
      throw new Error("fitCallbacks: metrics must name at least one log, e.g. ['loss', 'val_loss']");
    const base = [...new Set(metrics.map((m) => m.replace(/^val_/, '')))];
    for (const name of base) {
      const box = document.createElement('div');
      box.dataset.metric = name;
      container.appendChild(box);
      const series = [name, `epoch ${name}`, ...(metrics.includes(`val_${name}`) ? [`val_${name}`] : [])];
      this.charts.set(
        name,
        new LiveChart(box, {
          title: name,
          series,
          pointsOnly: series.slice(1),
          // Batches blue, epochs dark blue, validation orange.
          colors: ['#2563eb', '#1e3a8a', '#ea580c'],
          yRange: /acc/.test(name) ? [0, 1] : undefined,
          width: options.width,
          height: options.height,
        }),
      );
    }
  }

  override onTrainBegin(): void {
    this.step = 0;
    for (const c of this.charts.values()) c.clear();
  }

  override onBatchEnd(_batch: number, logs?: Logs): void {
    this.step++;
    if (!logs) return;
    for (const [name, chart] of this.charts) chart.add(this.step, { [name]: logs[name] });
  }

  override onEpochEnd(_epoch: number, logs?: Logs): void {
    if (!logs) return;
    for (const [name, chart] of this.charts)
      chart.add(this.step, { [`epoch ${name}`]: logs[name], [`val_${name}`]: logs[`val_${name}`] });
  }
}

/**
 * Live training curves in your page, like tfjs-vis's `show.fitCallbacks`: one chart per metric
 * with its per-batch values, per-epoch values and (for `val_` names) the validation values.
 *
 * ```ts
 * await model.fit(x, y, { epochs: 10, validationSplit: 0.2,
 *   callbacks: [fitCallbacks(container, ['loss', 'val_loss', 'accuracy'])] });
 * ```
 */
export function fitCallbacks(
  container: HTMLElement,
  metrics: string[],
  options?: FitCallbacksOptions,
): FitCharts {
  return new FitCharts(container, metrics, options);
}
