import { availabilityCharts, availabilityMeta, runCharts, subtitle, type AvailabilityInput, type Chart, type RunInput } from '../../report/charts/index.js';
import { assertInert, specJson, type Format } from '../../report/export/index.js';
import { availabilityAssumptions, availabilityTables, availabilityWarnings, reportHtml, runTables, type ReportChart } from '../../report/html/index.js';
import { fontsAvailable, pngTooLarge, svgToPng } from './png.js';
import { writeFilesAtomic, type OutputFile } from './write.js';

/**
 * The SVG renderer, loaded on first use: vega and vega-lite take ~0.45 s to import, and most
 * invocations (a text table, --help, validate, --json) draw nothing.
 */
export async function svgRenderer(): Promise<typeof import('./svg.js').renderSvg> {
  return (await import('./svg.js')).renderSvg;
}

export type ResultDocument =
  | { readonly kind: 'run'; readonly doc: RunInput }
  | { readonly kind: 'availability'; readonly doc: AvailabilityInput & { readonly assumptions?: readonly string[]; readonly notes?: readonly string[] } };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Which saved result a parsed JSON value is, by its keys; null when it is neither. */
export function detectDocument(value: unknown): ResultDocument | null {
  if (!isRecord(value)) return null;
  if (Array.isArray(value.timeline) && typeof value.durationMs === 'number' && Array.isArray(value.elections) && typeof value.seed === 'string') {
    return { kind: 'run', doc: { faults: [], version: '?', topology: '?', ...value } as unknown as RunInput };
  }
  if ((value.kind === 'zksim-availability' || Array.isArray(value.results)) && Array.isArray(value.results) && typeof value.seed === 'string') {
    const ok = value.results.every((r) => isRecord(r) && typeof r.topology === 'string' && typeof r.writeAvailability === 'number');
    if (ok) return { kind: 'availability', doc: { experiment: '', version: '?', ...value } as unknown as AvailabilityInput };
  }
  return null;
}

export interface WriteReportOptions {
  readonly dir: string;
  readonly formats: readonly Format[];
  /** files written in the same all-or-nothing batch, e.g. run.json */
  readonly extra?: readonly OutputFile[];
}

export interface WriteReportResult {
  readonly files: string[];
  readonly warnings: string[];
}

/** Charts of a result: `.vl.json` always, plus the asked formats; `report.html` holds them all with the tables. */
export async function writeReport(result: ResultDocument, opts: WriteReportOptions): Promise<WriteReportResult> {
  const charts: Chart[] = result.kind === 'run' ? runCharts(result.doc) : availabilityCharts(result.doc);
  const wants = (f: Format): boolean => opts.formats.includes(f);
  const warnings: string[] = [];
  if (wants('png') && !fontsAvailable()) warnings.push('no fonts found: PNG charts have no text (install Debian fonts-dejavu-core); the SVG and HTML are unaffected');
  const files: OutputFile[] = [...(opts.extra ?? [])];
  const inReport: ReportChart[] = [];
  for (const chart of charts) {
    const names = [`${chart.name}.vl.json`];
    files.push({ name: `${chart.name}.vl.json`, data: specJson(chart.spec) });
    if (!wants('svg') && !wants('png') && !wants('html')) continue;
    const svg = await (await svgRenderer())(chart.spec, chart.name);
    if (wants('svg')) {
      files.push({ name: `${chart.name}.svg`, data: svg });
      names.unshift(`${chart.name}.svg`);
    }
    const tooLarge = wants('png') ? pngTooLarge(svg) : null;
    if (tooLarge !== null) warnings.push(`${chart.name}.png not written: ${tooLarge}`);
    else if (wants('png')) {
      files.push({ name: `${chart.name}.png`, data: svgToPng(svg) });
      names.splice(names.length - 1, 0, `${chart.name}.png`);
    }
    inReport.push({ name: chart.name, title: chart.title, svg, files: names });
  }
  if (wants('html')) {
    const html = reportHtml(reportInput(result, inReport));
    assertInert(html, 'report.html');
    files.push({ name: 'report.html', data: html });
  }
  return { files: writeFilesAtomic(opts.dir, files), warnings };
}

function reportInput(result: ResultDocument, charts: ReportChart[]): Parameters<typeof reportHtml>[0] {
  if (result.kind === 'run') {
    const run = result.doc;
    return {
      title: `zksim run of ${run.topology}`,
      subtitle: subtitle({ seed: run.seed, topology: run.topology, version: run.version, details: run.faults.length ? [`faults ${run.faults.join(', ')}`] : ['no faults'] }),
      charts,
      tables: runTables(run),
    };
  }
  const doc = result.doc;
  const sweep = doc.results.some((r) => r.variant);
  return {
    title: sweep ? `zksim sweep: ${doc.experiment || 'availability'}` : `zksim availability: ${doc.results.map((r) => r.topology).join(', ')}`,
    subtitle: subtitle(availabilityMeta(doc)),
    charts,
    tables: availabilityTables(doc),
    notes: [...(doc.notes ?? [])],
    warnings: availabilityWarnings(doc),
    assumptions: availabilityAssumptions(doc),
  };
}
