/**
 * Alert charts (issue 15 §1): the alert rows of a run's timeline (timeline.ts draws them under
 * the servers: one row per rule, a bar from firing to resolved), an alert study's alerts per
 * year by rule with their 95% intervals, and a tune sweep's detection time vs false pages per
 * year curve, each point labelled with its threshold (or `for:`).
 */
import type { TopLevelSpec } from 'vega-lite';
import type { AlertStudy } from '../../montecarlo/alert-study-stats.js';
import type { TuneResult } from '../../montecarlo/alert-study-tune.js';
import { CHART_CONFIG, PLOT_WIDTH, round, subtitle, type Chart } from './common.js';

/** An alert as `zksim run --alerts --json` reports it (ms). */
export interface RunAlertJson {
  readonly alert: string;
  readonly severity: 'page' | 'ticket';
  readonly activeAtMs: number;
  readonly firedAtMs: number;
  readonly resolvedAtMs: number | null;
}

/** Colors of the alert bars, appended to the timeline's role legend. */
export const ALERT_COLORS: ReadonlyArray<readonly [string, string]> = [
  ['page firing', '#7b1fa2'],
  ['ticket firing', '#c51b8a'],
];

/** The timeline rows (`alert NAME`) and bars of a run's alerts; `t` converts ms to the axis unit. */
export function alertRows(alerts: readonly RunAlertJson[], durationMs: number, t: (ms: number) => number): { rows: string[]; bars: Record<string, unknown>[] } {
  const rows = [...new Set(alerts.map((a) => `alert ${a.alert}`))];
  const bars = alerts.map((a) => {
    const endMs = a.resolvedAtMs ?? durationMs;
    return { row: `alert ${a.alert}`, state: `${a.severity} firing`, detail: a.severity, start: t(a.firedAtMs), end: t(Math.max(endMs, a.firedAtMs + durationMs / 400)), startMs: a.firedAtMs, endMs };
  });
  return { rows, bars };
}

/** Alerts per cluster-year by rule, with exact Poisson 95% intervals. */
export function studyChart(s: AlertStudy & { readonly version: string }): Chart {
  const values = s.byRule.map((r) => ({ rule: `${r.alert} (${r.severity})`, perYear: round(r.perYear), lo: round(r.ci95[0]), hi: round(r.ci95[1]), severity: r.severity }));
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: { text: `Alerts per cluster-year on ${s.topology} (rules ${s.rulesName})`, subtitle: subtitle({ seed: s.seed, version: s.version, experiment: s.experiment, topology: s.topology, details: [`${s.runs} runs, ${s.clusterYears.toFixed(1)} cluster-years`, 'bars: 95% CI'] }) },
    config: CHART_CONFIG,
    width: PLOT_WIDTH,
    height: { step: 34 },
    data: { values },
    layer: [
      { mark: { type: 'bar', height: { band: 0.6 } }, encoding: { y: { field: 'rule', type: 'nominal', title: null, sort: null }, x: { field: 'perYear', type: 'quantitative', title: 'alerts per cluster-year' }, color: { field: 'severity', type: 'nominal', scale: { domain: ['page', 'ticket'], range: ['#7b1fa2', '#c51b8a'] } } } },
      { mark: { type: 'rule', color: '#222' }, encoding: { y: { field: 'rule', type: 'nominal', sort: null }, x: { field: 'lo', type: 'quantitative' }, x2: { field: 'hi' } } },
    ],
  };
  return { name: 'alert-study', title: 'Alerts per cluster-year by rule', spec };
}

/** Median time to detect (s) against false pages per year, one point per value, in value order. */
export function tuneChart(t: TuneResult & { readonly version: string }): Chart {
  const knob = t.knob === 'for' ? 'for' : 'threshold';
  const values = t.points
    .filter((p) => p.detection.p50Sec !== null)
    .map((p, i) => ({ order: i, falsePerYear: round(p.falsePagesPerYear), detectSec: round(p.detection.p50Sec as number), p95Sec: round(p.detection.p95Sec as number), label: `${knob} ${t.knob === 'for' ? `${p.value}s` : p.value} · ${p.caught}/${p.outages}`, caught: `${p.caught}/${p.outages}` }));
  // from 0, and wide enough to read when no value pages falsely (a vertical curve)
  const xMax = Math.max(1, ...values.map((v) => v.falsePerYear * 1.25));
  const x = { field: 'falsePerYear', type: 'quantitative' as const, title: 'false pages per cluster-year', scale: { domain: [0, round(xMax)] } };
  const none = t.points.filter((p) => p.detection.p50Sec === null).map((p) => p.value);
  const left = none.length === 0 ? '' : `; ${knob} ${none.join(', ')} caught no outage (not drawn)`;
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: {
      text: `${t.rule}: time to detect a write outage vs false pages, by ${knob}`,
      subtitle: [subtitle({ seed: t.seed, version: t.version, experiment: t.experiment, topology: t.topology, details: [`${t.runs} runs, ${t.clusterYears.toFixed(1)} cluster-years`] }), `median time to detect of the outages each value catches; labels: the value · outages caught${left}`],
    },
    config: CHART_CONFIG,
    width: PLOT_WIDTH,
    height: 380,
    data: { values },
    layer: [
      { mark: { type: 'line', point: true, color: '#1f4e9c' }, encoding: { x, y: { field: 'detectSec', type: 'quantitative', title: 'median time to detect (s)' }, order: { field: 'order' }, tooltip: [{ field: 'label' }, { field: 'falsePerYear' }, { field: 'detectSec' }, { field: 'p95Sec' }, { field: 'caught' }] } },
      { mark: { type: 'text', dx: 8, align: 'left', baseline: 'middle' }, encoding: { x, y: { field: 'detectSec', type: 'quantitative' }, text: { field: 'label' } } },
    ],
  };
  return { name: 'alert-tune', title: 'Time to detect vs false pages per year', spec };
}
