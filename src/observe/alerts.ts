/**
 * Alert rules evaluated on simulated time (issue 15 §1), as Prometheus evaluates them
 * (rules/alerting.go AlertingRule.Eval): at each evaluation instant the expression is computed
 * from the scraped samples; a true rule becomes pending (activeAt), and firing once it has been
 * true for `for:` (at once when `for:` is 0); a false rule drops a pending alert and resolves a
 * firing one. Scrapes sit on a grid `phaseUs + k × scrape_interval`; evaluations on the same grid
 * every evaluation_interval (config/alerts.ts requires a multiple), so an evaluation reads the
 * sample taken at its own instant.
 *
 * Lazy (ARCHITECTURE.md "Time scales without waste"): the signals are step functions
 * (observe/metrics.ts), so the expression can change only at the first evaluation after a change
 * of an input series, or when a sample that differs from its neighbour leaves the window
 * (its scrape + window). Only those instants are evaluated, and a pending alert's `for:` expiry;
 * a quiet year of 15 s scrapes (2.1 M of them) costs nothing.
 *
 * Simplifications: increase() is last sample − first sample in the window, without Prometheus's
 * extrapolation to the window's edges; the 5-minute staleness lookback is not modelled (a server
 * without a sample at the instant has no value); `keep_firing_for` is not supported.
 */
import { quorumOf, type AlertExpr, type AlertRule, type AlertRules, type Severity } from '../config/alerts.js';
import { Rng } from '../core/index.js';
import { seriesKey, valueAt, type Series, type ServerSignals } from './metrics.js';

/** One alert from pending to resolved. Times µs; `resolvedAtUs` null while still firing at the end. */
export interface AlertEpisode {
  readonly alert: string;
  readonly severity: Severity;
  /** the first evaluation that found the expression true (Prometheus's activeAt) */
  readonly activeAtUs: number;
  readonly firedAtUs: number;
  readonly resolvedAtUs: number | null;
}

export interface EvaluateOptions {
  /** the grid's offset in [0, scrape_interval): scrapes at phaseUs + k × scrape_interval (µs) */
  readonly phaseUs: number;
  /** evaluate from the first evaluation at or after this instant; range functions read no sample before it (µs) */
  readonly startUs: number;
  /** the trial's end: evaluations stop here; a rule still firing is left open (µs) */
  readonly endUs: number;
  /** voters of the topology, for `threshold: quorum` */
  readonly voters: number;
}

/**
 * Where a trial's scrape grid sits: uniform in [0, scrape interval), integer µs, drawn from the
 * trial seed's own `alerts` stream (so no other model's draws shift, and a run and the study's
 * trial of the same seed scrape at the same instants).
 */
export function scrapePhaseUs(trialSeed: string | number, scrapeIntervalUs: number): number {
  return Math.floor(new Rng(trialSeed).fork('alerts').next() * scrapeIntervalUs);
}

/** The Grid: scrape and evaluation instants, and the instants to evaluate for a rule. */
class Grid {
  constructor(
    readonly phaseUs: number,
    readonly scrapeUs: number,
    readonly evalUs: number,
    /** no sample before this instant counts (a study's cold start is not part of the year it monitors) */
    readonly fromUs = 0,
  ) {}
  /** the first scrape at or after `atUs` */
  nextScrape(atUs: number): number {
    return this.phaseUs + Math.max(0, Math.ceil((atUs - this.phaseUs) / this.scrapeUs)) * this.scrapeUs;
  }
  /** the first evaluation at or after `atUs` */
  nextEval(atUs: number): number {
    return this.phaseUs + Math.max(0, Math.ceil((atUs - this.phaseUs) / this.evalUs)) * this.evalUs;
  }
}

/**
 * Every alert episode of every rule over one trial's signals, rule by rule in file order, each
 * rule's in time order.
 */
export function evaluateRules(rules: AlertRules, signals: readonly ServerSignals[], opts: EvaluateOptions): AlertEpisode[] {
  return rules.rules.flatMap((r) => evaluateRule(r, rules, signals, opts));
}

/** One rule's episodes (see the file header). */
export function evaluateRule(rule: AlertRule, rules: AlertRules, signals: readonly ServerSignals[], opts: EvaluateOptions): AlertEpisode[] {
  const grid = new Grid(opts.phaseUs, rules.scrapeIntervalUs, rules.evaluationIntervalUs, opts.startUs);
  const e = rule.expr;
  const inputs = inputsOf(e, signals);
  const threshold = e.threshold === 'quorum' ? quorumOf(opts.voters) : e.threshold;
  const holds = (t: number): boolean => {
    const v = aggregate(e, inputs.map((s) => serverValue(e, s, t, grid)));
    return !Number.isNaN(v) && compare(v, e.op, threshold);
  };
  const out: AlertEpisode[] = [];
  let activeAt: number | null = null;
  let firedAt: number | null = null;
  const fire = (t: number): void => void (firedAt = t);
  for (const t of candidates(inputs, e, grid, opts)) {
    const dueUs = activeAt === null ? null : grid.nextEval(activeAt + rule.forUs);
    // the expression held constant since the last candidate: a pending alert fired when due
    if (activeAt !== null && firedAt === null && dueUs !== null && dueUs < t) fire(dueUs);
    if (holds(t)) {
      if (activeAt === null) activeAt = t;
      if (firedAt === null && t >= grid.nextEval(activeAt + rule.forUs)) fire(t);
      continue;
    }
    if (activeAt !== null && firedAt !== null) out.push({ alert: rule.alert, severity: rule.severity, activeAtUs: activeAt, firedAtUs: firedAt, resolvedAtUs: t });
    activeAt = null;
    firedAt = null;
  }
  if (activeAt !== null && firedAt === null && grid.nextEval(activeAt + rule.forUs) <= opts.endUs) fire(grid.nextEval(activeAt + rule.forUs));
  if (activeAt !== null && firedAt !== null) out.push({ alert: rule.alert, severity: rule.severity, activeAtUs: activeAt, firedAtUs: firedAt, resolvedAtUs: null });
  return out;
}

/** The instants `evaluateRule` evaluates `rule` at (for tests of its laziness). */
export function evaluationInstants(rule: AlertRule, rules: AlertRules, signals: readonly ServerSignals[], opts: EvaluateOptions): number[] {
  const grid = new Grid(opts.phaseUs, rules.scrapeIntervalUs, rules.evaluationIntervalUs);
  return candidates(inputsOf(rule.expr, signals), rule.expr, grid, opts);
}

function inputsOf(e: AlertExpr, signals: readonly ServerSignals[]): Series[] {
  const key = seriesKey(e.signal, e.state ?? undefined);
  return signals.filter((s) => e.servers === 'all' || s.voter).map((s) => s.series.get(key)).filter((s): s is Series => s !== undefined);
}

/** The evaluation instants where the expression may change, ascending, in [start, end]. */
function candidates(inputs: readonly Series[], e: AlertExpr, grid: Grid, opts: EvaluateOptions): number[] {
  const first = grid.nextEval(opts.startUs);
  const at = new Set<number>([first]);
  for (const s of inputs) {
    for (const c of s.t) {
      const g1 = grid.nextScrape(c);
      at.add(grid.nextEval(g1));
      if (e.windowUs > 0) {
        at.add(grid.nextEval(g1 - grid.scrapeUs + e.windowUs));
        at.add(grid.nextEval(g1 + e.windowUs));
      }
    }
  }
  return [...at].filter((t) => t >= first && t <= opts.endUs).sort((a, b) => a - b);
}

/** One server's value at evaluation `t` (NaN: no value). */
function serverValue(e: AlertExpr, s: Series, t: number, grid: Grid): number {
  if (e.function === 'last') return valueAt(s, t);
  let n = 0;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  let firstV = Number.NaN;
  let lastV = Number.NaN;
  // samples in (t − window, t], none before the evaluation's start
  for (let g = grid.nextScrape(Math.max(t - e.windowUs + 1, grid.fromUs)); g <= t; g += grid.scrapeUs) {
    const v = valueAt(s, g);
    if (Number.isNaN(v)) continue;
    if (n === 0) firstV = v;
    lastV = v;
    n++;
    sum += v;
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  if (n === 0) return Number.NaN;
  switch (e.function) {
    case 'max_over_time':
      return max;
    case 'min_over_time':
      return min;
    case 'avg_over_time':
      return sum / n;
    case 'increase':
      return n < 2 ? Number.NaN : lastV - firstV;
  }
}

function aggregate(e: AlertExpr, values: readonly number[]): number {
  const present = values.filter((v) => !Number.isNaN(v));
  if (present.length === 0) return e.absent ?? Number.NaN;
  switch (e.aggregate) {
    case 'sum':
      return present.reduce((a, b) => a + b, 0);
    case 'max':
      return Math.max(...present);
    case 'min':
      return Math.min(...present);
    case 'count':
      return present.length;
  }
}

function compare(v: number, op: AlertExpr['op'], x: number): boolean {
  switch (op) {
    case '<':
      return v < x;
    case '<=':
      return v <= x;
    case '>':
      return v > x;
    case '>=':
      return v >= x;
    case '==':
      return v === x;
    case '!=':
      return v !== x;
  }
}
