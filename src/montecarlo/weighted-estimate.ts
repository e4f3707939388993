import { US_PER_MS, US_PER_YEAR } from '../core/index.js';
import { DOWNTIME_CAUSES, DOWNTIME_PROCESSES, type DowntimeCause, type DowntimeProcess } from '../observe/index.js';
import { MIN_EPISODES, Z95, relativeHalfWidth, type Interval } from '../stats/index.js';
import { formatYears } from '../stats/format.js';
import type { Moments } from './accumulator.js';
import { ratioEstimate, type AvailabilityRow, type RareEventDiagnostics } from './estimate.js';
import { WEIGHT_SCALE_BITS, type SpreadQuantity, type WeightedAccumulator } from './weighted.js';
import type { WeightedHistogram } from './weighted-histogram.js';

const MINUTES_PER_YEAR = US_PER_YEAR / 60_000_000;

/**
 * One cycle carrying more than this share of an estimate makes the weights degenerate: the
 * estimate is then mostly that one draw, and its interval says nothing about the others.
 */
export const MAX_CYCLE_SHARE = 0.5;

/** A ratio of weighted sums Σ Y / Σ X with its delta-method interval and standard error. */
export interface WeightedRatio {
  readonly value: number;
  /** the 95% interval of estimate.ts ratioEstimate (clamped to [0, 1]) */
  readonly ci95: Interval;
  /** √Var of the estimate by the delta method; NaN with fewer than 2 trials */
  readonly standardError: number;
  /** standardError / value; null when the value is 0 (or undefined) */
  readonly relativeError: number | null;
}

/**
 * Σ Y / Σ X over trials, with the interval of estimate.ts ratioEstimate: the same delta-method
 * variance n/(n−1)·Σ(Yᵢ − R̂Xᵢ)²/(ΣX)², exact in BigInt up to the final division. The common
 * 2^WEIGHT_SCALE_BITS scale of Y and X cancels. Trials (not cycles) are the i.i.d. unit, so the
 * variance accounts for cycles of one trial sharing its seed.
 */
export function weightedRatio(y: Moments, x: Moments, n: number): WeightedRatio {
  const { value, ci95 } = ratioEstimate(y, x, n);
  let standardError = NaN;
  if (n >= 2 && x.sum > 0n) {
    const num = x.sum * x.sum * y.sumSq - 2n * y.sum * x.sum * y.sumXm + y.sum * y.sum * x.sumSq;
    standardError = (Math.sqrt(n / (n - 1)) * Math.sqrt(Number(num < 0n ? 0n : num))) / (Number(x.sum) * Number(x.sum));
  }
  const relativeError = value > 0 && Number.isFinite(standardError) ? standardError / value : null;
  return { value, ci95, standardError, relativeError };
}

/**
 * Write unavailability's relative 95% half-width from the weighted cycles: the `--precision`
 * criterion of a failure-biased study (estimate.ts precisionOf for naive ones); Infinity while
 * the estimate is 0 or undefined, so sampling goes on.
 */
export function weightedPrecisionOf(w: WeightedAccumulator): number {
  const u = weightedRatio(w.moments.writeDown, w.measured, w.trials);
  const r = relativeHalfWidth(u.ci95, u.value);
  return Number.isNaN(r) ? Infinity : r;
}

/** The AvailabilityRow fields a failure-biased study takes from its weighted cycles (the rest come from the unweighted sums). */
export type WeightedRowFields = Pick<
  AvailabilityRow,
  | 'writeAvailability' | 'writeAvailabilityCi95' | 'writeUnavailability' | 'writeUnavailabilityCi95' | 'relativeHalfWidth' | 'nines'
  | 'quorumAvailability' | 'quorumAvailabilityCi95' | 'downtimeMinutesPerYear' | 'downtimeMinutesPerYearCi95' | 'quorumDowntimeMinutesPerYear'
  | 'downtimeByCause' | 'downtimeByProcess' | 'quorumDowntimeByProcess' | 'outagesPerYear' | 'quorumLossesPerYear'
  | 'electionsPerYear' | 'electionsPerYearCi95' | 'quorumLossMsP50' | 'quorumLossMsP99' | 'quorumLossMsMax' | 'electionMsP50' | 'electionMsP99' | 'electionMsMax'
  | 'simulatedMeanYearsToQuorumLoss' | 'simulatedMeanYearsToQuorumLossCi95' | 'quorumLossProbabilityPerYear' | 'quorumLossProbabilityPerYearCi95'
  | 'longOutageProbabilityPerYear' | 'longOutageProbabilityPerYearCi95' | 'method' | 'rareEvent'
>;

/**
 * Every estimate of a failure-biased row, from the weighted cycles (`horizonUs`: one trial's
 * horizon, quoted in warnings). Unavailabilities are ratios Σ W·D / Σ W·C; rates per year are
 * ratios of weighted counts to Σ W·C; P(event in a year) = 1 − exp(−ρ·1 year) with ρ the
 * weighted rate of cycles with the event (a cycle has at most one "first" event, and cycles are
 * the renewal unit, so ρ is the rate of first events after all-up — the regenerative MTTF
 * estimate 1/ρ of Shahabuddin 1994, exact when the event is rare against a cycle). Where no cycle
 * shows a quantity at all, its interval is the whole range ([0, 1], [0, ∞)): zero hits under a
 * biased measure give no variance to build an interval from, and [0, 0] would claim certainty.
 */
export function weightedRowFields(w: WeightedAccumulator, horizonUs: number): WeightedRowFields {
  const n = w.trials;
  const write = weightedRatio(w.moments.writeDown, w.measured, n);
  const quorum = weightedRatio(w.moments.quorumDown, w.measured, n);
  const writeCi = bounded(w.moments.writeDown, write.ci95);
  const quorumCi = bounded(w.moments.quorumDown, quorum.ci95);
  const minutes = (y: Moments): number => ratio(y.sum, w.measured.sum) * MINUTES_PER_YEAR;
  const byCause = {} as Record<DowntimeCause, number>;
  for (const c of DOWNTIME_CAUSES) byCause[c] = minutes(w.byCause[c]);
  const byProcess = {} as Record<DowntimeProcess, number>;
  const quorumByProcess = {} as Record<DowntimeProcess, number>;
  for (const p of DOWNTIME_PROCESSES) {
    byProcess[p] = minutes(w.byProcess[p]);
    quorumByProcess[p] = minutes(w.quorumByProcess[p]);
  }
  const rhw = relativeHalfWidth(writeCi, write.value);
  const perYear = (y: Moments): number => ratio(y.sum, w.measured.sum) * US_PER_YEAR;
  const elections = weightedRatio(w.moments.elections, w.measured, n);
  const lossCycles = weightedRatio(w.moments.quorumLossCycles, w.measured, n);
  const loss = yearProbability(w.moments.quorumLossCycles, lossCycles, w.measured);
  const long = yearProbability(w.moments.longOutageCycles, weightedRatio(w.moments.longOutageCycles, w.measured, n), w.measured);
  const lossRate = lossCycles.value * US_PER_YEAR;
  const lossRateCi = yearRate(w.moments.quorumLossCycles, lossCycles.ci95, w.measured);
  return {
    writeAvailability: 1 - write.value,
    writeAvailabilityCi95: [1 - writeCi[1], 1 - writeCi[0]],
    writeUnavailability: write.value,
    writeUnavailabilityCi95: writeCi,
    relativeHalfWidth: Number.isFinite(rhw) ? rhw : null,
    nines: write.value > 0 ? -Math.log10(write.value) : null,
    quorumAvailability: 1 - quorum.value,
    quorumAvailabilityCi95: [1 - quorumCi[1], 1 - quorumCi[0]],
    downtimeMinutesPerYear: write.value * MINUTES_PER_YEAR,
    downtimeMinutesPerYearCi95: [writeCi[0] * MINUTES_PER_YEAR, writeCi[1] * MINUTES_PER_YEAR],
    quorumDowntimeMinutesPerYear: quorum.value * MINUTES_PER_YEAR,
    downtimeByCause: byCause,
    downtimeByProcess: byProcess,
    quorumDowntimeByProcess: quorumByProcess,
    outagesPerYear: perYear(w.moments.failureOutageEpisodes),
    quorumLossesPerYear: perYear(w.moments.quorumLossEpisodes),
    electionsPerYear: elections.value * US_PER_YEAR,
    electionsPerYearCi95: yearRate(w.moments.elections, elections.ci95, w.measured),
    ...durations('quorumLoss', w.quorumLossUs),
    ...durations('election', w.electionUs),
    simulatedMeanYearsToQuorumLoss: lossRate > 0 ? 1 / lossRate : null,
    simulatedMeanYearsToQuorumLossCi95: lossRate > 0 ? [1 / lossRateCi[1], lossRateCi[0] > 0 ? 1 / lossRateCi[0] : null] : null,
    quorumLossProbabilityPerYear: loss.p,
    quorumLossProbabilityPerYearCi95: loss.ci,
    longOutageProbabilityPerYear: long.p,
    longOutageProbabilityPerYearCi95: long.ci,
    method: 'failure-biasing',
    rareEvent: rareEventDiagnostics(w, { write, writeCi, quorum, quorumCi, loss: loss.relativeError }, horizonUs),
  };
}

/** The unavailability interval, or [0, 1] when no cycle showed any downtime (see weightedRowFields). */
function bounded(y: Moments, ci: Interval): Interval {
  return y.sum === 0n ? [0, 1] : ci;
}

/** A per-µs rate interval as per year; [0, ∞) when no cycle showed the event. */
function yearRate(y: Moments, ci: Interval, measured: Moments): Interval {
  if (y.sum !== 0n) return [ci[0] * US_PER_YEAR, ci[1] * US_PER_YEAR];
  // No cycle showed the event: Garwood's zero-event bound 3.689 / exposure, the exposure being
  // the weighted measured time Σ W·C in years (the JSON contract has no room for an open end).
  const years = ratio(measured.sum, BigInt(2) ** BigInt(WEIGHT_SCALE_BITS)) / US_PER_YEAR;
  return [0, years > 0 ? GARWOOD_ZERO_EVENTS / years : Number.MAX_VALUE];
}

/** Upper 95% Garwood limit on a Poisson mean when no event was seen. */
const GARWOOD_ZERO_EVENTS = 3.689;

/**
 * P(at least one event in a year) = 1 − exp(−ρ·year) from the weighted rate ρ of cycles with the
 * event; the map is monotone, so the rate interval's ends map to P's interval. The relative error
 * is that of the reported P and comes from that same interval, (hi − lo) / 2 / Z95 / P (as
 * report/table-method.ts relativeErrorOf reads a naive row's), never the delta method's
 * e^(−ρ·year)·year·SE(ρ) / P: near P = 1 that shrinks to a few percent while the interval spans
 * 0%–100% (issue 16: "99.3% (0%–100%)" with "relative error 2.1%"). null when P is 0. When no
 * cycle showed the event, the interval is [0, 1 − exp(−b·year)] from yearRate's Garwood bound b on
 * the rate (a one-sided 95% bound, not the vacuous [0, 1]).
 */
export function yearProbability(y: Moments, r: WeightedRatio, measured: Moments): { p: number; ci: Interval; relativeError: number | null } {
  const toP = (perUs: number): number => -Math.expm1(-perUs * US_PER_YEAR);
  const p = toP(r.value);
  const perYear = yearRate(y, r.ci95, measured);
  const ci: Interval = [-Math.expm1(-perYear[0]), -Math.expm1(-perYear[1])];
  const re = (ci[1] - ci[0]) / 2 / Z95 / p;
  return { p, ci, relativeError: p > 0 && Number.isFinite(re) ? re : null };
}

/** Weighted p50 and p99 and the longest seen (ms) of a duration histogram; null when empty. */
function durations<K extends 'quorumLoss' | 'election'>(name: K, h: WeightedHistogram): Record<`${K}MsP50` | `${K}MsP99` | `${K}MsMax`, number | null> {
  const ms = (v: number): number | null => (h.count === 0 || !Number.isFinite(v) ? null : v / US_PER_MS);
  return { [`${name}MsP50`]: ms(h.quantile(0.5)), [`${name}MsP99`]: ms(h.quantile(0.99)), [`${name}MsMax`]: ms(h.max) } as Record<`${K}MsP50` | `${K}MsP99` | `${K}MsMax`, number | null>;
}

/** What rareEventDiagnostics reads besides the accumulator. */
interface Estimates {
  readonly write: WeightedRatio;
  readonly writeCi: Interval;
  readonly quorum: WeightedRatio;
  readonly quorumCi: Interval;
  /** relative error of P(quorum lost in a year) */
  readonly loss: number | null;
}

/**
 * Effective number of cycles an estimate rests on, (Σ v)² / Σ v² over cycles with v = W·q_c
 * (Kish's effective sample size, restricted to the cycles that show the quantity), and the
 * largest single cycle's share max v / Σ v. Both 0 when no cycle shows it.
 */
export function effectiveHits(w: WeightedAccumulator, q: SpreadQuantity): { hits: number; largestShare: number } {
  const s = w.moments[q].sum;
  const { sumSq, max } = w.spread[q];
  if (s === 0n || sumSq === 0n) return { hits: 0, largestShare: 0 };
  return { hits: ratio(s * s, sumSq), largestShare: ratio(max, s) };
}

/**
 * AvailabilityRow.rareEvent. The degeneracy rule: the weights are degenerate, and every interval
 * of the row is not to be trusted, when
 * - quorum downtime or the cycles with a quorum loss rest on fewer than MIN_EPISODES (10)
 *   effective cycles (effectiveHits): the same bar as the naive row's "fewer than 10 quorum-loss
 *   episodes" — a heavy-tailed likelihood ratio shows up here as few hits carrying most weight;
 * - one cycle carries more than MAX_CYCLE_SHARE (half) of the write downtime, the quorum downtime
 *   or the quorum-loss rate;
 * - the 95% interval of write or quorum unavailability is wider than the estimate (relative
 *   half-width > 1), where the normal approximation behind it has not set in.
 * Each reason is spelt out in `warnings`, with the remedy.
 */
export function rareEventDiagnostics(w: WeightedAccumulator, e: Estimates, horizonUs: number): RareEventDiagnostics {
  const quorum = effectiveHits(w, 'quorumDown');
  const lossCycles = effectiveHits(w, 'quorumLossCycles');
  const reasons: string[] = [];
  if (w.cyclesWithQuorumLoss === 0) reasons.push('no cycle lost quorum, so the quorum figures are 0 with no upper bound');
  else {
    if (quorum.hits < MIN_EPISODES) reasons.push(`the quorum downtime rests on ${quorum.hits.toFixed(1)} effective cycles (fewer than ${MIN_EPISODES})`);
    if (lossCycles.hits < MIN_EPISODES) reasons.push(`P(quorum lost in a year) rests on ${lossCycles.hits.toFixed(1)} effective cycles (fewer than ${MIN_EPISODES})`);
  }
  const shares: [string, number][] = [
    ['write downtime', effectiveHits(w, 'writeDown').largestShare],
    ['quorum downtime', quorum.largestShare],
    ['quorum-loss rate', lossCycles.largestShare],
  ];
  for (const [what, share] of shares) if (share > MAX_CYCLE_SHARE) reasons.push(`one cycle carries ${(share * 100).toFixed(0)}% of the ${what}`);
  for (const [what, r, ci] of [['write', e.write, e.writeCi], ['quorum', e.quorum, e.quorumCi]] as const) {
    const rhw = relativeHalfWidth(ci, r.value);
    if (r.value > 0 && rhw > 1) reasons.push(`the ${what} unavailability interval is wider than the estimate (±${(rhw * 100).toFixed(0)}%)`);
  }
  const warnings =
    reasons.length === 0
      ? []
      : [`the likelihood-ratio weights are degenerate: ${reasons.join('; ')} — after ${w.trials} trials of ${formatYears(horizonUs / US_PER_YEAR)}; run more trials or --method naive`];
  return {
    method: 'failure-biasing',
    cycles: w.cycles,
    effectiveSampleSize: w.sumWeightSq === 0n ? 0 : ratio(w.sumWeight * w.sumWeight, w.sumWeightSq),
    writeRelativeError: e.write.relativeError,
    quorumRelativeError: e.quorum.relativeError,
    quorumLossProbabilityRelativeError: e.loss,
    quorumEffectiveHits: quorum.hits,
    quorumLargestShare: quorum.largestShare,
    cyclesWithQuorumLoss: w.cyclesWithQuorumLoss,
    degenerate: reasons.length > 0,
    warnings,
  };
}

/** a / b as a double (NaN when b = 0); both are rounded once, and stay far below 2^1024. */
function ratio(a: bigint, b: bigint): number {
  return b === 0n ? NaN : Number(a) / Number(b);
}
