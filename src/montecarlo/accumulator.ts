import { DOWNTIME_CAUSES, type DowntimeCause } from '../observe/index.js';
import type { TrialSummary } from '../scenario/index.js';
import { Histogram, type HistogramJSON } from '../stats/index.js';

/**
 * Sufficient statistics of a set of trials, EXACTLY mergeable in any order.
 *
 * Why exact: `merge` of shards, checkpoint resume and 1-vs-N workers must all give the same JSON,
 * byte for byte. Floating-point sums (and Welford/Chan merges) depend on the order of addition,
 * so every statistic here is an integer: times are integer µs, so sums, sums of squares and
 * cross products are kept as BigInt (Σd² of a year of µs overflows 2^53 quickly) and counts as
 * safe integers. Integer addition is associative and commutative, so any partition of the trial
 * indices, merged in any order, gives the identical accumulator. Estimates (ratios, variances)
 * are derived from these integers only at the end (see estimate.ts).
 *
 * The election-duration histogram merges exactly too (integer bucket counts, exact min/max, and
 * a sum of integer µs that stays below 2^53 — 285 years of total election time).
 */
export interface Moments {
  /** Σ x */
  sum: bigint;
  /** Σ x² */
  sumSq: bigint;
  /** Σ x·m, m = measured µs of the same trial (for the ratio estimator's variance) */
  sumXm: bigint;
}

export class Accumulator {
  trials = 0;
  /** Σ m, Σ m² over measured windows (µs) */
  measured: Moments = zero();
  writeDown: Moments = zero();
  quorumDown: Moments = zero();
  /** Σ downtime per cause (µs); per trial the causes add up to writeDown, so these sum to writeDown.sum */
  byCause: Record<DowntimeCause, bigint> = zeroCauses();
  outageEpisodes = 0;
  /** trials with at least one write outage */
  trialsWithOutage = 0;
  /** trials that lost a connected quorum at least once */
  trialsWithQuorumLoss = 0;
  /** Σ min(time to first quorum loss, measured window): exposure for the censored-exponential MTTQL */
  timeToQuorumLossUs = 0n;
  elections = 0;
  electionUs = new Histogram();
  faults = 0;
  events = 0;

  add(s: TrialSummary): this {
    const m = BigInt(s.measuredUs);
    this.trials++;
    addMoment(this.measured, m, m);
    addMoment(this.writeDown, BigInt(s.writeDownUs), m);
    addMoment(this.quorumDown, BigInt(s.quorumDownUs), m);
    for (const c of DOWNTIME_CAUSES) this.byCause[c] += BigInt(s.downByCauseUs[c]);
    this.outageEpisodes += s.outageEpisodes;
    if (s.outageEpisodes > 0 || s.writeDownUs > 0) this.trialsWithOutage++;
    if (s.firstQuorumLossUs !== null) {
      this.trialsWithQuorumLoss++;
      this.timeToQuorumLossUs += BigInt(Math.min(s.firstQuorumLossUs, s.measuredUs));
    } else {
      this.timeToQuorumLossUs += m;
    }
    this.elections += s.elections;
    for (const d of s.electionDurationsUs) this.electionUs.record(d);
    this.faults += s.faults;
    this.events += s.events;
    return this;
  }

  /** Folds `other` in; the result does not depend on the order of merges. */
  merge(other: Accumulator): this {
    this.trials += other.trials;
    mergeMoment(this.measured, other.measured);
    mergeMoment(this.writeDown, other.writeDown);
    mergeMoment(this.quorumDown, other.quorumDown);
    for (const c of DOWNTIME_CAUSES) this.byCause[c] += other.byCause[c];
    this.outageEpisodes += other.outageEpisodes;
    this.trialsWithOutage += other.trialsWithOutage;
    this.trialsWithQuorumLoss += other.trialsWithQuorumLoss;
    this.timeToQuorumLossUs += other.timeToQuorumLossUs;
    this.elections += other.elections;
    this.electionUs.merge(other.electionUs);
    this.faults += other.faults;
    this.events += other.events;
    return this;
  }

  toJSON(): AccumulatorJSON {
    const byCause = {} as Record<DowntimeCause, string>;
    for (const c of DOWNTIME_CAUSES) byCause[c] = this.byCause[c].toString();
    return {
      trials: this.trials,
      measured: momentJSON(this.measured),
      writeDown: momentJSON(this.writeDown),
      quorumDown: momentJSON(this.quorumDown),
      byCause,
      outageEpisodes: this.outageEpisodes,
      trialsWithOutage: this.trialsWithOutage,
      trialsWithQuorumLoss: this.trialsWithQuorumLoss,
      timeToQuorumLossUs: this.timeToQuorumLossUs.toString(),
      elections: this.elections,
      electionUs: this.electionUs.toJSON(),
      faults: this.faults,
      events: this.events,
    };
  }

  static fromJSON(j: AccumulatorJSON): Accumulator {
    const a = new Accumulator();
    try {
      a.trials = int(j.trials);
      a.measured = momentFrom(j.measured);
      a.writeDown = momentFrom(j.writeDown);
      a.quorumDown = momentFrom(j.quorumDown);
      for (const c of DOWNTIME_CAUSES) a.byCause[c] = BigInt(j.byCause[c]);
      a.outageEpisodes = int(j.outageEpisodes);
      a.trialsWithOutage = int(j.trialsWithOutage);
      a.trialsWithQuorumLoss = int(j.trialsWithQuorumLoss);
      a.timeToQuorumLossUs = BigInt(j.timeToQuorumLossUs);
      a.elections = int(j.elections);
      a.electionUs = Histogram.fromJSON(j.electionUs);
      a.faults = int(j.faults);
      a.events = int(j.events);
    } catch (e) {
      throw new RangeError(`invalid accumulator: ${(e as Error).message}`);
    }
    return a;
  }

  clone(): Accumulator {
    return Accumulator.fromJSON(this.toJSON());
  }
}

/** JSON form: BigInts as decimal strings (JSON numbers would lose digits past 2^53). */
export interface AccumulatorJSON {
  trials: number;
  measured: MomentsJSON;
  writeDown: MomentsJSON;
  quorumDown: MomentsJSON;
  byCause: Record<DowntimeCause, string>;
  outageEpisodes: number;
  trialsWithOutage: number;
  trialsWithQuorumLoss: number;
  timeToQuorumLossUs: string;
  elections: number;
  electionUs: HistogramJSON;
  faults: number;
  events: number;
}

export interface MomentsJSON {
  sum: string;
  sumSq: string;
  sumXm: string;
}

function zero(): Moments {
  return { sum: 0n, sumSq: 0n, sumXm: 0n };
}

function zeroCauses(): Record<DowntimeCause, bigint> {
  const r = {} as Record<DowntimeCause, bigint>;
  for (const c of DOWNTIME_CAUSES) r[c] = 0n;
  return r;
}

function addMoment(mo: Moments, x: bigint, m: bigint): void {
  mo.sum += x;
  mo.sumSq += x * x;
  mo.sumXm += x * m;
}

function mergeMoment(into: Moments, from: Moments): void {
  into.sum += from.sum;
  into.sumSq += from.sumSq;
  into.sumXm += from.sumXm;
}

function momentJSON(mo: Moments): MomentsJSON {
  return { sum: mo.sum.toString(), sumSq: mo.sumSq.toString(), sumXm: mo.sumXm.toString() };
}

function momentFrom(j: MomentsJSON): Moments {
  return { sum: BigInt(j.sum), sumSq: BigInt(j.sumSq), sumXm: BigInt(j.sumXm) };
}

function int(x: number): number {
  if (!Number.isSafeInteger(x) || x < 0) throw new RangeError(`expected a non-negative integer, got ${String(x)}`);
  return x;
}
