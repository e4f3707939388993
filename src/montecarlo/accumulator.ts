import { DOWNTIME_CAUSES, DOWNTIME_PROCESSES, type DowntimeCause, type DowntimeProcess } from '../observe/index.js';
import { DEFAULT_SESSION_TIMEOUT_US, type TrialSummary } from '../scenario/index.js';
import { HISTOGRAM_MAX_VALUE, Histogram, histogramBucketIndex, type HistogramJSON } from '../stats/index.js';

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

  add(s: TrialSummary): this {
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
    return this;
  }

  /** Folds `other` in; the result does not depend on the order of merges. */
  merge(other: Accumulator): this {
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
      format: ACCUMULATOR_FORMAT,
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
    };
  }

  static fromJSON(j: AccumulatorJSON): Accumulator {
    const a = new Accumulator();
    if (j === null || typeof j !== 'object' || j.format !== ACCUMULATOR_FORMAT) {
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
    } catch (e) {
      throw new RangeError(`invalid accumulator: ${(e as Error).message}`);
    }
    return a;
  }

  clone(): Accumulator {
    return Accumulator.fromJSON(this.toJSON());
  }
}

/**
 * The first broken invariant of statistics read back from a file (a checkpoint's `acc`, a
 * document's `statistics`), in words, or null when they are consistent. fromJSON checks each
 * field's type and sign; this checks how the fields relate, as `add` builds them: any set of
 * real trials satisfies every rule below, so a violation means the numbers were edited or
 * damaged. Rules (all sums in µs):
 * - per cause and per process, write downtime adds up to the total write downtime; per process,
 *   quorum downtime adds up to the total quorum downtime; episodes per process add up to the episodes;
 * - downtime ≤ measured time (per trial x ≤ m, hence also Σx² ≤ Σx·m ≤ Σm²), and Σm·m = Σm²;
 * - Cauchy–Schwarz, (Σx)² ≤ trials·Σx², for measured time and both downtimes;
 * - trials with an outage / a long outage / a quorum loss ≤ trials (and long ≤ any);
 *   trials with a quorum loss ≤ quorum-loss episodes;
 * - one quorum-loss duration per quorum-loss episode; election durations ≤ elections;
 *   each histogram's min ≤ max and count·min ≤ sum ≤ count·max;
 * - exposure to the first quorum loss ≤ measured time; no trials ⇒ nothing counted.
 * The caller checks what needs the run's plan (trial count for runs/shard/chunks, horizon).
 */
export function statisticsProblem(a: Accumulator): string | null {
  const sum = (xs: Iterable<bigint>): bigint => {
    let t = 0n;
    for (const x of xs) t += x;
    return t;
  };
  const count = (xs: Iterable<number>): number => {
    let t = 0;
    for (const x of xs) t += x;
    return t;
  };
  const w = a.writeDown;
  const q = a.quorumDown;
  const m = a.measured;
  const n = BigInt(a.trials);
  const checks: [boolean, () => string][] = [
    [sum(Object.values(a.byCause)) === w.sum, () => `write downtime by cause adds up to ${sum(Object.values(a.byCause))} µs, the total is ${w.sum} µs`],
    [sum(Object.values(a.byProcess)) === w.sum, () => `write downtime by process adds up to ${sum(Object.values(a.byProcess))} µs, the total is ${w.sum} µs`],
    [sum(Object.values(a.quorumByProcess)) === q.sum, () => `quorum downtime by process adds up to ${sum(Object.values(a.quorumByProcess))} µs, the total is ${q.sum} µs`],
    [count(Object.values(a.outageEpisodesByProcess)) === a.outageEpisodes, () => `write outage episodes by process add up to ${count(Object.values(a.outageEpisodesByProcess))}, the total is ${a.outageEpisodes}`],
    [count(Object.values(a.quorumLossEpisodesByProcess)) === a.quorumLossEpisodes, () => `quorum-loss episodes by process add up to ${count(Object.values(a.quorumLossEpisodesByProcess))}, the total is ${a.quorumLossEpisodes}`],
    [w.sum <= m.sum, () => `write downtime ${w.sum} µs exceeds the measured time ${m.sum} µs`],
    [q.sum <= m.sum, () => `quorum downtime ${q.sum} µs exceeds the measured time ${m.sum} µs`],
    [m.sumXm === m.sumSq, () => 'measured time: sumXm differs from sumSq'],
    [w.sumSq <= w.sumXm && w.sumXm <= m.sumSq, () => 'write downtime: its second moments are impossible for downtime ≤ measured time in every trial'],
    [q.sumSq <= q.sumXm && q.sumXm <= m.sumSq, () => 'quorum downtime: its second moments are impossible for downtime ≤ measured time in every trial'],
    [m.sum * m.sum <= n * m.sumSq, () => `measured time: sum² > trials × sumSq (impossible for ${a.trials} trials)`],
    [w.sum * w.sum <= n * w.sumSq, () => `write downtime: sum² > trials × sumSq (impossible for ${a.trials} trials)`],
    [q.sum * q.sum <= n * q.sumSq, () => `quorum downtime: sum² > trials × sumSq (impossible for ${a.trials} trials)`],
    [a.trialsWithOutage <= a.trials, () => `${a.trialsWithOutage} trials with a write outage out of ${a.trials} trials`],
    [a.trialsWithLongOutage <= a.trialsWithOutage, () => `${a.trialsWithLongOutage} trials with a long write outage but ${a.trialsWithOutage} with any`],
    [a.trialsWithQuorumLoss <= a.trials, () => `${a.trialsWithQuorumLoss} trials with a quorum loss out of ${a.trials} trials`],
    [a.trialsWithQuorumLoss <= a.quorumLossEpisodes, () => `${a.trialsWithQuorumLoss} trials with a quorum loss but ${a.quorumLossEpisodes} quorum-loss episodes`],
    [a.quorumLossUs.count === a.quorumLossEpisodes, () => `${a.quorumLossUs.count} quorum-loss durations for ${a.quorumLossEpisodes} quorum-loss episodes`],
    [a.electionUs.count <= a.elections, () => `${a.electionUs.count} election durations for ${a.elections} elections`],
    [a.timeToQuorumLossUs <= m.sum, () => `time to first quorum loss ${a.timeToQuorumLossUs} µs exceeds the measured time ${m.sum} µs`],
    [a.trials > 0 || (m.sum === 0n && a.outageEpisodes === 0 && a.quorumLossEpisodes === 0 && a.elections === 0 && a.faults === 0 && a.events === 0),
      () => 'no trials, yet time, episodes, elections, faults or events are counted'],
  ];
  for (const [ok, why] of checks) if (!ok) return why();
  for (const [name, h] of [['quorumLossUs', a.quorumLossUs], ['electionUs', a.electionUs]] as const) {
    if (h.count === 0) {
      if (h.sum !== 0) return `${name}: empty, yet its sum is ${String(h.sum)}`;
      continue;
    }
    if (!(typeof h.min === 'number' && typeof h.max === 'number' && h.min >= 0 && h.min <= h.max && h.max < HISTOGRAM_MAX_VALUE)) {
      return `${name}: min ${String(h.min)} and max ${String(h.max)} are not 0 ≤ min ≤ max < 2^54`;
    }
    if (typeof h.sum !== 'number') return `${name}: sum ${String(h.sum)} is not a number`;
    const buckets = h.toJSON().buckets;
    if (buckets[0] !== histogramBucketIndex(h.min) || buckets[buckets.length - 2] !== histogramBucketIndex(h.max)) {
      return `${name}: min ${h.min} or max ${h.max} is not in the lowest or highest non-empty bucket`;
    }
    if (!(h.sum >= h.count * h.min && h.sum <= h.count * h.max)) return `${name}: sum ${h.sum} is outside count × [min, max] = [${h.count * h.min}, ${h.count * h.max}]`;
  }
  return null;
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
