// model.summary(): the Keras 3 table of layers, output shapes and parameter counts.
import type { Layer, Shape } from '../engine/layer.js';
import { isShapeList } from '../engine/layer.js';
import type { Model } from './model.js';

const fmtShape = (s: Shape | Shape[]): string =>
  isShapeList(s)
    ? s.map(fmtShape).join(', ')
    : `(${s.map((d) => (d === null ? 'None' : String(d))).join(', ')}${s.length === 1 ? ',' : ''})`;

const fmtInt = (n: number): string => n.toLocaleString('en-US');

function fmtBytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(2)} ${units[u]}`;
}

function outputShapeOf(layer: Layer): string {
  try {
    return fmtShape(layer.outputShape);
  } catch {
    return '?';
  }
}

function fit(text: string, width: number, right = false): string {
  const t = text.length > width - 2 ? `${text.slice(0, width - 3)}…` : text;
  return right ? ` ${t.padStart(width - 2)} ` : ` ${t.padEnd(width - 2)} `;
}

/**
 * The summary text of a model: one row per layer (name and class, output shape, parameters, and for
 * functional models the layers it is connected to), then total/trainable/non-trainable parameters.
 *
 * ```ts
 * console.log(summarize(model));
 * ```
 */
export function summarize(model: Model, lineLength?: number): string {
  const layers = model.layers;
  const functional = model.isGraph && model.getClassName() !== 'Sequential';
  const headers = functional
    ? ['Layer (type)', 'Output Shape', 'Param #', 'Connected to']
    : ['Layer (type)', 'Output Shape', 'Param #'];
  const rows = layers.map((l) => {
    const row = [`${l.name} (${l.getClassName()})`, outputShapeOf(l), fmtInt(l.countParams())];
    if (functional) {
      const node = l.inboundNodes.find((nd) => nd.inputs.length > 0);
      row.push(
        node
          ? node.inputs.map((t) => `${t.sourceLayer.name}[${t.nodeIndex}][${t.tensorIndex}]`).join(', ')
          : '-',
      );
    }
    return row;
  });
  const base = functional ? [28, 24, 11, 22] : [33, 24, 15];
  const widths = base.map((w, i) => Math.max(w, headers[i].length + 2, ...rows.map((r) => r[i].length + 2)));
  if (lineLength)
    widths[0] = Math.max(
      widths[0],
      lineLength - widths.slice(1).reduce((a, b) => a + b, 0) - widths.length - 1,
    );
  const line = (l: string, m: string, r: string, ch: string) =>
    l + widths.map((w) => ch.repeat(w)).join(m) + r;
  const out: string[] = [`Model: "${model.name}"`];
  out.push(line('┏', '┳', '┓', '━'));
  out.push('┃' + headers.map((h, i) => fit(h, widths[i], i === 2)).join('┃') + '┃');
  out.push(line('┡', '╇', '┩', '━'));
  rows.forEach((r, k) => {
    out.push('│' + r.map((c, i) => fit(c, widths[i], i === 2)).join('│') + '│');
    if (k < rows.length - 1) out.push(line('├', '┼', '┤', '─'));
  });
  out.push(line('└', '┴', '┘', '─'));
  const trainable = model.trainableWeights.reduce((n, w) => n + w.size, 0);
  const all = model.countParams();
  const bytes = (n: number) => fmtBytes(n * 4);
  out.push(` Total params: ${fmtInt(all)} (${bytes(all)})`);
  out.push(` Trainable params: ${fmtInt(trainable)} (${bytes(trainable)})`);
  out.push(` Non-trainable params: ${fmtInt(all - trainable)} (${bytes(all - trainable)})`);
  return out.join('\n');
}
