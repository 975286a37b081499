// The few layout rules uPlot's markup needs (absolute overlay, legend), added to the page once by the first chart.

const RULES = `
.uplot { font-family: inherit; line-height: 1.5; width: min-content; }
.uplot .u-title { text-align: center; font-size: 14px; font-weight: 600; }
.uplot .u-wrap { position: relative; user-select: none; }
.uplot .u-over, .uplot .u-under, .uplot .u-axis { position: absolute; }
.uplot .u-under { overflow: hidden; }
.uplot canvas { display: block; position: relative; width: 100%; height: 100%; }
.uplot .u-legend { font-size: 12px; margin: 0 auto; text-align: center; }
.uplot .u-legend tr { display: inline-block; margin-right: 10px; cursor: pointer; }
.uplot .u-legend th { font-weight: normal; }
.uplot .u-legend .u-marker { width: 0.8em; height: 0.8em; margin-right: 4px; display: inline-block; vertical-align: middle; }
.uplot .u-legend .u-off > * { opacity: 0.3; }
.uplot .u-select { position: absolute; pointer-events: none; background: rgba(127, 127, 127, 0.15); }
.uplot .u-cursor-x, .uplot .u-cursor-y, .uplot .u-cursor-pt { position: absolute; left: 0; top: 0; pointer-events: none; }
.uplot .u-cursor-x { height: 100%; border-right: 1px dashed #888; }
.uplot .u-cursor-y { width: 100%; border-bottom: 1px dashed #888; }
.uplot .u-cursor-pt { border-radius: 50%; border: 0 solid; background-clip: padding-box !important; }
.uplot .u-off { display: none; }
.uplot .u-legend .u-off { display: inline-block; }
`;

/**
 * Adds the chart layout rules to the document (once; a no-op without a document).
 *
 * ```ts
 * ensureStyles();
 * ```
 */
export function ensureStyles(): void {
  if (typeof document === 'undefined' || document.getElementById('webdl-vis-styles')) return;
  const style = document.createElement('style');
  style.id = 'webdl-vis-styles';
  style.textContent = RULES;
  document.head.appendChild(style);
}
