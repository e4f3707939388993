import { US_PER_MS, US_PER_YEAR } from '../core/index.js';
import type { FailureSource } from '../model/index.js';
import { DOWNTIME_CAUSES, DOWNTIME_PROCESSES, type DowntimeCause, type DowntimeProcess } from '../observe/index.js';
import { MIN_EPISODES, Z95, poissonRateCi95, relativeHalfWidth, tooFewEpisodes, wilsonInterval, type Interval } from '../stats/index.js';
import { formatAvailability, formatPerYear, formatYears } from '../stats/format.js';
import { LONG_OUTAGE_US, type Accumulator, type Moments } from './accumulator.js';

// Formatting lives in stats/ so report/ can use it without importing montecarlo/ (tier table).
export { formatAvailability, formatAvailabilityInterval, formatYears } from '../stats/format.js';

const MINUTES_PER_YEAR = US_PER_YEAR / 60_000_000;

/**
 * Time-weighted unavailability Σx / Σm (x = downtime, m = measured window of each trial) with a
 * 95% interval from the ratio estimator's delta-method variance:
 *   Var(R̂) ≈ n/(n−1) · Σ(xᵢ − R̂·mᵢ)² / (Σm)²,
 * where Σ(xᵢ − R̂mᵢ)²·M² = M²Σx² − 2XMΣxm + X²Σm² is evaluated in exact BigInt arithmetic
 * (no cancellation, and the same integers always give the same double). Trials are i.i.d., so
 * the CLT applies to the ratio; the interval is clamped to [0, 1].
 */
export function ratioEstimate(x: Moments, measured: Moments, n: number): { value: number; ci95: Interval } {
  const X = x.sum;
  const M = measured.sum;
  if (n === 0 || M === 0n) return { value: NaN, ci95: [0, 1] };
  const value = bigRatio(X, M);
  if (n < 2) return { value, ci95: [0, 1] };
  const num = M * M * x.sumSq - 2n * X * M * x.sumXm + X * X * measured.sumSq;
  const m2 = Number(M) * Number(M);
  const half = Z95 * Math.sqrt(n / (n - 1)) * (Math.sqrt(Number(num < 0n ? 0n : num)) / m2);
  return { value, ci95: [clamp01(value - half), clamp01(value + half)] };
}

/** X/M correctly rounded enough for reporting: exact integer part plus a scaled fraction. */
function bigRatio(X: bigint, M: bigint): number {
  // Both fit comfortably in doubles for any realistic run; Number() rounds each once.
  return Number(X) / Number(M);
}

function clamp01(v: number): number {
  return Math.min(1, Math.max(0, v));
}

/** What the closed form says about this (topology, failure model), when one applies. */
export interface AnalyticValues {
  readonly quorumAvailability: number;
  readonly quorumUnavailability: number;
  /** birth–death chain from all-up; null when the chain does not apply (zones, hierarchical) */
  readonly meanYearsToQuorumLoss: number | null;
  /** how the closed form was built, in words (goes into the JSON's assumptions) */
  readonly model: string;
  /** the failure processes that are on and that the closed form covers (independent per server/host/domain) */
  readonly covers: readonly FailureSource[];
  /** the failure processes that are on and that it leaves out (bursts, zonePartitions, rollingMaintenance) */
  readonly leavesOut: readonly FailureSource[];
}

/**
 * How far a failure-biased row's estimates can be trusted (AvailabilityRow.rareEvent; built by
 * weighted-estimate.ts rareEventDiagnostics, which documents the degeneracy rule).
 */
export interface RareEventDiagnostics {
  method: 'failure-biasing';
  /** regenerative cycles simulated (under the biased measure) */
  cycles: number;
  /** Kish's effective sample size over cycles, (Σ W)² / Σ W² */
  effectiveSampleSize: number;
  /** standard error / estimate of write, quorum unavailability and P(quorum lost in a year); null when the estimate is 0 */
  writeRelativeError: number | null;
  quorumRelativeError: number | null;
  quorumLossProbabilityRelativeError: number | null;
  /** (Σ W·D)² / Σ (W·D)² over cycles, D = quorum downtime: how many cycles the quorum estimate rests on */
  quorumEffectiveHits: number;
  /** the largest single cycle's share of Σ W·D (quorum downtime) */
  quorumLargestShare: number;
  /** cycles that lost quorum, as simulated (unweighted) */
  cyclesWithQuorumLoss: number;
  /** the weights are degenerate: the intervals are not to be trusted (the reasons are in warnings) */
  degenerate: boolean;
  warnings: string[];
}

export type StoppedBy = 'runs' | 'precision' | 'interrupted';

/** One row of `availability --json` (a stable contract, see issue 5). */
export interface AvailabilityRow {
  topology: string;
  voters: number;
  observers: number;
  runs: number;
  horizonYears: number;
  measuredYears: number;
  writeAvailability: number;
  writeAvailabilityCi95: Interval;
  writeUnavailability: number;
  writeUnavailabilityCi95: Interval;
  /** CI half-width / estimate of write unavailability (what --precision bounds); null when undefined */
  relativeHalfWidth: number | null;
  nines: number | null;
  quorumAvailability: number;
  quorumAvailabilityCi95: Interval;
  analyticQuorumAvailability: number | null;
  analyticQuorumUnavailability: number | null;
  analyticModel: string | null;
  downtimeMinutesPerYear: number;
  downtimeMinutesPerYearCi95: Interval;
  quorumDowntimeMinutesPerYear: number;
  /** write downtime by cause, minutes per year; adds up to downtimeMinutesPerYear */
  downtimeByCause: Record<DowntimeCause, number>;
  /**
   * write downtime by the failure process that caused it (observe/availability.ts DowntimeMeter:
   * the earliest-started active fault touching voters, else the last repaired one, else
   * `startup`), minutes per year; adds up to downtimeMinutesPerYear
   */
  downtimeByProcess: Record<DowntimeProcess, number>;
  /** quorum downtime by failure process, minutes per year; adds up to quorumDowntimeMinutesPerYear */
  quorumDowntimeByProcess: Record<DowntimeProcess, number>;
  /** write outage episodes, the initial election of every trial included */
  outageEpisodes: number;
  /** write outage episodes by failure process (`startup`: the initial elections) */
  outageEpisodesByProcess: Record<DowntimeProcess, number>;
  /** write outages caused by failures (all but the initial elections): what tooFewWriteEpisodes and --precision count */
  failureOutageEpisodes: number;
  /** failureOutageEpisodes per measured year */
  outagesPerYear: number;
  /** quorum-loss episodes: maximal intervals without a connected quorum of voters */
  quorumLossEpisodes: number;
  quorumLossEpisodesByProcess: Record<DowntimeProcess, number>;
  quorumLossesPerYear: number;
  /** quorum-loss episode durations (ms): median, 99th percentile, longest; null when none */
  quorumLossMsP50: number | null;
  quorumLossMsP99: number | null;
  quorumLossMsMax: number | null;
  electionsPerYear: number;
  electionsPerYearCi95: Interval;
  /** election time (LOOKING → established) of elections that began with, and kept, a connected quorum */
  electionMsP50: number | null;
  electionMsP99: number | null;
  electionMsMax: number | null;
  /** analytic where the birth–death chain applies, else the simulated estimate, else null */
  meanYearsToQuorumLoss: number | null;
  meanYearsToQuorumLossSource: 'analytic' | 'simulated' | null;
  analyticMeanYearsToQuorumLoss: number | null;
  /** censored-exponential MLE: Σ time to first quorum loss (or window end) / trials that lost quorum */
  simulatedMeanYearsToQuorumLoss: number | null;
  /**
   * 95% Garwood interval of the simulated MTTQL, years: [exposure / rate upper bound, exposure /
   * rate lower bound], the upper end null (unbounded) when no trial lost quorum — then the lower
   * end is the 95% lower confidence bound exposure / 3.689; null only without exposure
   */
  simulatedMeanYearsToQuorumLossCi95: [number, number | null] | null;
  trialsWithQuorumLoss: number;
  /** P(quorum lost at least once in a year): Wilson interval over trials, rescaled to one year */
  quorumLossProbabilityPerYear: number;
  quorumLossProbabilityPerYearCi95: Interval;
  /** the session timeout (ms) a long write outage is measured against: the ZooKeeper client default, 30 s */
  sessionTimeoutMs: number;
  /** P(a write outage longer than the session timeout in a year): Wilson interval, rescaled to one year */
  longOutageProbabilityPerYear: number;
  longOutageProbabilityPerYearCi95: Interval;
  trialsWithLongOutage: number;
  /**
   * P(any write outage in a year), kept for reference only: every trial has one (the initial
   * election), and any 0.2 s failover counts, so it is ~100% for every layout
   */
  outageProbabilityPerYear: number;
  outageProbabilityPerYearCi95: Interval;
  stoppedBy: StoppedBy;
  /** the estimator: plain Monte Carlo, or likelihood-ratio weighted regenerative cycles (issue 12) */
  method: 'naive' | 'failure-biasing';
  /** failure-biasing only: effective sample size, relative errors, degeneracy; null for naive */
  rareEvent: RareEventDiagnostics | null;
  /** fewer than MIN_EPISODES write outages caused by failures: the write-availability interval is not to be trusted */
  tooFewWriteEpisodes: boolean;
  /** fewer than MIN_EPISODES quorum-loss episodes: the quorum-availability interval is not to be trusted */
  tooFewQuorumEpisodes: boolean;
  /** same as tooFewWriteEpisodes (kept for readers of the earlier contract) */
  tooFewEpisodes: boolean;
  /**
   * The write-availability estimate and interval are not to be trusted (marked `*`): fewer than
   * MIN_EPISODES write outages caused by failures, or fewer than MIN_EPISODES quorum-loss
   * episodes — the latter unless the closed form covers every process (analyticLeavesOut empty)
   * and its quorum unavailability is below a tenth of the simulated write unavailability (then
   * unseen quorum losses cannot move the write estimate much). Writes need a quorum, so a write
   * interval resting on a handful of quorum losses under-states the downtime (writeTrust).
   */
  writeAvailabilityUntrusted: boolean;
  /** fewer than MIN_EPISODES trials lost quorum: the simulated MTTQL and its interval are not to be trusted */
  tooFewMttqlEvents: boolean;
  /** Σ time to first quorum loss (or window end) over trials, years: the exposure the simulated MTTQL rests on */
  quorumLossExposureYears: number;
  /**
   * Everything a reader must know before trusting this row, in words without the row's name
   * (too few episodes, closed form outside the interval, downtime resting on few quorum
   * losses, impossible write availability, horizon too short); the table prints them prefixed
   * with the row's name, report.html in its Warnings block
   */
  warnings: string[];
  /** failure processes the closed form accounts for, and those it leaves out (null: no closed form) */
  analyticCovers: FailureSource[] | null;
  analyticLeavesOut: FailureSource[] | null;
  faultsPerTrial: number;
  eventsPerTrial: number;
}

export interface RowContext {
  readonly topology: string;
  readonly voters: number;
  readonly observers: number;
  readonly horizonUs: number;
  readonly analytic: AnalyticValues | null;
  readonly stoppedBy: StoppedBy;
}

/** Write unavailability and its relative CI half-width: the `--precision` criterion. */
export function precisionOf(acc: Accumulator): number {
  const u = ratioEstimate(acc.writeDown, acc.measured, acc.trials);
  return relativeHalfWidth(u.ci95, u.value);
}

/**
 * Write outages caused by failures: every write outage but the initial election of each trial
 * (charged to `startup`; its length barely varies between trials, so it is no evidence about
 * the rare outages the interval must capture). `--precision` and `tooFewWriteEpisodes` count these.
 */
export function failureWriteOutages(acc: Accumulator): number {
  return acc.outageEpisodes - acc.outageEpisodesByProcess.startup;
}

/** Enough write outages caused by failures (≥ MIN_EPISODES) for the write-availability interval to be trusted. */
export function enoughWriteEpisodes(acc: Accumulator): boolean {
  return !tooFewEpisodes(failureWriteOutages(acc), MIN_EPISODES);
}

export function estimateRow(acc: Accumulator, ctx: RowContext): AvailabilityRow {
  const n = acc.trials;
  const write = ratioEstimate(acc.writeDown, acc.measured, n);
  const quorum = ratioEstimate(acc.quorumDown, acc.measured, n);
  const measuredYears = Number(acc.measured.sum) / US_PER_YEAR;
  const perYear = (us: bigint): number => (measuredYears > 0 ? Number(us) / US_PER_YEAR / measuredYears : NaN) * MINUTES_PER_YEAR;
  const downtimeByCause = {} as Record<DowntimeCause, number>;
  for (const c of DOWNTIME_CAUSES) downtimeByCause[c] = perYear(acc.byCause[c]);
  const downtimeByProcess = {} as Record<DowntimeProcess, number>;
  const quorumDowntimeByProcess = {} as Record<DowntimeProcess, number>;
  for (const p of DOWNTIME_PROCESSES) {
    downtimeByProcess[p] = perYear(acc.byProcess[p]);
    quorumDowntimeByProcess[p] = perYear(acc.quorumByProcess[p]);
  }
  const failureOutages = failureWriteOutages(acc);
  const ql = acc.quorumLossUs;
  const qms = (q: number): number | null => (ql.count === 0 ? null : ql.quantile(q) / US_PER_MS);
  const rhw = relativeHalfWidth(write.ci95, write.value);
  const horizonYears = ctx.horizonUs / US_PER_YEAR;
  const elections = measuredYears > 0 ? poissonRateCi95(acc.elections, measuredYears) : ([0, Infinity] as Interval);
  const h = acc.electionUs;
  const ms = (q: number): number | null => (h.count === 0 ? null : h.quantile(q) / US_PER_MS);

  const exposureYears = Number(acc.timeToQuorumLossUs) / US_PER_YEAR;
  const k = acc.trialsWithQuorumLoss;
  const simulatedMttql = k > 0 ? exposureYears / k : null;
  let simulatedMttqlCi: [number, number | null] | null = null;
  // k = 0 too: Garwood's rate bound 3.689/T gives the honest "MTTQL ≥ T/3.689", not "> T".
  if (exposureYears > 0) {
    const [rlo, rhi] = poissonRateCi95(k, exposureYears);
    simulatedMttqlCi = [1 / rhi, rlo > 0 ? 1 / rlo : null];
  }
  const analyticMttql = ctx.analytic?.meanYearsToQuorumLoss ?? null;
  // P(event in a trial) with a Wilson interval, rescaled to one year as 1 − (1 − p)^(1/horizonYears)
  // (events in disjoint years independent); the rescaling is monotone, so it maps the interval too.
  const toYear = (p: number): number => (horizonYears === 1 ? p : 1 - Math.pow(1 - p, 1 / horizonYears));
  const perYearProbability = (k: number): { p: number; ci: Interval } => {
    const [lo, hi] = wilsonInterval(k, n);
    return { p: n > 0 ? toYear(k / n) : NaN, ci: [toYear(lo), toYear(hi)] };
  };
  const anyOutage = perYearProbability(acc.trialsWithOutage);
  const quorumLoss = perYearProbability(acc.trialsWithQuorumLoss);
  const longOutage = perYearProbability(acc.trialsWithLongOutage);
  const analytic = ctx.analytic;
  const tooFewWrite = tooFewEpisodes(failureOutages, MIN_EPISODES);
  const tooFewQuorum = tooFewEpisodes(acc.quorumLossEpisodes, MIN_EPISODES);
  const untrusted = writeTrust({
    failureOutageEpisodes: failureOutages,
    quorumLossEpisodes: acc.quorumLossEpisodes,
    writeUnavailability: write.value,
    analyticQuorumUnavailability: analytic?.quorumUnavailability ?? null,
    analyticLeavesOut: analytic ? analytic.leavesOut : null,
  });

  const row: Omit<AvailabilityRow, 'warnings'> = {
    topology: ctx.topology,
    voters: ctx.voters,
    observers: ctx.observers,
    runs: n,
    horizonYears,
    measuredYears,
    writeAvailability: 1 - write.value,
    writeAvailabilityCi95: [1 - write.ci95[1], 1 - write.ci95[0]],
    writeUnavailability: write.value,
    writeUnavailabilityCi95: write.ci95,
    relativeHalfWidth: Number.isFinite(rhw) ? rhw : null,
    nines: write.value > 0 ? -Math.log10(write.value) : null,
    quorumAvailability: 1 - quorum.value,
    quorumAvailabilityCi95: [1 - quorum.ci95[1], 1 - quorum.ci95[0]],
    analyticQuorumAvailability: ctx.analytic?.quorumAvailability ?? null,
    analyticQuorumUnavailability: ctx.analytic?.quorumUnavailability ?? null,
    analyticModel: ctx.analytic?.model ?? null,
    downtimeMinutesPerYear: write.value * MINUTES_PER_YEAR,
    downtimeMinutesPerYearCi95: [write.ci95[0] * MINUTES_PER_YEAR, write.ci95[1] * MINUTES_PER_YEAR],
    quorumDowntimeMinutesPerYear: quorum.value * MINUTES_PER_YEAR,
    downtimeByCause,
    downtimeByProcess,
    quorumDowntimeByProcess,
    outageEpisodes: acc.outageEpisodes,
    outageEpisodesByProcess: { ...acc.outageEpisodesByProcess },
    failureOutageEpisodes: failureOutages,
    outagesPerYear: measuredYears > 0 ? failureOutages / measuredYears : NaN,
    quorumLossEpisodes: acc.quorumLossEpisodes,
    quorumLossEpisodesByProcess: { ...acc.quorumLossEpisodesByProcess },
    quorumLossesPerYear: measuredYears > 0 ? acc.quorumLossEpisodes / measuredYears : NaN,
    quorumLossMsP50: qms(0.5),
    quorumLossMsP99: qms(0.99),
    quorumLossMsMax: ql.count === 0 ? null : ql.max / US_PER_MS,
    electionsPerYear: measuredYears > 0 ? acc.elections / measuredYears : NaN,
    electionsPerYearCi95: elections,
    electionMsP50: ms(0.5),
    electionMsP99: ms(0.99),
    electionMsMax: h.count === 0 ? null : h.max / US_PER_MS,
    meanYearsToQuorumLoss: analyticMttql ?? simulatedMttql,
    meanYearsToQuorumLossSource: analyticMttql !== null ? 'analytic' : simulatedMttql !== null ? 'simulated' : null,
    analyticMeanYearsToQuorumLoss: analyticMttql,
    simulatedMeanYearsToQuorumLoss: simulatedMttql,
    simulatedMeanYearsToQuorumLossCi95: simulatedMttqlCi,
    trialsWithQuorumLoss: k,
    quorumLossProbabilityPerYear: quorumLoss.p,
    quorumLossProbabilityPerYearCi95: quorumLoss.ci,
    sessionTimeoutMs: LONG_OUTAGE_US / US_PER_MS,
    longOutageProbabilityPerYear: longOutage.p,
    longOutageProbabilityPerYearCi95: longOutage.ci,
    trialsWithLongOutage: acc.trialsWithLongOutage,
    outageProbabilityPerYear: anyOutage.p,
    outageProbabilityPerYearCi95: anyOutage.ci,
    stoppedBy: ctx.stoppedBy,
    method: 'naive',
    rareEvent: null,
    tooFewWriteEpisodes: tooFewWrite,
    tooFewQuorumEpisodes: tooFewQuorum,
    tooFewEpisodes: tooFewWrite,
    writeAvailabilityUntrusted: untrusted,
    tooFewMttqlEvents: tooFewEpisodes(k, MIN_EPISODES),
    quorumLossExposureYears: exposureYears,
    analyticCovers: analytic ? [...analytic.covers] : null,
    analyticLeavesOut: analytic ? [...analytic.leavesOut] : null,
    faultsPerTrial: n > 0 ? acc.faults / n : 0,
    eventsPerTrial: n > 0 ? acc.events / n : 0,
  };
  return { ...row, warnings: rowWarnings(row) };
}

/** What writeTrust reads from a row. */
export interface WriteTrustInput {
  readonly failureOutageEpisodes: number;
  readonly quorumLossEpisodes: number;
  readonly writeUnavailability: number;
  readonly analyticQuorumUnavailability: number | null;
  /** null: no closed form */
  readonly analyticLeavesOut: readonly string[] | null;
}

/**
 * True when the write-availability estimate is not to be trusted (AvailabilityRow
 * writeAvailabilityUntrusted). Quorum losses are rare and long, failovers frequent and short:
 * plenty of failovers give a narrow write interval that says nothing about the quorum losses
 * behind most of the downtime (issue 9: n5-3az under az-outage, 40 trials, printed 1.3 min/yr
 * ± 0.14 with no quorum loss seen; 300 trials see 33 and ~8 min/yr). Quorum losses can be
 * ignored only when the closed form covers every process and says they are under a tenth of
 * the write downtime.
 */
export function writeTrust(r: WriteTrustInput): boolean {
  if (tooFewEpisodes(r.failureOutageEpisodes, MIN_EPISODES)) return true;
  if (!tooFewEpisodes(r.quorumLossEpisodes, MIN_EPISODES)) return false;
  const negligible =
    r.analyticLeavesOut !== null && r.analyticLeavesOut.length === 0 && r.analyticQuorumUnavailability !== null && r.analyticQuorumUnavailability < r.writeUnavailability / 10;
  return !negligible;
}

/** Availabilities and unavailabilities this close are the same number (float noise, closed form vs sums). */
const SAME_UNAVAILABILITY = 1e-12;

/** Below this horizon a trial measures little beyond its start-up election. */
const SHORT_HORIZON_YEARS = 1 / (365 * 24);

/** Is availability `a` (unavailability `u`) outside [lo, hi], beyond float noise and beyond what printing can show? */
function outside(u: number, ci: readonly number[]): boolean {
  const lo = ci[0] ?? NaN;
  const hi = ci[1] ?? NaN;
  if (1 - u >= lo - SAME_UNAVAILABILITY && 1 - u <= hi + SAME_UNAVAILABILITY) return false;
  const shown = formatAvailability(1 - u, u);
  return shown !== formatAvailability(lo) && shown !== formatAvailability(hi);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : word.endsWith('s') ? 'es' : 's'}`;
}

/** The row's warnings (AvailabilityRow.warnings), in the order the table prints them. */
export function rowWarnings(r: Omit<AvailabilityRow, 'warnings'>): string[] {
  const out: string[] = [];
  if (r.horizonYears < SHORT_HORIZON_YEARS) {
    out.push(`the horizon (${formatYears(r.horizonYears)} per trial) is shorter than one hour: the availability measures little beyond the start-up election at t = 0; use a horizon of months to years`);
  }
  if (r.tooFewWriteEpisodes) {
    out.push(`only ${plural(r.failureOutageEpisodes, 'write outage')} caused by failures (fewer than ${MIN_EPISODES}) — the write availability interval cannot be trusted`);
  }
  const leaves = r.analyticLeavesOut;
  const coversAll = leaves !== null && leaves.length === 0 && r.analyticQuorumAvailability !== null;
  if (r.tooFewQuorumEpisodes) {
    out.push(`only ${plural(r.quorumLossEpisodes, 'quorum-loss episode')} (fewer than ${MIN_EPISODES}) — the quorum availability interval cannot be trusted`);
    // Plenty of short failovers can hide that most of the write downtime is those few losses.
    const share = r.downtimeMinutesPerYear > 0 ? r.quorumDowntimeMinutesPerYear / r.downtimeMinutesPerYear : 0;
    if (!r.tooFewWriteEpisodes && share >= 0.5) {
      out.push(`${(share * 100).toFixed(0)}% of the write downtime is ${r.quorumLossEpisodes === 1 ? 'that one quorum loss, so the write availability rests on it' : `those ${r.quorumLossEpisodes} quorum losses, so the write availability rests on them`} too`);
    } else if (!r.tooFewWriteEpisodes && r.writeAvailabilityUntrusted) {
      out.push(
        `the write availability interval counts only the ${plural(r.quorumLossEpisodes, 'quorum loss')} seen; writes need a quorum, so quorum losses not yet seen would add downtime the interval does not show — not to be trusted (*); run more trials` +
          (coversAll ? '' : ' (no closed form covers every process to bound them)'),
      );
    }
  }
  if (r.analyticQuorumAvailability !== null && r.analyticQuorumUnavailability !== null) {
    const u = r.analyticQuorumUnavailability;
    const shown = formatAvailability(1 - u, u);
    if (outside(u, r.quorumAvailabilityCi95)) {
      // Quorum losses, not write outages, are what this interval rests on: with few of them
      // the interval itself is untrustworthy, which is the usual reason for a miss.
      const above = (leaves ?? []).length > 0 && (r.quorumAvailabilityCi95[0] ?? 0) > 1 - u; // leaving processes out only raises it
      const why = r.quorumLossEpisodes < MIN_EPISODES
        ? `only ${plural(r.quorumLossEpisodes, 'quorum-loss episode')}, too few to test it: run more trials`
        : above ? 'impossible: it leaves processes out, which can only make it higher; too few of the rare losses were seen: run more trials'
        : (leaves ?? []).length > 0
          ? `the closed form leaves out ${(leaves ?? []).join(', ')}`
          : 'a trial starts all-up; bias ~ MTTR/horizon';
      out.push(`closed form ${shown} is outside the simulated quorum-availability interval (${why})`);
    }
    // Writes need a quorum: write availability ≤ quorum availability, always.
    if (coversAll && r.writeAvailabilityCi95[0] > 1 - u + SAME_UNAVAILABILITY && formatAvailability(r.writeAvailabilityCi95[0]) !== shown) {
      out.push(
        `impossible: the write availability interval ${formatAvailability(r.writeAvailabilityCi95[0])} – ${formatAvailability(r.writeAvailabilityCi95[1])} lies entirely above the closed-form quorum availability ${shown}, ` +
          `and writes need a quorum; the simulation has seen too few quorum losses (${r.quorumLossEpisodes}): run more trials (write downtime is at least the closed form's ${formatPerYear(u * MINUTES_PER_YEAR)} min/yr)`,
      );
    }
  }
  return out;
}
