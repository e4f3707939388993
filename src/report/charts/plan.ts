/**
 * `zksim plan --out` charts, from the plan document (montecarlo/plan-study.ts PlanDocument):
 * the first plan's first run as a timeline of its steps and of each server it took down, above an
 * availability strip (writes down / no spare fault tolerance / spare); and, for several plans or
 * runs, bars comparing the plans' elections, time without writes, time with no spare tolerance and
 * P(quorum lost).
 */
import type { TopLevelSpec } from 'vega-lite';
import type { PlanDocument, PlanRunJson } from '../plan-json.js';
import { formatDurationMs } from '../../stats/format.js';
import { CHART_CONFIG, durationAxisUnit, round, subtitle, type Chart } from './common.js';

const STATE_COLORS = { domain: ['spare', 'no spare', 'writes down', 'server down', 'server starting', 'step'], range: ['#4c9f38', '#f2a900', '#d62728', '#7f7f7f', '#9ecae1', '#3b6ea8'] };

interface Bar {
  readonly row: string;
  readonly fromS: number;
  readonly toS: number;
  readonly what: string;
  readonly label: string;
}

function bars(r: PlanRunJson): Bar[] {
  const t0 = r.startMs;
  const s = (ms: number | null): number => ((ms ?? r.endMs) - t0) / 1000;
  const out: Bar[] = [];
  r.steps.forEach((step, i) => {
    if (step.startMs === null) return;
    out.push({ row: `${i + 1}. ${step.text}`, fromS: s(step.startMs), toS: Math.max(s(step.endMs), s(step.startMs) + 0.5), what: 'step', label: `${step.text} (${step.outcome})` });
    for (const t of step.servers) {
      out.push({ row: `server ${t.server}`, fromS: s(t.stopMs), toS: s(t.startMs), what: 'server down', label: `server ${t.server} down (step ${i + 1})` });
      if (t.startMs !== null) out.push({ row: `server ${t.server}`, fromS: s(t.startMs), toS: s(t.servingMs), what: 'server starting', label: `server ${t.server} starting and syncing` });
    }
  });
  for (const seg of r.strip) out.push({ row: 'ensemble', fromS: s(seg.startMs), toS: s(seg.endMs), what: seg.state, label: seg.state });
  return out;
}

/** A row name in lines of at most `width` characters, broken at spaces (a step is never cut short: its whole text is the row). */
export function wrapLabel(text: string, width = 100): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  return [...lines, line];
}

/**
 * The timeline of one run (the document's first plan, first run): x in the unit the run's length
 * reads best in (durationAxisUnit); the legend lists only the states drawn; a long step name wraps.
 */
export function planTimeline(doc: PlanDocument): TopLevelSpec {
  const study = doc.plans[0];
  const r = study?.first;
  const unit = durationAxisUnit(1000 * Math.max(0, ...(r === undefined ? [] : bars(r)).map((b) => b.toS)));
  const data = (r === undefined ? [] : bars(r)).map((b) => ({ ...b, fromS: round(b.fromS / (unit.ms / 1000)), toS: round(b.toS / (unit.ms / 1000)) }));
  const rows = [...new Set(data.filter((b) => b.row !== 'ensemble').map((b) => b.row)), 'ensemble'];
  const drawn = STATE_COLORS.domain.flatMap((d, i) => (data.some((b) => b.what === d) ? [[d, STATE_COLORS.range[i] ?? '#000'] as const] : []));
  const scale = { domain: drawn.map(([d]) => d), range: drawn.map(([, c]) => c) };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: { text: `Plan ${r?.name ?? ''} on ${doc.topology}: steps, servers down, and the ensemble's spare fault tolerance`, subtitle: subtitle({ seed: doc.seed, version: doc.version, topology: doc.topology, details: r ? [`${r.outcome}`, `${r.elections} election(s)`] : [] }) },
    config: CHART_CONFIG,
    width: 720,
    // Each row's name is written above its bars, not in an axis beside them: step names are long,
    // and an axis of them took a quarter of the chart's width from the timeline.
    height: { step: rows.some((row) => wrapLabel(row).length > 1) ? 50 : 36 },
    data: { values: data as unknown as Record<string, unknown>[] },
    encoding: { y: { field: 'row', type: 'nominal', sort: rows, title: null, axis: null } },
    layer: [
      {
        mark: { type: 'bar', height: { band: 0.45 } },
        encoding: {
          x: { field: 'fromS', type: 'quantitative', title: `time since the plan started (${unit.name})` },
          x2: { field: 'toS' },
          color: { field: 'what', type: 'nominal', scale, title: null },
          tooltip: [{ field: 'label' }, { field: 'fromS', title: `from (${unit.name})`, format: '.3f' }, { field: 'toS', title: `to (${unit.name})`, format: '.3f' }],
        },
      },
      {
        data: { values: rows.map((row) => ({ row, lines: wrapLabel(row) })) },
        mark: { type: 'text', align: 'left', baseline: 'bottom', dy: -9, x: 2, color: '#222' },
        encoding: { text: { field: 'lines' } },
      },
    ],
  };
}

interface Metric {
  readonly name: string;
  readonly rows: readonly { readonly plan: string; readonly value: number; readonly lo: number; readonly hi: number; readonly text: string }[];
}

/** A duration metric in the unit its longest interval reads best in (durationAxisUnit): 253 s → min. */
function durationMetric(doc: PlanDocument, what: string, of: (p: PlanDocument['plans'][number]) => { mean: number; ci95: readonly [number, number] }): Metric {
  const unit = durationAxisUnit(Math.max(0, ...doc.plans.map((p) => of(p).ci95[1])));
  const rows = doc.plans.map((p) => {
    const m = of(p);
    return { plan: p.plan, value: round(m.mean / unit.ms), lo: round(Math.max(0, m.ci95[0]) / unit.ms), hi: round(m.ci95[1] / unit.ms), text: formatDurationMs(m.mean) };
  });
  return { name: `${what} (${unit.name})`, rows };
}

/**
 * Bars comparing the plans (mean per run, the black rule its 95% interval), one panel per
 * measure: durations in the unit their longest reads best in, each bar labelled with its value
 * (3 s beside 253 s is a bar a pixel wide), the panel titles on two lines so they cannot run into
 * each other.
 */
export function planComparison(doc: PlanDocument): TopLevelSpec {
  const metrics: Metric[] = [
    { name: 'elections per run', rows: doc.plans.map((p) => ({ plan: p.plan, value: p.elections.mean, lo: Math.max(0, p.elections.ci95[0]), hi: p.elections.ci95[1], text: p.elections.mean.toFixed(2) })) },
    durationMetric(doc, 'time without writes', (p) => p.writeDownMs),
    durationMetric(doc, 'time with no spare tolerance', (p) => p.noSpareMs),
    { name: 'P(quorum lost) (%)', rows: doc.plans.map((p) => ({ plan: p.plan, value: round(100 * p.quorumLost.p), lo: round(100 * p.quorumLost.ci95[0]), hi: round(100 * p.quorumLost.ci95[1]), text: `${(100 * p.quorumLost.p).toFixed(1)}%` })) },
  ];
  // an unseen point past the longest interval leaves room for the value labels in each panel
  const values = metrics.flatMap((m) => {
    const pad = round(1.35 * Math.max(0, ...m.rows.map((r) => Math.max(r.hi, r.value))));
    return m.rows.map((r) => ({ ...r, metric: m.name, pad }));
  });
  const y = { field: 'plan', type: 'nominal', title: null, axis: { labelLimit: 320 } } as const;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: { text: `Plans compared on ${doc.topology} (mean per run, 95% intervals)`, subtitle: [subtitle({ seed: doc.seed, version: doc.version, topology: doc.topology, details: [`${doc.runs} runs per plan`, `failures: ${doc.failures ?? 'none'}`] }), 'bar: the mean per run, labelled; black rule: its 95% interval'] },
    config: CHART_CONFIG,
    data: { values },
    facet: { column: { field: 'metric', type: 'nominal', title: null, sort: metrics.map((m) => m.name), header: { labelExpr: "split(replace(datum.label, ' (', '|('), '|')", labelLimit: 0 } } },
    resolve: { scale: { x: 'independent' } },
    spec: {
      width: 170,
      height: { step: 24 },
      encoding: { y },
      layer: [
        { mark: 'bar', encoding: { x: { field: 'value', type: 'quantitative', title: null }, color: { field: 'plan', type: 'nominal', legend: null }, tooltip: [{ field: 'plan' }, { field: 'metric' }, { field: 'text', title: 'mean' }, { field: 'lo' }, { field: 'hi' }] } },
        { mark: { type: 'rule', color: 'black' }, encoding: { x: { field: 'lo', type: 'quantitative' }, x2: { field: 'hi' } } },
        { mark: { type: 'text', align: 'left', dx: 4, color: '#222' }, encoding: { x: { field: 'hi', type: 'quantitative' }, text: { field: 'text' } } },
        { mark: { type: 'point', opacity: 0 }, encoding: { x: { field: 'pad', type: 'quantitative' } } },
      ],
    },
  };
}

/** Every chart a plan document supports: the timeline, and the comparison when there are several plans or runs. */
export function planCharts(doc: PlanDocument): Chart[] {
  const charts: Chart[] = [{ name: 'plan-timeline', title: 'Plan timeline', spec: planTimeline(doc) }];
  if (doc.plans.length > 1 || doc.runs > 1) charts.push({ name: 'plan-comparison', title: 'Plans compared', spec: planComparison(doc) });
  return charts;
}
