// report/html — one self-contained report page: inline SVG charts and tables, no scripts, no fetches.
import type { Table } from './tables.js';

export * from './tables.js';

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text → HTML text or attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] as string);
}

export interface ReportChart {
  readonly name: string;
  readonly title: string;
  /** rendered SVG markup (vega escapes the data it draws) */
  readonly svg: string;
  /** sibling files written next to report.html, linked under the chart */
  readonly files: readonly string[];
}

export interface ReportInput {
  readonly title: string;
  /** seed, experiment or topology, version: what every output states */
  readonly subtitle: string;
  readonly charts: readonly ReportChart[];
  readonly tables: readonly Table[];
  readonly notes?: readonly string[];
  /**
   * warnings about the numbers (too few episodes, closed form outside an interval, impossible
   * values: the JSON rows' `warnings`), shown in a block at the head of the Tables section
   */
  readonly warnings?: readonly string[];
  /** the "Assumptions" section: headed lists (failure model, placement, runs, estimation rules) */
  readonly assumptions?: readonly AssumptionBlock[];
}

export interface AssumptionBlock {
  readonly heading: string;
  readonly items: readonly string[];
}

const STYLE = `
:root { color-scheme: light; }
body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; margin: 2rem auto; max-width: 1200px; padding: 0 1rem; color: #222; }
h1 { font-size: 1.5rem; margin-bottom: 0.2rem; }
.meta { color: #555; margin-top: 0; }
nav ul { padding-left: 1.2rem; }
section.chart { margin: 2rem 0; border-top: 1px solid #ddd; padding-top: 1rem; }
section.chart figure { margin: 0; overflow-x: auto; }
section.chart svg { max-width: 100%; height: auto; }
.files { font-size: 0.85rem; color: #555; }
table { border-collapse: collapse; margin: 1rem 0 2rem; font-size: 0.85rem; }
caption { text-align: left; font-weight: bold; padding: 0.3rem 0; }
th, td { border: 1px solid #ccc; padding: 0.25rem 0.5rem; vertical-align: top; }
th { background: #f3f3f3; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
section.warnings { border: 2px solid #b45309; background: #fff7ed; padding: 0.5rem 1rem; margin: 1rem 0; }
section.warnings h3 { margin: 0.2rem 0; color: #92400e; }
.table-wrap { overflow-x: auto; }
`;

function tableHtml(t: Table): string {
  const head = t.columns.some((c) => c !== '') ? `<thead><tr>${t.columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr></thead>` : '';
  const body = t.rows
    .map((r) => `<tr>${r.map((cell, i) => `<td${t.numeric?.[i] ? ' class="num"' : ''}>${escapeHtml(cell)}</td>`).join('')}</tr>`)
    .join('\n');
  return `<div class="table-wrap"><table><caption>${escapeHtml(t.caption)}</caption>${head}<tbody>\n${body}\n</tbody></table></div>`;
}

function chartId(c: ReportChart): string {
  return `chart-${c.name.replace(/[^a-z0-9-]/gi, '-')}`;
}

/**
 * Charts with a title shared by another (two runs of the same topology in a demo: "Each server's role
 * over time in one run of n3-3az" twice) get their name after the title, in the contents and the
 * heading, so no two entries read the same.
 */
export function distinctTitles(charts: readonly ReportChart[]): ReportChart[] {
  const count = new Map<string, number>();
  for (const c of charts) count.set(c.title, (count.get(c.title) ?? 0) + 1);
  return charts.map((c) => ((count.get(c.title) ?? 0) > 1 ? { ...c, title: `${c.title} — ${c.name}` } : c));
}

function chartHtml(c: ReportChart): string {
  const id = chartId(c);
  const files = c.files.map((f) => `<a href="${escapeHtml(encodeURI(f))}">${escapeHtml(f)}</a>`).join(' · ');
  return [
    `<section class="chart" id="${id}" data-chart="${escapeHtml(c.name)}">`,
    `<h2>${escapeHtml(c.title)}</h2>`,
    `<figure>${c.svg}</figure>`,
    files ? `<p class="files">files: ${files}</p>` : '',
    `</section>`,
  ].join('\n');
}

/**
 * The report page. Self-contained (charts are inline SVG, styles inline), so it opens offline by
 * double-click; a Content-Security-Policy forbids every script and remote fetch as a second line
 * of defence behind escaping.
 */
export function reportHtml(input: ReportInput): string {
  const charts = distinctTitles(input.charts);
  const nav = charts.map((c) => `<li><a href="#${chartId(c)}">${escapeHtml(c.title)}</a></li>`).join('\n');
  const notes = input.notes && input.notes.length > 0 ? `<section id="notes"><h2>${input.assumptions ? 'Notes' : 'Notes and assumptions'}</h2><ul>${input.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('\n')}</ul></section>` : '';
  const warnings =
    input.warnings && input.warnings.length > 0
      ? `<section class="warnings" id="warnings"><h3>Warnings (${input.warnings.length})</h3><ul>${input.warnings.map((w) => `<li>${escapeHtml(w)}</li>`).join('\n')}</ul></section>`
      : '';
  const assumptions = input.assumptions
    ? `<section id="assumptions"><h2>Assumptions</h2>\n${input.assumptions.map((b) => `<h3>${escapeHtml(b.heading)}</h3><ul>${b.items.map((i) => `<li>${escapeHtml(i)}</li>`).join('\n')}</ul>`).join('\n')}\n</section>`
    : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(input.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>${escapeHtml(input.title)}</h1>
<p class="meta">${escapeHtml(input.subtitle)}</p>
</header>
<nav><ul>
${nav}
${warnings ? `<li><a href="#warnings">Warnings (${input.warnings?.length ?? 0})</a></li>` : ''}
<li><a href="#tables">Tables</a></li>
${input.assumptions ? '<li><a href="#assumptions">Assumptions</a></li>' : ''}
</ul></nav>
<main>
${charts.map(chartHtml).join('\n')}
<section id="tables">
<h2>Tables</h2>
${warnings}
${input.tables.map(tableHtml).join('\n')}
</section>
${assumptions}
${notes}
</main>
</body>
</html>
`;
}
