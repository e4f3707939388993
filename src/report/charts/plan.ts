/**
 * `zksim plan --out` charts, from the plan document (montecarlo/plan-study.ts PlanDocument):
 * the first plan's first run as a timeline of its steps and of each server it took down, above an
 * availability strip (writes down / no spare fault tolerance / spare); and, for several plans or
 * runs, bars comparing the plans' elections, time without writes, time with no spare tolerance and
 * P(quorum lost).
 */
import type { TopLevelSpec } from 'vega-lite';
import type { PlanDocument, PlanRunJson } from '../plan-json.js';
import { CHART_CONFIG, subtitle, type Chart } from './common.js';

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
    const text = step.text.length > 90 ? `${step.text.slice(0, 89)}…` : step.text;
    out.push({ row: `${i + 1}. ${text}`, fromS: s(step.startMs), toS: Math.max(s(step.endMs), s(step.startMs) + 0.5), what: 'step', label: `${step.text} (${step.outcome})` });
    for (const t of step.servers) {
      out.push({ row: `server ${t.server}`, fromS: s(t.stopMs), toS: s(t.startMs), what: 'server down', label: `server ${t.server} down (step ${i + 1})` });
      if (t.startMs !== null) out.push({ row: `server ${t.server}`, fromS: s(t.startMs), toS: s(t.servingMs), what: 'server starting', label: `server ${t.server} starting and syncing` });
    }
  });
  for (const seg of r.strip) out.push({ row: 'ensemble', fromS: s(seg.startMs), toS: s(seg.endMs), what: seg.state, label: seg.state });
  return out;
}

/** The timeline of one run (the document's first plan, first run). */
export function planTimeline(doc: PlanDocument): TopLevelSpec {
  const study = doc.plans[0];
  const r = study?.first;
  const data = r === undefined ? [] : bars(r);
  const rows = [...new Set(data.filter((b) => b.row !== 'ensemble').map((b) => b.row)), 'ensemble'];
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: { text: `Plan ${r?.name ?? ''} on ${doc.topology}: steps, servers down, and the ensemble's spare fault tolerance`, subtitle: subtitle({ seed: doc.seed, version: doc.version, topology: doc.topology, details: r ? [`${r.outcome}`, `${r.elections} election(s)`] : [] }) },
    config: CHART_CONFIG,
    width: 720,
    // Each row's name is written above its bars, not in an axis beside them: step names are long,
    // and an axis of them took a quarter of the chart's width from the timeline.
    height: { step: 36 },
    data: { values: data as unknown as Record<string, unknown>[] },
    encoding: { y: { field: 'row', type: 'nominal', sort: rows, title: null, axis: null } },
    layer: [
      {
        mark: { type: 'bar', height: { band: 0.45 } },
        encoding: {
          x: { field: 'fromS', type: 'quantitative', title: 's since the plan started' },
          x2: { field: 'toS' },
          color: { field: 'what', type: 'nominal', scale: STATE_COLORS, title: null },
          tooltip: [{ field: 'label' }, { field: 'fromS', format: '.3f' }, { field: 'toS', format: '.3f' }],
        },
      },
      {
        data: { values: rows.map((row) => ({ row })) },
        mark: { type: 'text', align: 'left', baseline: 'bottom', dy: -9, x: 2, color: '#222' },
        encoding: { text: { field: 'row' } },
      },
    ],
  };
}

/** Bars comparing the plans (mean per run; P(quorum lost) with its 95% interval). */
export function planComparison(doc: PlanDocument): TopLevelSpec {
  const values = doc.plans.flatMap((p) => [
    { plan: p.plan, metric: 'elections per run', value: p.elections.mean, lo: Math.max(0, p.elections.ci95[0]), hi: p.elections.ci95[1] },
    { plan: p.plan, metric: 'time without writes (s)', value: p.writeDownMs.mean / 1000, lo: Math.max(0, p.writeDownMs.ci95[0]) / 1000, hi: p.writeDownMs.ci95[1] / 1000 },
    { plan: p.plan, metric: 'time with no spare tolerance (s)', value: p.noSpareMs.mean / 1000, lo: Math.max(0, p.noSpareMs.ci95[0]) / 1000, hi: p.noSpareMs.ci95[1] / 1000 },
    { plan: p.plan, metric: 'P(quorum lost) (%)', value: 100 * p.quorumLost.p, lo: 100 * p.quorumLost.ci95[0], hi: 100 * p.quorumLost.ci95[1] },
  ]);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: { text: `Plans compared on ${doc.topology} (mean per run, 95% intervals)`, subtitle: subtitle({ seed: doc.seed, version: doc.version, topology: doc.topology, details: [`${doc.runs} runs per plan`, `failures: ${doc.failures ?? 'none'}`] }) },
    config: CHART_CONFIG,
    data: { values },
    facet: { column: { field: 'metric', type: 'nominal', title: null, sort: ['elections per run', 'time without writes (s)', 'time with no spare tolerance (s)', 'P(quorum lost) (%)'] } },
    resolve: { scale: { x: 'independent' } },
    spec: {
      width: 170,
      height: { step: 24 },
      layer: [
        { mark: 'bar', encoding: { y: { field: 'plan', type: 'nominal', title: null, axis: { labelLimit: 320 } }, x: { field: 'value', type: 'quantitative', title: null }, color: { field: 'plan', type: 'nominal', legend: null } } },
        { mark: { type: 'rule', color: 'black' }, encoding: { y: { field: 'plan', type: 'nominal' }, x: { field: 'lo', type: 'quantitative' }, x2: { field: 'hi' } } },
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
