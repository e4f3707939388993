/**
 * The alert study's result (montecarlo/alert-study.ts has the definitions): per rule and per
 * severity, alerts per cluster-year with exact Poisson 95% intervals (stats poissonRateCi95);
 * time to detect each write outage as a distribution, overall and per cause; the outages no page
 * caught per year, by cause and by length; false pages per year and the time they page for;
 * quorum-loss episodes per year; each quorum-loss rule's time to detect against its bound
 * (alert-study-bound.ts).
 * Trials are reduced in index order, so the document is a function of the inputs alone.
 */
import type { AlertRules, Severity } from '../config/alerts.js';
import type { WriteDowntimeCause } from '../model/index.js';
import { isInitialVoter } from '../model/topology.js';
import { poissonRateCi95, quantile, sortedCopy, type Interval } from '../stats/index.js';
import { studyWorkloadJson, type StudyWorkloadJson } from './alert-study-workload.js';
import { matchPages, runAlertTrial, trialEpisodes, type AlertStudyInput, type AlertTrial, type UnobservedLosses } from './alert-study.js';
import { detectionBound, quorumLossDetections, quorumLossRuleShape, type DetectionBound, type QuorumLossDetection, type QuorumLossRuleShape } from './alert-study-bound.js';

const US_PER_YEAR = 365 * 86_400e6;

/** A count over the study's cluster-years. */
export interface Rate {
  readonly count: number;
  readonly perYear: number;
  readonly ci95: Interval;
}

/** Seconds: n, mean, p50, p95, max (null without values). */
export interface SecondsDistribution {
  readonly n: number;
  readonly meanSec: number | null;
  readonly p50Sec: number | null;
  readonly p95Sec: number | null;
  readonly maxSec: number | null;
}

/** Missed outages by length: the buckets' upper bounds (s), the last open. */
export const MISSED_LENGTH_BUCKETS = [
  { label: '< 10 s', belowSec: 10 },
  { label: '10 s – 1 min', belowSec: 60 },
  { label: '1 – 10 min', belowSec: 600 },
  { label: '≥ 10 min', belowSec: Infinity },
] as const;

export interface AlertStudy {
  readonly kind: 'zksim-alert-study';
  readonly topology: string;
  readonly experiment: string;
  readonly rulesName: string;
  readonly runs: number;
  readonly seed: string;
  readonly horizonUs: number;
  readonly clusterYears: number;
  readonly scrapeIntervalUs: number;
  readonly graceUs: number;
  readonly steadyLatencyMs: number | null;
  /** the lazy workload the trials ran (alert-study-workload.ts: its rate, and how long it ran after each change); null: none */
  readonly workload: StudyWorkloadJson | null;
  readonly byRule: readonly (Rate & { readonly alert: string; readonly severity: Severity; readonly promql?: string })[];
  readonly bySeverity: Readonly<Record<Severity, Rate>>;
  readonly outages: Rate & { readonly caught: number };
  readonly detection: SecondsDistribution & { readonly byCause: Readonly<Record<string, SecondsDistribution>> };
  /** `alreadyPaging`: of the missed, those a page fired before the outage was still firing through its start */
  readonly missed: Rate & { readonly alreadyPaging: number; readonly byCause: Readonly<Record<string, number>>; readonly byLength: readonly { readonly label: string; readonly count: number }[] };
  /** page episodes that started firing outside every outage's [start, end + grace]; every other page episode caught an outage */
  readonly falsePages: Rate;
  /** the share of the monitored time (after the cold starts) during which a false page was firing, outside the outages' windows */
  readonly falsePagingFraction: number;
  /** each quorum-loss rule (alert-study-bound.ts) against its detection bound */
  readonly quorumLossDetection: readonly QuorumLossBoundCheck[];
  readonly quorumLosses: Rate;
  /** quorum losses a `sum(up{voters}) < quorum` rule cannot count apart (alert-study.ts unobservedQuorumLosses) */
  readonly quorumLossesUnobserved: UnobservedLosses;
}

/** A quorum-loss rule's detections of the outages that started as quorum losses, against its bound (µs). */
export interface QuorumLossBoundCheck extends DetectionBound {
  readonly alert: string;
  readonly shape: QuorumLossRuleShape;
  /** outages that started as quorum losses (cause quorumLost) */
  readonly outages: number;
  /** of those, the ones the rule paged for before they ended */
  readonly paged: number;
  readonly worstUs: number | null;
  /** detections over boundUs (none when the bound holds), with the trial they happened in */
  readonly overBound: readonly (QuorumLossDetection & { readonly trial: number })[];
}

/** What one trial adds to the study. */
interface TrialTally {
  readonly perRule: number[];
  readonly detections: { cause: WriteDowntimeCause; us: number }[];
  readonly missed: { cause: WriteDowntimeCause; us: number }[];
  readonly outages: number;
  readonly alreadyPaging: number;
  readonly falsePages: number;
  readonly falsePagingUs: number;
  readonly monitoredUs: number;
  /** per rule in file order: its quorum-loss detections, null when it is not a quorum-loss rule */
  readonly quorumLoss: readonly ({ outages: number; detections: (QuorumLossDetection & { trial: number })[] } | null)[];
  readonly quorumLosses: number;
  readonly unobserved: UnobservedLosses;
}

/** Tally one trial under `rules` (the tune command re-tallies the same trials under variants). */
export function tallyTrial(trial: AlertTrial, rules: AlertRules, graceUs: number): TrialTally {
  const episodes = rules.rules.map((r) => trialEpisodes(trial, r, rules));
  const pages = episodes.filter((_, i) => rules.rules[i]?.severity === 'page').flat();
  const m = matchPages(trial.outages, pages, graceUs, trial.endUs);
  const detections: TrialTally['detections'] = [];
  const missed: TrialTally['missed'] = [];
  trial.outages.forEach((o, i) => {
    const d = m.detectUs[i];
    if (d === null || d === undefined) missed.push({ cause: o.cause, us: o.endUs - o.startUs });
    else detections.push({ cause: o.cause, us: d });
  });
  const quorumLoss = rules.rules.map((r, i) => {
    if (quorumLossRuleShape(r, trial.voters) === null) return null;
    const q = quorumLossDetections(trial.outages, episodes[i] ?? []);
    return { outages: q.outages, detections: q.detections.map((d) => ({ ...d, trial: trial.index })) };
  });
  return {
    perRule: episodes.map((e) => e.length), detections, missed, outages: trial.outages.length,
    alreadyPaging: trial.outages.filter((_, i) => m.detectUs[i] === null && m.alreadyPaging[i] === true).length,
    falsePages: m.falsePages, falsePagingUs: m.falsePagingUs, monitoredUs: trial.endUs - trial.startUs, quorumLoss,
    quorumLosses: trial.quorumLosses.length, unobserved: trial.unobservedQuorumLosses,
  };
}

/** Each quorum-loss rule's detections over all trials against its bound (topology's tickTime and syncLimit). */
function boundChecks(input: Omit<AlertStudyInput, 'onProgress'>, tallies: readonly TrialTally[]): QuorumLossBoundCheck[] {
  const voters = input.topology.servers.filter(isInitialVoter).length;
  return input.rules.rules.flatMap((r, i) => {
    const shape = quorumLossRuleShape(r, voters, input.topology.quorum === 'hierarchical');
    if (shape === null) return [];
    const bound = detectionBound(r, shape, input.rules, input.topology.zk);
    const per = tallies.map((t) => t.quorumLoss[i]).filter((q) => q != null);
    const detections = per.flatMap((q) => q.detections);
    const worstUs = detections.length === 0 ? null : Math.max(...detections.map((d) => d.detectUs));
    const overBound = detections.filter((d) => d.detectUs > bound.boundUs);
    return [{ alert: r.alert, shape, ...bound, outages: per.reduce((a, q) => a + q.outages, 0), paged: detections.length, worstUs, overBound }];
  });
}

/** Runs the study: `runs` trials in index order, each tallied, then summarized. */
export function runAlertStudy(input: AlertStudyInput): AlertStudy {
  const tallies: TrialTally[] = [];
  for (let i = 0; i < input.runs; i++) {
    tallies.push(tallyTrial(runAlertTrial(input, i), input.rules, input.graceUs));
    input.onProgress?.(i + 1, input.runs);
  }
  return summarize(input, tallies);
}

export function summarize(input: Omit<AlertStudyInput, 'onProgress'>, tallies: readonly TrialTally[]): AlertStudy {
  const years = (tallies.length * input.horizonUs) / US_PER_YEAR;
  const rate = (count: number): Rate => ({ count, perYear: count / years, ci95: poissonRateCi95(count, years) });
  const sum = (f: (t: TrialTally) => number): number => tallies.reduce((a, t) => a + f(t), 0);
  const byRule = input.rules.rules.map((r, i) => ({ alert: r.alert, severity: r.severity, ...rate(sum((t) => t.perRule[i] ?? 0)) }));
  const sev = (s: Severity): Rate => rate(byRule.filter((r) => r.severity === s).reduce((a, r) => a + r.count, 0));
  const detections = tallies.flatMap((t) => t.detections);
  const missed = tallies.flatMap((t) => t.missed);
  const byCause: Record<string, SecondsDistribution> = {};
  for (const cause of [...new Set(detections.map((d) => d.cause))].sort()) byCause[cause] = seconds(detections.filter((d) => d.cause === cause).map((d) => d.us));
  const missedByCause: Record<string, number> = {};
  for (const m of missed) missedByCause[m.cause] = (missedByCause[m.cause] ?? 0) + 1;
  const byLength = MISSED_LENGTH_BUCKETS.map((b, i) => {
    const lo = i === 0 ? 0 : (MISSED_LENGTH_BUCKETS[i - 1] as { belowSec: number }).belowSec;
    return { label: b.label, count: missed.filter((m) => m.us / 1e6 >= lo && m.us / 1e6 < b.belowSec).length };
  });
  return {
    kind: 'zksim-alert-study',
    topology: input.topology.name,
    experiment: input.experiment.name,
    rulesName: input.rules.name,
    runs: tallies.length,
    seed: String(input.seed),
    horizonUs: input.horizonUs,
    clusterYears: years,
    scrapeIntervalUs: input.rules.scrapeIntervalUs,
    graceUs: input.graceUs,
    steadyLatencyMs: input.steadyLatencyMs,
    workload: input.workload ? studyWorkloadJson(input.workload) : null,
    byRule,
    bySeverity: { page: sev('page'), ticket: sev('ticket') },
    outages: { ...rate(sum((t) => t.outages)), caught: detections.length },
    detection: { ...seconds(detections.map((d) => d.us)), byCause },
    missed: { ...rate(missed.length), alreadyPaging: sum((t) => t.alreadyPaging), byCause: missedByCause, byLength },
    falsePages: rate(sum((t) => t.falsePages)),
    falsePagingFraction: sum((t) => t.falsePagingUs) / Math.max(1, sum((t) => t.monitoredUs)),
    quorumLossDetection: boundChecks(input, tallies),
    quorumLosses: rate(sum((t) => t.quorumLosses)),
    quorumLossesUnobserved: { shorterThanScrape: sum((t) => t.unobserved.shorterThanScrape), merged: sum((t) => t.unobserved.merged) },
  };
}

/** The distribution of µs values, in seconds. */
export function seconds(us: readonly number[]): SecondsDistribution {
  if (us.length === 0) return { n: 0, meanSec: null, p50Sec: null, p95Sec: null, maxSec: null };
  const s = sortedCopy(us.map((u) => u / 1e6));
  return { n: s.length, meanSec: s.reduce((a, b) => a + b, 0) / s.length, p50Sec: quantile(s, 0.5), p95Sec: quantile(s, 0.95), maxSec: s[s.length - 1] ?? null };
}
