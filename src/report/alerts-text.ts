/**
 * Alerts in text (issue 15 §1): the rules as PromQL (`zksim alerts show`), when each alert fired
 * and resolved in one run (`zksim run --alerts`), an alert study's rates, detection times,
 * missed outages and false pages (`zksim alerts study`), and a tune sweep's table.
 */
import { promDuration, promql, type AlertRules } from '../config/alerts.js';
import { DOWNTIME_CAUSE_LABELS } from '../model/downtime-causes.js';
import { formatDurationUs } from '../model/duration.js';
import type { WriteDowntimeCause } from '../model/events.js';
import type { AlertStudy, QuorumLossBoundCheck, Rate, SecondsDistribution } from '../montecarlo/alert-study-stats.js';
import type { TuneResult } from '../montecarlo/alert-study-tune.js';
import { studyWorkloadText } from './alerts-workload-text.js';
import type { RunAlertsJson } from './alerts-run.js';
import { formatDuration } from '../stats/format.js';

const pad = (s: string, n: number): string => s.padEnd(n);
const s3 = (us: number): string => `${(us / 1e6).toFixed(3)}s`;
const secs = (v: number | null): string => (v === null ? '—' : formatDuration(v * 1e6));
const rate = (r: Rate): string => `${r.perYear.toFixed(2)}/yr [${r.ci95[0].toFixed(2)}, ${r.ci95[1].toFixed(2)}] (${r.count})`;

/** Every rule with its severity, `for:` and PromQL; `voters` prints `quorum` as a number. */
export function rulesText(rules: AlertRules, voters: number | null): string {
  const lines = [
    `rules ${rules.name}: scrape every ${formatDurationUs(rules.scrapeIntervalUs)}, evaluate every ${formatDurationUs(rules.evaluationIntervalUs)}`,
    "metric names: an mntr-based exporter's (zk_ prefix, zk_server_state); ZooKeeper's built-in Prometheus provider has no zk_ prefix and no server_state (README \"Signals\")",
  ];
  if (voters === null && rules.rules.some((r) => r.expr.threshold === 'quorum')) lines.push('QUORUM: the majority of the voters; pass --topology FILE to print it as a number');
  lines.push('');
  for (const r of rules.rules) {
    lines.push(`- alert: ${r.alert}`, `  expr: ${promql(r, voters)}`, `  for: ${promDuration(r.forUs)}`, `  labels: { ${[`severity: ${r.severity}`, ...Object.entries(r.labels ?? {}).map(([k, v]) => `${k}: ${JSON.stringify(v)}`)].join(', ')} }`);
    const summary = r.annotations.summary;
    if (summary !== undefined) lines.push(`  annotations: { summary: ${JSON.stringify(summary)} }`);
  }
  return `${lines.join('\n')}\n`;
}

/** One run's alerts (`zksim run --alerts`): each with its pending, firing and resolved instants. */
export function runAlertsText(a: RunAlertsJson): string {
  const head = `alerts (rules ${a.rules}, scrapes every ${formatDurationUs(a.scrapeIntervalMs * 1000)} from ${s3(a.phaseMs * 1000)})`;
  if (a.fired.length === 0) return `\n${head}: none fired\n`;
  const lines = ['', `${head}:`];
  for (const e of a.fired) {
    const pending = e.activeAtMs < e.firedAtMs ? ` (pending from ${s3(e.activeAtMs * 1000)})` : '';
    const resolved = e.resolvedAtMs === null ? 'still firing at the end' : `resolved ${s3(e.resolvedAtMs * 1000)}`;
    lines.push(`  ${pad(e.alert, 28)} ${pad(e.severity, 6)} fired ${s3(e.firedAtMs * 1000)}${pending}, ${resolved}`);
  }
  return `${lines.join('\n')}\n`;
}

function distLine(d: SecondsDistribution): string {
  return d.n === 0 ? 'none' : `mean ${secs(d.meanSec)}, median ${secs(d.p50Sec)}, p95 ${secs(d.p95Sec)}, max ${secs(d.maxSec)} (${d.n})`;
}

/** The study's report (montecarlo/alert-study-stats.ts AlertStudy). */
export function alertStudyText(s: AlertStudy): string {
  const lines = [
    `alert study: rules ${s.rulesName} on ${s.topology}, experiment ${s.experiment}; ${s.runs} run${s.runs === 1 ? '' : 's'} × ${formatDurationUs(s.horizonUs)} = ${s.clusterYears >= 0.1 ? `${s.clusterYears.toFixed(1)} cluster-years` : `${formatDurationUs(s.runs * s.horizonUs)} of cluster time`}, seed ${s.seed}`,
    `scrape every ${formatDurationUs(s.scrapeIntervalUs)}; a page catches an outage if it starts firing between the outage's start and ${formatDurationUs(s.graceUs)} after its end`,
    '(a page already firing when an outage starts does not catch it); every other page is a false page',
    '',
    'alerts per cluster-year [95% CI] (count):',
  ];
  for (const r of s.byRule) lines.push(`  ${pad(r.alert, 28)} ${pad(r.severity, 6)} ${rate(r)}`);
  lines.push(`  ${pad('all pages', 35)} ${rate(s.bySeverity.page)}`, `  ${pad('all tickets', 35)} ${rate(s.bySeverity.ticket)}`, '');
  lines.push(`write outages:           ${rate(s.outages)}; caught by a page: ${s.outages.caught}`);
  lines.push(`time to detect:          ${distLine(s.detection)}`);
  for (const [cause, d] of Object.entries(s.detection.byCause)) lines.push(`  ${pad(causeLabel(cause), 22)} ${distLine(d)}`);
  lines.push(`outages no page caught:  ${rate(s.missed)}`);
  if (s.missed.alreadyPaging > 0) lines.push(`  ${s.missed.alreadyPaging} of them while a page fired before the outage was still firing`);
  const causes = Object.entries(s.missed.byCause).map(([c, n]) => `${causeLabel(c)} ${n}`).join(', ');
  if (causes !== '') lines.push(`  by cause:  ${causes}`);
  lines.push(`  by length: ${s.missed.byLength.map((b) => `${b.label}: ${b.count}`).join(', ')}`);
  lines.push(`false pages:             ${rate(s.falsePages)}; paging for nothing ${percent(s.falsePagingFraction)} of the time`);
  lines.push(`quorum-loss episodes:    ${rate(s.quorumLosses)}`);
  const u = s.quorumLossesUnobserved;
  lines.push(`  quorum losses shorter than a scrape: ${u.shorterThanScrape}; closer than a scrape to the previous one: ${u.merged} (a sum(up) < quorum rule counts the rest, one alert each)`);
  for (const b of s.quorumLossDetection) lines.push(...boundLines(b, s.scrapeIntervalUs));
  if (s.steadyLatencyMs !== null && s.workload === null) lines.push('', `zk_p99_updatelatency held at ${s.steadyLatencyMs.toFixed(1)} ms (measured in a quiet minute): the study runs no workload (--workload runs one), so latency rules see no spikes and a threshold above it cannot fire`);
  if (s.workload !== null) lines.push('', studyWorkloadText(s.workload, s.steadyLatencyMs));
  return `${lines.join('\n')}\n`;
}

const percent = (f: number): string => (f === 0 ? '0%' : f < 0.001 ? '< 0.1%' : `${(f * 100).toFixed(1)}%`);
/** Seconds with at most one decimal: `87 s`, `85.1 s`. */
const sec1 = (us: number): string => `${Number((us / 1e6).toFixed(1))} s`;

/** A quorum-loss rule's detections against its bound (montecarlo/alert-study-bound.ts). */
function boundLines(b: QuorumLossBoundCheck, scrapeUs: number): string[] {
  const first = b.evaluationUs === scrapeUs ? `scrape ${sec1(scrapeUs)}` : `evaluation ${sec1(b.evaluationUs)}`;
  const stepDown = b.shape === 'no leader' ? ` + leader step-down ${sec1(b.stepDownUs)} ((syncLimit + 1) × tickTime)` : '';
  const lines = [`  ${b.alert} (quorum-loss page) detection bound: ${first} + for ${sec1(b.forUs)}${stepDown} = ${sec1(b.boundUs)}`];
  const others = b.outages - b.paged;
  const rest = others === 0 ? '' : `; the other ${others} ended before it fired (the bound is for the outages it pages for)`;
  if (b.outages === 0) lines.push('    no outage began as a quorum loss: the bound was not exercised');
  else if (b.worstUs === null) lines.push(`    outages that began as quorum losses: ${b.outages}; it paged for none while they lasted: the bound was not exercised`);
  else {
    const verdict = b.overBound.length === 0 ? 'within the bound' : `${b.overBound.length} OVER THE BOUND`;
    lines.push(`    outages that began as quorum losses: ${b.outages}; paged while they lasted: ${b.paged}, worst ${sec1(b.worstUs)}: ${verdict}${rest}`);
  }
  for (const d of b.overBound) lines.push(`    over the bound: trial ${d.trial}, outage at ${formatDurationUs(d.startUs)}: detected in ${sec1(d.detectUs)}`);
  return lines;
}

/** The tune sweep as a table: one line per value. */
export function tuneText(t: TuneResult): string {
  const knob = t.knob === 'for' ? 'for (s)' : 'threshold';
  const lines = [
    `alerts tune: ${t.rule} on ${t.topology}, experiment ${t.experiment}; ${t.runs} runs = ${t.clusterYears.toFixed(1)} cluster-years, seed ${t.seed}; the rule alone as the page`,
    '',
    `${pad(knob, 10)} ${pad('alerts/yr', 10)} ${pad('caught', 12)} ${pad('detect median', 14)} ${pad('detect p95', 11)} ${pad('false pages/yr [95% CI]', 26)} paging for nothing`,
  ];
  for (const p of t.points) {
    const ci = `${p.falsePagesPerYear.toFixed(2)} [${p.falsePagesCi95[0].toFixed(2)}, ${p.falsePagesCi95[1].toFixed(2)}]`;
    lines.push(`${pad(String(p.value), 10)} ${pad(p.alertsPerYear.toFixed(2), 10)} ${pad(`${p.caught}/${p.outages}`, 12)} ${pad(secs(p.detection.p50Sec), 14)} ${pad(secs(p.detection.p95Sec), 11)} ${pad(ci, 26)} ${percent(p.falsePagingFraction)} of the time`);
  }
  lines.push('', 'caught: outages a page of the value started firing for, between the outage\'s start and the grace after its end (a page already firing does not count);');
  lines.push('false pages: its pages that started firing outside every outage; paging for nothing: the share of time one of them was firing.');
  return `${lines.join('\n')}\n`;
}

/** A cause key of the JSON (`quorumLost`) as every text names it (`quorum lost`; model/downtime-causes.ts). */
function causeLabel(cause: string): string {
  return cause in DOWNTIME_CAUSE_LABELS ? DOWNTIME_CAUSE_LABELS[cause as WriteDowntimeCause] : cause;
}
