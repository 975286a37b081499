// HTML tables: confusionMatrix (counts with shaded cells) and modelSummary (layers, output shapes, parameters).
import type { Layer, Model, Shape } from '@webdl/layers';
import { checkContainer, child, numbers, type Values } from './values.js';

/**
 * Options of confusionMatrix.
 *
 * ```ts
 * const options: ConfusionMatrixOptions = { classNames: ['cat', 'dog', 'bird'] };
 * await confusionMatrix(container, labels, predictions.argMax(-1), options);
 * ```
 */
export interface ConfusionMatrixOptions {
  /** Class names for the row and column headers (default 0, 1, ...). */
  classNames?: string[];
  /** Number of classes (default: the largest label or prediction + 1, or classNames.length). */
  numClasses?: number;
}

/**
 * Draws a confusion matrix as an HTML table (rows: true labels, columns: predictions; darker cells
 * hold more samples) and returns the counts. Labels and predictions are integer classes.
 *
 * ```ts
 * const counts = await confusionMatrix(container, labels, predictions.argMax(-1), { classNames: ['cat', 'dog'] });
 * ```
 */
export async function confusionMatrix(
  container: HTMLElement,
  labels: Values,
  predictions: Values,
  options: ConfusionMatrixOptions = {},
): Promise<number[][]> {
  checkContainer('confusionMatrix', container);
  const l = await numbers(labels, 'confusionMatrix', 'labels');
  const p = await numbers(predictions, 'confusionMatrix', 'predictions');
  if (l.length !== p.length)
    throw new Error(`confusionMatrix: ${l.length} labels but ${p.length} predictions`);
  let maxClass = -1;
  for (let i = 0; i < l.length; i++) {
    for (const v of [l[i], p[i]]) {
      if (!Number.isInteger(v) || v < 0)
        throw new Error(
          `confusionMatrix: labels and predictions must be class indices >= 0, got ${v} at ${i}`,
        );
      maxClass = Math.max(maxClass, v);
    }
  }
  const n = options.numClasses ?? options.classNames?.length ?? maxClass + 1;
  if (maxClass >= n) throw new Error(`confusionMatrix: class ${maxClass} is outside the ${n} classes`);
  const counts = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < l.length; i++) counts[l[i]][p[i]]++;
  const names = options.classNames ?? counts.map((_, i) => String(i));
  const most = Math.max(1, ...counts.flat());
  const table = child(container, 'table', 'confusion-matrix');
  const head = child(child(table, 'thead'), 'tr');
  child(head, 'th').textContent = 'label \\ predicted';
  for (const name of names) child(head, 'th').textContent = name;
  const body = child(table, 'tbody');
  counts.forEach((row, i) => {
    const tr = child(body, 'tr');
    child(tr, 'th').textContent = names[i];
    row.forEach((c) => {
      const td = child(tr, 'td');
      td.textContent = String(c);
      const shade = Math.round(255 - (c / most) * 200);
      td.style.background = `rgb(${shade}, ${shade}, 255)`;
      td.style.textAlign = 'right';
    });
  });
  return counts;
}

const fmtShape = (s: Shape | Shape[]): string =>
  Array.isArray(s[0])
    ? (s as Shape[]).map(fmtShape).join(', ')
    : `(${(s as Shape).map((d) => (d === null ? 'None' : String(d))).join(', ')})`;

function outputShape(layer: Layer): string {
  try {
    return fmtShape(layer.outputShape);
  } catch {
    return '?';
  }
}

/**
 * The model's layers as an HTML table (name and class, output shape, parameters) with the total,
 * like tfjs-vis's `show.modelSummary`.
 *
 * ```ts
 * modelSummary(container, model);
 * ```
 */
export function modelSummary(container: HTMLElement, model: Model): HTMLTableElement {
  checkContainer('modelSummary', container);
  if (!model || !Array.isArray(model.layers)) throw new Error('modelSummary: expected a Model (with layers)');
  const table = child(container, 'table', 'model-summary');
  const head = child(child(table, 'thead'), 'tr');
  for (const h of ['Layer (type)', 'Output shape', 'Param #']) child(head, 'th').textContent = h;
  const body = child(table, 'tbody');
  let total = 0;
  for (const layer of model.layers) {
    const tr = child(body, 'tr');
    const params = layer.countParams();
    total += params;
    for (const text of [
      `${layer.name} (${layer.constructor.name})`,
      outputShape(layer),
      params.toLocaleString('en-US'),
    ])
      child(tr, 'td').textContent = text;
  }
  const foot = child(child(table, 'tfoot'), 'tr');
  child(foot, 'td').textContent = 'Total params';
  child(foot, 'td');
  child(foot, 'td').textContent = total.toLocaleString('en-US');
  return table;
}
