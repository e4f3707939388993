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

/**
 * Median time to detect (s) against false pages per year, one point per value, in value order.
 * A value that caught no outage (an always-true threshold: its page fires before every outage)
 * is drawn in red on a line above the curve, at its false pages per year, labelled with the share
 * of time it pages for nothing.
 */
export function tuneChart(t: TuneResult & { readonly version: string }): Chart {
  const knob = t.knob === 'for' ? 'for' : 'threshold';
  const name = (v: number): string => `${knob} ${t.knob === 'for' ? `${v}s` : v}`;
  const paging = (f: number): string => (f === 0 ? '' : ` · paging ${f < 0.001 ? '< 0.1' : (f * 100).toFixed(1)}% of the time`);
  const caught = t.points.filter((p) => p.detection.p50Sec !== null);
  const values = caught.map((p, i) => ({ order: i, falsePerYear: round(p.falsePagesPerYear), detectSec: round(p.detection.p50Sec as number), p95Sec: round(p.detection.p95Sec as number), label: `${name(p.value)} · ${p.caught}/${p.outages}${paging(p.falsePagingFraction)}`, caught: `${p.caught}/${p.outages}` }));
  const none = t.points.filter((p) => p.detection.p50Sec === null);
  const noneY = round(Math.max(1, ...values.map((v) => v.p95Sec)) * 1.15);
  // values drawn at the same point share one label (`threshold 2, 3 · …`)
  const grouped = new Map<string, { falsePerYear: number; values: number[]; fraction: number }>();
  for (const p of none) {
    const key = `${round(p.falsePagesPerYear)} ${paging(p.falsePagingFraction)}`;
    const g = grouped.get(key) ?? { falsePerYear: round(p.falsePagesPerYear), values: [], fraction: p.falsePagingFraction };
    grouped.set(key, { ...g, values: [...g.values, p.value] });
  }
  // from 0, and wide enough to read when no value pages falsely (a vertical curve)
  const xMax = Math.max(1, ...[...values, ...grouped.values()].map((v) => v.falsePerYear * 1.25));
  const noneValues = [...grouped.values()].map((g) => ({ falsePerYear: g.falsePerYear, detectSec: noneY, right: g.falsePerYear > xMax / 2, label: `${knob} ${g.values.map((v) => (t.knob === 'for' ? `${v}s` : v)).join(', ')} · caught none${paging(g.fraction)}` }));
  const x = { field: 'falsePerYear', type: 'quantitative' as const, title: 'false pages per cluster-year', scale: { domain: [0, round(xMax)] } };
  const y = { field: 'detectSec', type: 'quantitative' as const, title: 'median time to detect (s)', scale: { domain: [0, round(noneY * 1.05)] } };
  const left = none.length === 0 ? '' : `; red: caught no outage (drawn above the curve)`;
  const label = { mark: { type: 'text' as const, dx: 8, align: 'left' as const, baseline: 'middle' as const }, encoding: { x, y, text: { field: 'label' } } };
  // a red label right of the middle reads leftwards, so it stays on the plot
  const noneLabels = [false, true].map((right) => ({ data: { values: noneValues.filter((v) => v.right === right) }, mark: { type: 'text' as const, dx: right ? -8 : 8, dy: -12, align: right ? ('right' as const) : ('left' as const), baseline: 'middle' as const, color: '#c62828' }, encoding: { x, y, text: { field: 'label' } } }));
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: {
      text: `${t.rule}: time to detect a write outage vs false pages, by ${knob}`,
      subtitle: [subtitle({ seed: t.seed, version: t.version, experiment: t.experiment, topology: t.topology, details: [`${t.runs} runs, ${t.clusterYears.toFixed(1)} cluster-years`] }), `median time to detect of the outages each value catches (a page already firing does not catch); labels: the value · outages caught${left}`],
    },
    config: CHART_CONFIG,
    width: PLOT_WIDTH,
    height: 380,
    layer: [
      { data: { values }, mark: { type: 'line', point: true, color: '#1f4e9c' }, encoding: { x, y, order: { field: 'order' }, tooltip: [{ field: 'label' }, { field: 'falsePerYear' }, { field: 'detectSec' }, { field: 'p95Sec' }, { field: 'caught' }] } },
      { data: { values }, ...label },
      ...(noneValues.length === 0 ? [] : [{ data: { values: noneValues }, mark: { type: 'point' as const, shape: 'cross', filled: true, size: 90, color: '#c62828' }, encoding: { x, y, tooltip: [{ field: 'label' }, { field: 'falsePerYear' }] } }, ...noneLabels]),
    ],
  };
  return { name: 'alert-tune', title: 'Time to detect vs false pages per year', spec };
}
