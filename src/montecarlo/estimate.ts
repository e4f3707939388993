import { US_PER_MS, US_PER_YEAR } from '../core/index.js';
import type { FailureSource } from '../model/index.js';
import { DOWNTIME_CAUSES, DOWNTIME_PROCESSES, type DowntimeCause, type DowntimeProcess } from '../observe/index.js';
import { MIN_EPISODES, Z95, poissonRateCi95, relativeHalfWidth, tooFewEpisodes, wilsonInterval, type Interval } from '../stats/index.js';
import { LONG_OUTAGE_US, type Accumulator, type Moments } from './accumulator.js';

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
  /** fewer than MIN_EPISODES write outages caused by failures: the write-availability interval is not to be trusted */
  tooFewWriteEpisodes: boolean;
  /** fewer than MIN_EPISODES quorum-loss episodes: the quorum-availability interval is not to be trusted */
  tooFewQuorumEpisodes: boolean;
  /** same as tooFewWriteEpisodes (kept for readers of the earlier contract) */
  tooFewEpisodes: boolean;
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
  if (k > 0 && exposureYears > 0) {
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

  return {
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
    tooFewWriteEpisodes: tooFewWrite,
    tooFewQuorumEpisodes: tooFewEpisodes(acc.quorumLossEpisodes, MIN_EPISODES),
    tooFewEpisodes: tooFewWrite,
    analyticCovers: analytic ? [...analytic.covers] : null,
    analyticLeavesOut: analytic ? [...analytic.leavesOut] : null,
    faultsPerTrial: n > 0 ? acc.faults / n : 0,
    eventsPerTrial: n > 0 ? acc.events / n : 0,
  };
}
