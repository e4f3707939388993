import * as vega from 'vega';
import type { TopLevelSpec } from 'vega-lite';
import { assertInert, compileChart } from '../../report/export/index.js';

/**
 * Vega-Lite → SVG markup, headless (no DOM, no canvas). Lives in cli/ because vega's view API is
 * asynchronous and the tidy test keeps Promises out of report/.
 */
export async function renderSvg(spec: TopLevelSpec, name: string): Promise<string> {
  const { vega: compiled } = compileChart(spec);
  const view = new vega.View(vega.parse(compiled as vega.Spec), { renderer: 'none', logLevel: vega.Error });
  try {
    const svg = await view.toSVG();
    assertInert(svg, `${name}.svg`);
    return svg;
  } finally {
    view.finalize();
  }
}
