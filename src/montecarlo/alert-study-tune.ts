/**
 * `zksim alerts tune`: one rule's threshold (or `for:`) swept over values, each variant judged
 * alone as the only page, on the same trials (run once; common random numbers: every variant
 * sees the same outages and the same scrape grid). Per value: how many write outages it catches,
 * their time to detect, and its false pages per year — the points of a detection-time vs
 * false-pages curve to pick a threshold from. Definitions as in alert-study.ts: a value whose page
 * is already firing when an outage starts does not catch it, and its firing before the outage is
 * a false page, so an always-true value shows as no catches, a false page a year per trial-year
 * at least, and false paging nearly all the time.
 */
import { produce } from 'immer';
import type { AlertRule, AlertRules } from '../config/alerts.js';
import { poissonRateCi95, type Interval } from '../stats/index.js';
import { matchPages, runAlertTrial, trialEpisodes, type AlertStudyInput, type AlertTrial } from './alert-study.js';
import { seconds, type SecondsDistribution } from './alert-study-stats.js';

const US_PER_YEAR = 365 * 86_400e6;

export type TuneKnob = 'threshold' | 'for';

export interface TunePoint {
  /** the threshold, or `for:` in seconds */
  readonly value: number;
  readonly alertsPerYear: number;
  readonly caught: number;
  readonly outages: number;
  readonly detection: SecondsDistribution;
  readonly falsePages: number;
  readonly falsePagesPerYear: number;
  readonly falsePagesCi95: Interval;
  /** the share of the monitored time a false page of this value was firing (an always-true rule: ~1) */
  readonly falsePagingFraction: number;
}

export interface TuneResult {
  readonly kind: 'zksim-alert-tune';
  readonly topology: string;
  readonly experiment: string;
  readonly rule: string;
  readonly knob: TuneKnob;
  readonly runs: number;
  readonly seed: string;
  readonly horizonUs: number;
  readonly clusterYears: number;
  readonly graceUs: number;
  readonly points: readonly TunePoint[];
}

/** The rule with its threshold or `for:` (µs) set to `value`. */
export function variant(rule: AlertRule, knob: TuneKnob, value: number): AlertRule {
  return produce(rule, (d) => {
    if (knob === 'threshold') d.expr.threshold = value;
    else d.forUs = value;
  });
}

/**
 * Runs `runs` trials once, then evaluates `rule` at each value (`for:` values in µs).
 * @throws RangeError when the rules have no rule named `ruleName` (the CLI checks first)
 */
export function runAlertTune(input: AlertStudyInput, ruleName: string, knob: TuneKnob, values: readonly number[]): TuneResult {
  const rule = input.rules.rules.find((r) => r.alert === ruleName);
  if (rule === undefined) throw new RangeError(`no rule named ${ruleName}`);
  const trials: AlertTrial[] = [];
  for (let i = 0; i < input.runs; i++) {
    trials.push(runAlertTrial(input, i));
    input.onProgress?.(i + 1, input.runs);
  }
  const years = (input.runs * input.horizonUs) / US_PER_YEAR;
  const points = values.map((value) => point(trials, input.rules, variant(rule, knob, value), input.graceUs, years, knob === 'for' ? value / 1e6 : value));
  return {
    kind: 'zksim-alert-tune',
    topology: input.topology.name,
    experiment: input.experiment.name,
    rule: ruleName,
    knob,
    runs: input.runs,
    seed: String(input.seed),
    horizonUs: input.horizonUs,
    clusterYears: years,
    graceUs: input.graceUs,
    points,
  };
}

function point(trials: readonly AlertTrial[], rules: AlertRules, rule: AlertRule, graceUs: number, years: number, shown: number): TunePoint {
  let alerts = 0;
  let outages = 0;
  let falsePages = 0;
  let falsePagingUs = 0;
  let monitoredUs = 0;
  const detections: number[] = [];
  for (const t of trials) {
    const episodes = trialEpisodes(t, rule, rules);
    alerts += episodes.length;
    const m = matchPages(t.outages, episodes, graceUs, t.endUs);
    outages += t.outages.length;
    falsePages += m.falsePages;
    falsePagingUs += m.falsePagingUs;
    monitoredUs += t.endUs - t.startUs;
    for (const d of m.detectUs) if (d !== null) detections.push(d);
  }
  return {
    value: shown,
    alertsPerYear: alerts / years,
    caught: detections.length,
    outages,
    detection: seconds(detections),
    falsePages,
    falsePagesPerYear: falsePages / years,
    falsePagesCi95: poissonRateCi95(falsePages, years),
    falsePagingFraction: falsePagingUs / Math.max(1, monitoredUs),
  };
}
