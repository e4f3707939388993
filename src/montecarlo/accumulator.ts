import { DOWNTIME_CAUSES, DOWNTIME_PROCESSES, type DowntimeCause, type DowntimeProcess } from '../observe/index.js';
import { DEFAULT_SESSION_TIMEOUT_US, type TrialSummary } from '../scenario/index.js';
import { Histogram, type HistogramJSON } from '../stats/index.js';
import { addBackup, backupFrom, backupJSON, mergeBackup, zeroBackupStats, type BackupStats, type BackupStatsJSON } from './backup-stats.js';
import { WeightedAccumulator, type WeightedAccumulatorJSON, type WeightedCycle } from './weighted.js';

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
 * The election-duration and quorum-loss-duration histograms merge exactly too (integer bucket
 * counts, exact min/max, and a sum of integer µs that stays exact below 2^53 µs — 285 years of
 * total election time, or of total quorum loss; past that only the histogram's mean, which no
 * output reads, could differ in its last bits between merge orders).
 */
/**
 * Version of the accumulator's JSON (`statistics` in documents, `acc` in checkpoints). Bumped
 * whenever a field is added or changes meaning, so statistics written by another version are
 * refused with a clear message instead of being misread. 2: measured from t = 0, attribution by
 * failure process, quorum-loss episodes and their durations, long write outages.
 */
export const ACCUMULATOR_FORMAT = 2;

/**
 * Format of statistics that also carry failure-biased cycles (`weighted`, issue 12). A reader
 * from before issue 12 refuses them (it reads format 2 only) instead of taking the biased,
 * unweighted sums for estimates; this version reads both.
 */
export const WEIGHTED_ACCUMULATOR_FORMAT = 3;

/**
 * A write outage longer than this (µs) outlives a ZooKeeper client session with the default
 * session timeout (30 s, config/scenario.ts DEFAULT_SESSION_TIMEOUT_US): the session expires,
 * ephemeral nodes and locks go. `P(a write outage longer than the session timeout in a year)`
 * counts the trials with one.
 */
export const LONG_OUTAGE_US = DEFAULT_SESSION_TIMEOUT_US;

export interface Moments {
  /** Σ x */
  sum: bigint;
  /** Σ x² */
  sumSq: bigint;
  /** Σ x·m, m = measured µs of the same trial (for the ratio estimator's variance) */
  sumXm: bigint;
}

export { statisticsProblem } from './accumulator-check.js';

export class Accumulator {
  trials = 0;
  /** Σ m, Σ m² over measured windows (µs) */
  measured: Moments = zero();
  writeDown: Moments = zero();
  quorumDown: Moments = zero();
  /** Σ downtime per cause (µs); per trial the causes add up to writeDown, so these sum to writeDown.sum */
  byCause: Record<DowntimeCause, bigint> = zeroCauses();
  /** Σ write downtime per failure process (µs); sums to writeDown.sum */
  byProcess: Record<DowntimeProcess, bigint> = zeroProcesses();
  /** Σ quorum downtime per failure process (µs); sums to quorumDown.sum */
  quorumByProcess: Record<DowntimeProcess, bigint> = zeroProcesses();
  /** write outage episodes, the initial elections included */
  outageEpisodes = 0;
  /** write outage episodes per failure process; sums to outageEpisodes */
  outageEpisodesByProcess: Record<DowntimeProcess, number> = zeroCounts();
  /** trials with at least one write outage (every trial, now that the initial election counts) */
  trialsWithOutage = 0;
  /** trials with a write outage longer than LONG_OUTAGE_US */
  trialsWithLongOutage = 0;
  quorumLossEpisodes = 0;
  /** quorum-loss episodes per failure process; sums to quorumLossEpisodes */
  quorumLossEpisodesByProcess: Record<DowntimeProcess, number> = zeroCounts();
  /** durations of quorum-loss episodes (µs) */
  quorumLossUs = new Histogram();
  /** trials that lost a connected quorum at least once */
  trialsWithQuorumLoss = 0;
  /** Σ min(time to first quorum loss, measured window): exposure for the censored-exponential MTTQL */
  timeToQuorumLossUs = 0n;
  elections = 0;
  electionUs = new Histogram();
  faults = 0;
  events = 0;
  /**
   * Failure-biased studies only (montecarlo/method.ts): the likelihood-ratio weighted cycle
   * statistics every estimate of the row is taken from. The unweighted sums above then describe
   * the trials as simulated under the biased measure (work done, episodes seen), not the system.
   */
  weighted: WeightedAccumulator | null = null;
  /** topologies with a backup policy only: their total losses and restores (montecarlo/backup-stats.ts) */
  backup: BackupStats | null = null;

  /** `cycles`: the trial's regenerative cycles with their weights, for a failure-biased trial. */
  add(s: TrialSummary, cycles?: readonly WeightedCycle[]): this {
    if (cycles !== undefined) {
      if (this.trials > 0 && this.weighted === null) throw new RangeError('a failure-biased trial cannot join naive statistics');
      (this.weighted ??= new WeightedAccumulator()).add(cycles);
    } else if (this.weighted !== null) {
      throw new RangeError('a naive trial cannot join failure-biased statistics');
    }
    const m = BigInt(s.measuredUs);
    this.trials++;
    addMoment(this.measured, m, m);
    addMoment(this.writeDown, BigInt(s.writeDownUs), m);
    addMoment(this.quorumDown, BigInt(s.quorumDownUs), m);
    for (const c of DOWNTIME_CAUSES) this.byCause[c] += BigInt(s.downByCauseUs[c]);
    for (const p of DOWNTIME_PROCESSES) {
      this.byProcess[p] += BigInt(s.downByProcessUs[p]);
      this.quorumByProcess[p] += BigInt(s.quorumDownByProcessUs[p]);
      this.outageEpisodesByProcess[p] += s.outageEpisodesByProcess[p];
      this.quorumLossEpisodesByProcess[p] += s.quorumLossEpisodesByProcess[p];
    }
    this.outageEpisodes += s.outageEpisodes;
    if (s.outageEpisodes > 0 || s.writeDownUs > 0) this.trialsWithOutage++;
    if (s.longestWriteOutageUs > LONG_OUTAGE_US) this.trialsWithLongOutage++;
    this.quorumLossEpisodes += s.quorumLossEpisodes;
    for (const d of s.quorumLossDurationsUs) this.quorumLossUs.record(d);
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
    if (s.backup) addBackup((this.backup ??= zeroBackupStats()), s.backup, m);
    return this;
  }

  /** Folds `other` in; the result does not depend on the order of merges. */
  merge(other: Accumulator): this {
    if (this.trials > 0 && other.trials > 0 && (this.weighted === null) !== (other.weighted === null)) {
      throw new RangeError('naive and failure-biased statistics cannot be merged: they estimate under different measures');
    }
    if (other.weighted !== null) (this.weighted ??= new WeightedAccumulator()).merge(other.weighted);
    this.trials += other.trials;
    mergeMoment(this.measured, other.measured);
    mergeMoment(this.writeDown, other.writeDown);
    mergeMoment(this.quorumDown, other.quorumDown);
    for (const c of DOWNTIME_CAUSES) this.byCause[c] += other.byCause[c];
    for (const p of DOWNTIME_PROCESSES) {
      this.byProcess[p] += other.byProcess[p];
      this.quorumByProcess[p] += other.quorumByProcess[p];
      this.outageEpisodesByProcess[p] += other.outageEpisodesByProcess[p];
      this.quorumLossEpisodesByProcess[p] += other.quorumLossEpisodesByProcess[p];
    }
    this.outageEpisodes += other.outageEpisodes;
    this.trialsWithOutage += other.trialsWithOutage;
    this.trialsWithLongOutage += other.trialsWithLongOutage;
    this.quorumLossEpisodes += other.quorumLossEpisodes;
    this.quorumLossUs.merge(other.quorumLossUs);
    this.trialsWithQuorumLoss += other.trialsWithQuorumLoss;
    this.timeToQuorumLossUs += other.timeToQuorumLossUs;
    this.elections += other.elections;
    this.electionUs.merge(other.electionUs);
    this.faults += other.faults;
    this.events += other.events;
    if (other.backup) mergeBackup((this.backup ??= zeroBackupStats()), other.backup);
    return this;
  }

  toJSON(): AccumulatorJSON {
    const byCause = {} as Record<DowntimeCause, string>;
    for (const c of DOWNTIME_CAUSES) byCause[c] = this.byCause[c].toString();
    const strings = (r: Record<DowntimeProcess, bigint>): Record<DowntimeProcess, string> => {
      const out = {} as Record<DowntimeProcess, string>;
      for (const p of DOWNTIME_PROCESSES) out[p] = r[p].toString();
      return out;
    };
    return {
      format: this.weighted ? WEIGHTED_ACCUMULATOR_FORMAT : ACCUMULATOR_FORMAT,
      longOutageUs: LONG_OUTAGE_US,
      trials: this.trials,
      measured: momentJSON(this.measured),
      writeDown: momentJSON(this.writeDown),
      quorumDown: momentJSON(this.quorumDown),
      byCause,
      byProcess: strings(this.byProcess),
      quorumByProcess: strings(this.quorumByProcess),
      outageEpisodes: this.outageEpisodes,
      outageEpisodesByProcess: { ...this.outageEpisodesByProcess },
      trialsWithOutage: this.trialsWithOutage,
      trialsWithLongOutage: this.trialsWithLongOutage,
      quorumLossEpisodes: this.quorumLossEpisodes,
      quorumLossEpisodesByProcess: { ...this.quorumLossEpisodesByProcess },
      quorumLossUs: this.quorumLossUs.toJSON(),
      trialsWithQuorumLoss: this.trialsWithQuorumLoss,
      timeToQuorumLossUs: this.timeToQuorumLossUs.toString(),
      elections: this.elections,
      electionUs: this.electionUs.toJSON(),
      faults: this.faults,
      events: this.events,
      ...(this.weighted ? { weighted: this.weighted.toJSON() } : {}),
      ...(this.backup ? { backup: backupJSON(this.backup) } : {}),
    };
  }

  static fromJSON(j: AccumulatorJSON): Accumulator {
    const a = new Accumulator();
    const weighted = j !== null && typeof j === 'object' && j.format === WEIGHTED_ACCUMULATOR_FORMAT;
    if (j === null || typeof j !== 'object' || (j.format !== ACCUMULATOR_FORMAT && !weighted)) {
      const f = j !== null && typeof j === 'object' && 'format' in j ? `format ${String(j.format)}` : 'an older format (before issue 9)';
      throw new RangeError(`statistics in ${f}, this zksim reads format ${ACCUMULATOR_FORMAT}: re-run with this version (trials are not comparable across the change)`);
    }
    if (j.longOutageUs !== LONG_OUTAGE_US) throw new RangeError(`statistics count outages longer than ${String(j.longOutageUs)} µs, this zksim ${LONG_OUTAGE_US} µs`);
    try {
      a.trials = int(j.trials);
      a.measured = momentFrom(j.measured);
      a.writeDown = momentFrom(j.writeDown);
      a.quorumDown = momentFrom(j.quorumDown);
      for (const c of DOWNTIME_CAUSES) a.byCause[c] = big(j.byCause[c]);
      for (const p of DOWNTIME_PROCESSES) {
        a.byProcess[p] = big(j.byProcess[p]);
        a.quorumByProcess[p] = big(j.quorumByProcess[p]);
        a.outageEpisodesByProcess[p] = int(j.outageEpisodesByProcess[p]);
        a.quorumLossEpisodesByProcess[p] = int(j.quorumLossEpisodesByProcess[p]);
      }
      a.outageEpisodes = int(j.outageEpisodes);
      a.trialsWithOutage = int(j.trialsWithOutage);
      a.trialsWithLongOutage = int(j.trialsWithLongOutage);
      a.quorumLossEpisodes = int(j.quorumLossEpisodes);
      a.quorumLossUs = Histogram.fromJSON(j.quorumLossUs);
      a.trialsWithQuorumLoss = int(j.trialsWithQuorumLoss);
      a.timeToQuorumLossUs = big(j.timeToQuorumLossUs);
      a.elections = int(j.elections);
      a.electionUs = Histogram.fromJSON(j.electionUs);
      a.faults = int(j.faults);
      a.events = int(j.events);
      if (j.backup !== undefined) a.backup = backupFrom(j.backup);
      if (weighted) {
        if (j.weighted === undefined || j.weighted === null || typeof j.weighted !== 'object') throw new RangeError(`format ${WEIGHTED_ACCUMULATOR_FORMAT} statistics need their weighted cycles`);
        a.weighted = WeightedAccumulator.fromJSON(j.weighted);
      } else if (j.weighted !== undefined) {
        throw new RangeError(`format ${ACCUMULATOR_FORMAT} statistics cannot carry weighted cycles`);
      }
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
  /** ACCUMULATOR_FORMAT */
  format: number;
  /** LONG_OUTAGE_US: the threshold trialsWithLongOutage was counted against */
  longOutageUs: number;
  trials: number;
  measured: MomentsJSON;
  writeDown: MomentsJSON;
  quorumDown: MomentsJSON;
  byCause: Record<DowntimeCause, string>;
  byProcess: Record<DowntimeProcess, string>;
  quorumByProcess: Record<DowntimeProcess, string>;
  outageEpisodes: number;
  outageEpisodesByProcess: Record<DowntimeProcess, number>;
  trialsWithOutage: number;
  trialsWithLongOutage: number;
  quorumLossEpisodes: number;
  quorumLossEpisodesByProcess: Record<DowntimeProcess, number>;
  quorumLossUs: HistogramJSON;
  trialsWithQuorumLoss: number;
  timeToQuorumLossUs: string;
  elections: number;
  electionUs: HistogramJSON;
  faults: number;
  events: number;
  /** failure-biased studies only (format WEIGHTED_ACCUMULATOR_FORMAT): the weighted cycle statistics */
  weighted?: WeightedAccumulatorJSON;
  /** topologies with a backup policy: total losses and restores (montecarlo/backup-stats.ts) */
  backup?: BackupStatsJSON;
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

function zeroProcesses(): Record<DowntimeProcess, bigint> {
  const r = {} as Record<DowntimeProcess, bigint>;
  for (const p of DOWNTIME_PROCESSES) r[p] = 0n;
  return r;
}

function zeroCounts(): Record<DowntimeProcess, number> {
  const r = {} as Record<DowntimeProcess, number>;
  for (const p of DOWNTIME_PROCESSES) r[p] = 0;
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
  return { sum: big(j.sum), sumSq: big(j.sumSq), sumXm: big(j.sumXm) };
}

/**
 * A non-negative decimal integer string, as toJSON writes them. BigInt() alone would also take
 * "-5", "0x1f", " 7 " and numbers; every sum here is of non-negative µs, so those are damage.
 */
function big(x: string): bigint {
  if (typeof x !== 'string' || !/^\d+$/.test(x)) throw new RangeError(`expected a non-negative whole number as a decimal string, got ${JSON.stringify(x)}`);
  return BigInt(x);
}

function int(x: number): number {
  if (!Number.isSafeInteger(x) || x < 0) throw new RangeError(`expected a non-negative integer, got ${String(x)}`);
  return x;
}
