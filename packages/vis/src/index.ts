// @webdl/vis: charts for webdl in your own page (like tfjs-vis), on uPlot: small and fast canvas charts.
export { fitCallbacks, FitCharts, type FitCallbacksOptions } from './fit-callbacks.js';
export { LiveChart, type LiveChartOptions } from './live-chart.js';
export { confusionMatrix, modelSummary, type ConfusionMatrixOptions } from './tables.js';
export { histogram, imageGrid, type HistogramOptions, type ImageGridOptions } from './images.js';
export type { Values } from './values.js';
