import * as vega from 'vega';
import type { TopLevelSpec } from 'vega-lite';
import { assertInert } from '../../report/export/index.js';
import { compileChart } from '../../report/export/compile.js';
import { vegaTextWidth } from '../../report/charts/text-width.js';

// DejaVu Sans' widths instead of vega's 0.8 em guess (report/charts/text-width.ts says why).
(vega as unknown as { textMetrics: { width: typeof vegaTextWidth } }).textMetrics.width = vegaTextWidth;

/**
 * Characters XML 1.0 forbids (C0 controls but tab, LF, CR; U+FFFE/U+FFFF; lone surrogates) become
 * U+FFFD: a NUL in a name from a user file used to make an invalid SVG that crashed the PNG
 * renderer. Names are validated upstream; this is the last line, for any text a chart shows.
 */
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export function xmlSafe(svg: string): string {
  return svg.replace(NOT_XML, '\ufffd');
}

/**
 * Vega-Lite → SVG markup, headless (no DOM, no canvas). Lives in cli/ because vega's view API is
 * asynchronous and the tidy test keeps Promises out of report/.
 */
export async function renderSvg(spec: TopLevelSpec, name: string): Promise<string> {
  const { vega: compiled } = compileChart(spec);
  const view = new vega.View(vega.parse(compiled as vega.Spec), { renderer: 'none', logLevel: vega.Error });
  try {
    const svg = xmlSafe(await view.toSVG());
    assertInert(svg, `${name}.svg`);
    return svg;
  } finally {
    view.finalize();
  }
}
